/**
 * `npm run bench:crdt`: merge throughput of each CRDT type on realistic states, and how much
 * smaller a delta is than the state it updates. Five replicas take a seeded stream of updates
 * (each type's own: increments, set adds and removes over a thousand elements, register writes,
 * a key-value map, text edits), merging pairwise now and then so their states overlap as gossip
 * leaves them. Then, on copies decoded from JSON (no object shared between replicas, as after a
 * message), it times merging two replicas' whole states and merging one update's delta into a
 * state. Each figure is the median of `--runs` samples (5 by default) after a warm-up. `--json`
 * prints one JSON document. A benchmark, not a test: it never fails a build.
 */
import { Prng } from '../core/prng.js';
import { HLC_ZERO, hlcSend, type Hlc } from '../components/clocks/hybrid-logical-clock.js';
import type { AnyCrdtType } from '../components/crdt/crdt-type.js';
import { crdtTypeNamed } from '../components/crdt/crdt-types.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const runs = Number(args[args.indexOf('--runs') + 1] ?? 5) || 5;

const REPLICAS = ['n1', 'n2', 'n3', 'n4', 'n5'];
/** Updates between two pairwise merges. */
const SYNC_EVERY = 40;
/** Deltas kept from the end of the stream, to time delta merges and to size them. */
const DELTAS_KEPT = 200;
const WARM_MS = 100;
const SAMPLE_MS = 60;

interface Workload {
  readonly type: string;
  readonly summary: string;
  readonly updates: number;
  readonly op: (r: Prng) => unknown;
}

const pick = (r: Prng, n: number, prefix: string) => `${prefix}${r.int(0, n - 1)}`;
const setOp = (r: Prng, elements: number, removes: number) => ({
  f: r.chance(removes, 100) ? 'remove' : 'add',
  element: pick(r, elements, 'e'),
});

const WORKLOADS: readonly Workload[] = [
  {
    type: 'g-counter',
    summary: '10,000 increments',
    updates: 10_000,
    op: (r) => ({ f: 'inc', by: r.int(1, 5) }),
  },
  {
    type: 'pn-counter',
    summary: '10,000 increments and decrements',
    updates: 10_000,
    op: (r) => ({ f: r.chance(1, 2) ? 'inc' : 'dec', by: r.int(1, 5) }),
  },
  {
    type: 'g-set',
    summary: '5,000 adds of 2,000 elements',
    updates: 5_000,
    op: (r) => ({ f: 'add', element: pick(r, 2_000, 'e') }),
  },
  {
    type: '2p-set',
    summary: '5,000 adds, removes (30%) of 2,000',
    updates: 5_000,
    op: (r) => setOp(r, 2_000, 30),
  },
  {
    type: 'or-set',
    summary: '5,000 adds, removes (30%) of 1,000',
    updates: 5_000,
    op: (r) => setOp(r, 1_000, 30),
  },
  {
    type: 'lww-register',
    summary: '2,000 writes',
    updates: 2_000,
    op: (r) => ({ f: 'set', value: pick(r, 1_000_000, 'v') }),
  },
  {
    type: 'mv-register',
    summary: '2,000 writes',
    updates: 2_000,
    op: (r) => ({ f: 'set', value: pick(r, 1_000_000, 'v') }),
  },
  {
    type: 'or-map<mv-register>',
    summary: '5,000 puts, removes (5%), 500 keys',
    updates: 5_000,
    op: (r) =>
      r.chance(5, 100)
        ? { f: 'remove', key: pick(r, 500, 'k') }
        : { f: 'update', key: pick(r, 500, 'k'), op: { f: 'set', value: r.int(0, 1e6) } },
  },
  {
    type: 'or-map<or-set>',
    summary: '5,000 updates, 50 keys × 50 elements',
    updates: 5_000,
    op: (r) =>
      r.chance(2, 100)
        ? { f: 'remove', key: pick(r, 50, 'k') }
        : { f: 'update', key: pick(r, 50, 'k'), op: setOp(r, 50, 30) },
  },
  {
    type: 'rga',
    summary: '3,000 edits: insert 1-5 chars, delete (20%)',
    updates: 3_000,
    op: (r) =>
      r.chance(1, 5)
        ? { f: 'delete', index: r.int(0, 4_000), count: r.int(1, 3) }
        : { f: 'insert', index: r.int(0, 4_000), text: 'abcde'.slice(0, r.int(1, 5)) },
  },
];

interface Replicas {
  readonly states: unknown[];
  readonly deltas: unknown[];
}

/** Plays the workload on five replicas with HLCs reading a shared clock, merging pairwise. */
function play(type: AnyCrdtType, w: Workload): Replicas {
  const r = Prng.root(11).fork(w.type);
  const states = REPLICAS.map(() => type.empty());
  const hlcs: Hlc[] = REPLICAS.map(() => HLC_ZERO);
  const deltas: unknown[] = [];
  for (let i = 0; i < w.updates; i++) {
    const at = r.int(0, REPLICAS.length - 1);
    hlcs[at] = hlcSend(hlcs[at] as Hlc, i * 10);
    const ctx = { node: REPLICAS[at] as string, timestamp: hlcs[at] as Hlc };
    const applied = type.apply(states[at], w.op(r), ctx);
    states[at] = applied.state;
    if (i >= w.updates - DELTAS_KEPT) deltas.push(applied.delta);
    if (i % SYNC_EVERY === SYNC_EVERY - 1) {
      const [x, y] = [r.int(0, REPLICAS.length - 1), r.int(0, REPLICAS.length - 1)];
      const joined = type.merge(states[x], states[y]);
      states[x] = joined;
      states[y] = joined;
    }
  }
  const copy = (s: unknown) => type.decode(JSON.parse(JSON.stringify(type.encode(s))));
  return { states: states.map(copy), deltas: deltas.map(copy) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const bytes = (type: AnyCrdtType, s: unknown) => JSON.stringify(type.encode(s)).length;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/** Calls per second of `step(i)`: warm up, then the median of `runs` timed samples. */
function perSecond(step: (i: number) => unknown): number {
  let i = 0;
  const until = performance.now() + WARM_MS;
  while (performance.now() < until) step(i++);
  const rates: number[] = [];
  for (let k = 0; k < runs; k++) {
    const start = performance.now();
    let calls = 0;
    while (performance.now() - start < SAMPLE_MS) step(calls++);
    rates.push((calls / (performance.now() - start)) * 1000);
  }
  return Math.round(median(rates));
}

interface Row {
  readonly type: string;
  readonly workload: string;
  readonly stateMergesPerSec: number;
  readonly deltaMergesPerSec: number;
  readonly stateBytes: number;
  readonly deltaBytes: number;
}

function bench(w: Workload): Row {
  const type = crdtTypeNamed(w.type);
  if (type === undefined) throw new Error(`no CRDT type ${w.type}`);
  const { states, deltas } = play(type, w);
  const n = states.length;
  const stateMerge = (i: number) => type.merge(states[i % n], states[(i + 1) % n]);
  const deltaMerge = (i: number) => type.merge(states[i % n], deltas[i % deltas.length]);
  return {
    type: w.type,
    workload: w.summary,
    stateMergesPerSec: perSecond(stateMerge),
    deltaMergesPerSec: perSecond(deltaMerge),
    stateBytes: Math.round(mean(states.map((s) => bytes(type, s)))),
    deltaBytes: Math.round(mean(deltas.map((d) => bytes(type, d)))),
  };
}

const HEAD = ['type', 'workload', 'state merges/s', 'delta merges/s', 'state B', 'delta B', '%'];

function cells(r: Row): string[] {
  const fmt = (x: number) => x.toLocaleString('en-US');
  const share = (r.deltaBytes / r.stateBytes) * 100;
  return [
    r.type,
    r.workload,
    fmt(r.stateMergesPerSec),
    fmt(r.deltaMergesPerSec),
    fmt(r.stateBytes),
    fmt(r.deltaBytes),
    share.toFixed(share < 1 ? 2 : 1),
  ];
}

/** The rows as a table: text columns left-aligned, figures right-aligned. */
function table(rows: readonly Row[]): string {
  const body = rows.map(cells);
  const widths = HEAD.map((h, i) =>
    Math.max(h.length, ...body.map((c) => (c[i] as string).length)),
  );
  const line = (cs: string[]) =>
    cs.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [HEAD, ...body].map(line).join('\n');
}

const rows = WORKLOADS.map(bench);
if (json) {
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write(`${JSON.stringify({ runs, rows, peakRssMb }, null, 2)}\n`);
} else {
  process.stdout.write(`CRDT merges, median of ${runs} runs; % is delta bytes / state bytes\n`);
  process.stdout.write(`${table(rows)}\n`);
}
