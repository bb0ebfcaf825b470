/**
 * Hard histories for the linearizability checker (issue 10, section 3): compare-and-set register
 * histories in Jepsen's etcd log format and key/value histories in Porcupine's kv format, so that
 * Porcupine's own test parsers read the same files. 200–1,500 operations, 5–30 clients, about
 * 15% of the writes timed out as `:info`, which stay open to the end of the history: that is
 * what makes the search explode, for faultline and Porcupine alike.
 *
 * Linearizable by construction: every operation takes effect at a point inside its interval
 * (an `:info` one at some point after its call, or never), outputs are what a register or store
 * gives at that point, and lines are written in time order. A broken history has one flaw, put in
 * before outputs are computed, so nothing else changes:
 * - `never-written`: a read returns a value no operation ever writes;
 * - `written-later`: a read returns a value written once, by an operation called only after the
 *   read returned.
 * Everything is drawn from the project's seeded generator: one seed, one history.
 */
import { Prng } from '../../src/core/prng.js';

type HardKind = 'cas' | 'kv';
type Flaw = 'never-written' | 'written-later';

export interface HardHistory {
  /** A file name: `cas-s7-n812-c19.log`, `kv-s3-n400-c12-later.txt`. */
  readonly name: string;
  readonly kind: HardKind;
  readonly text: string;
  readonly ops: number;
  readonly clients: number;
  readonly flaw?: Flaw;
  /** What the construction guarantees. */
  readonly expected: 'ok' | 'violation';
  /**
   * For a linearizable one, the execution's own order: operations that took effect, numbered by
   * their invocation's place among the invocations of the file, in the order they took effect.
   */
  readonly linearization?: readonly number[];
}

interface HardOptions {
  readonly ops?: number;
  readonly clients?: number;
  /** Parts per hundred of writes (and cas) that time out as `:info`; default 15. */
  readonly infoPercent?: number;
  readonly flaw?: Flaw;
}

/** One operation of the simulated execution. `lin` is NaN for one that never took effect. */
interface SimOp {
  readonly process: number;
  readonly call: number;
  /** Completion time, or the time the client gave up (`info`). */
  readonly end: number;
  readonly info: boolean;
  lin: number;
  readonly f: 'read' | 'write' | 'cas' | 'get' | 'put' | 'append';
  readonly key: string;
  value: number | string | null;
  readonly to: number;
  /** Output, once computed: the value read, or whether a cas succeeded. */
  out: number | string | null | boolean;
}

interface Draw {
  readonly f: SimOp['f'];
  readonly key: string;
  readonly value: number | string | null;
  readonly to: number;
  readonly canTimeOut: boolean;
}

/** Clients issue operations one at a time; one that times out goes on under a new process id. */
function simulate(
  rng: Prng,
  n: number,
  clients: number,
  infoPercent: number,
  draw: (i: number) => Draw,
): SimOp[] {
  const ops: SimOp[] = [];
  const free = Array.from({ length: clients }, () => rng.int(0, 2_000));
  const proc = Array.from({ length: clients }, (_, c) => c);
  for (let i = 0; i < n; i++) {
    // The client free first goes next: calls come in time order.
    let c = 0;
    for (let k = 1; k < clients; k++) if ((free[k] as number) < (free[c] as number)) c = k;
    const call = free[c] as number;
    const d = draw(i);
    const latency = rng.chance(1, 10) ? rng.int(1_000, 30_000) : rng.int(50, 4_000);
    const info = d.canTimeOut && rng.chance(infoPercent, 100);
    const end = call + latency;
    // A timed-out operation takes effect at some point after its call, or never.
    const lin = info
      ? rng.chance(1, 2)
        ? call + rng.int(1, 60_000) + rng.int(0, 999) / 1000
        : Number.NaN
      : call + rng.int(1, latency - 1) + rng.int(0, 999) / 1000;
    ops.push({ process: proc[c] as number, call, end, info, lin, ...d, out: null });
    if (info) proc[c] = (proc[c] as number) + clients;
    free[c] = end + rng.int(1, 1_500);
  }
  return ops;
}

/** Applies every operation at its point, in order, and records what each saw. */
function computeOutputs(ops: SimOp[], initial: (key: string) => number | string | null): void {
  const state = new Map<string, number | string | null>();
  const order = ops.filter((o) => !Number.isNaN(o.lin)).sort((a, b) => a.lin - b.lin);
  for (const o of order) {
    const cur = state.has(o.key) ? (state.get(o.key) as number | string | null) : initial(o.key);
    switch (o.f) {
      case 'read':
      case 'get':
        o.out = cur;
        break;
      case 'write':
      case 'put':
        state.set(o.key, o.value);
        break;
      case 'append':
        state.set(o.key, `${cur as string}${o.value as string}`);
        break;
      case 'cas':
        o.out = cur === o.value;
        if (o.out) state.set(o.key, o.to);
        break;
    }
  }
}

/** A completed read, chosen in the middle half of the history, to carry a flaw. */
function flawedRead(rng: Prng, ops: readonly SimOp[], f: 'read' | 'get'): SimOp {
  const reads = ops.filter((o) => o.f === f && !o.info);
  return reads[rng.int(Math.floor(reads.length / 4), Math.floor((3 * reads.length) / 4))]!;
}

/**
 * For `written-later`: a write (or append) called after `read` returned, given `fresh` as its
 * value before outputs are computed, so every later read sees it as a correct one would.
 */
function laterWriter(ops: readonly SimOp[], read: SimOp, f: 'write' | 'append'): SimOp {
  return ops.find((o) => o.f === f && !o.info && o.call > read.end && o.key === read.key)!;
}

const etcdLine = (p: number, type: string, f: string, v: string) =>
  `INFO  jepsen.util - ${p}\t:${type}\t:${f}\t${v}`;

/** Jepsen etcd log lines, in time order (a completion before a call at the same time). */
function etcdLines(ops: readonly SimOp[]): string[] {
  const events: { t: number; seq: number; line: string }[] = [];
  ops.forEach((o, i) => {
    const arg = o.f === 'read' ? 'nil' : o.f === 'write' ? String(o.value) : `[${o.value} ${o.to}]`;
    events.push({ t: o.call, seq: 2 * i + 1, line: etcdLine(o.process, 'invoke', o.f, arg) });
    let end: string;
    if (o.info)
      end =
        o.f === 'read'
          ? etcdLine(o.process, 'fail', 'read', ':timed-out')
          : etcdLine(o.process, 'info', o.f, ':timed-out');
    else if (o.f === 'read') end = etcdLine(o.process, 'ok', 'read', String(o.out ?? 'nil'));
    else if (o.f === 'write') end = etcdLine(o.process, 'ok', 'write', arg);
    else end = etcdLine(o.process, o.out === true ? 'ok' : 'fail', 'cas', arg);
    events.push({ t: o.end, seq: 2 * i, line: end });
  });
  events.sort((a, b) => a.t - b.t || (a.seq & 1) - (b.seq & 1) || a.seq - b.seq);
  return events.map((e) => e.line);
}

/** A compare-and-set register history (values 0–4 as in the etcd logs, nil at first). */
export function generateCas(seed: number, options: HardOptions = {}): HardHistory {
  const rng = Prng.root(seed).fork('hard-cas');
  const n = options.ops ?? rng.int(200, 1_500);
  const clients = options.clients ?? rng.int(5, 30);
  const ops = simulate(rng.fork('sim'), n, clients, options.infoPercent ?? 15, () => {
    const r = rng.int(0, 9);
    if (r < 4) return { f: 'read', key: '', value: null, to: 0, canTimeOut: true };
    if (r < 7) return { f: 'write', key: '', value: rng.int(0, 4), to: 0, canTimeOut: true };
    return { f: 'cas', key: '', value: rng.int(0, 4), to: rng.int(0, 4), canTimeOut: true };
  });
  const flaw = options.flaw;
  const read = flaw === undefined ? undefined : flawedRead(rng, ops, 'read');
  const writer = flaw === 'written-later' ? laterWriter(ops, read!, 'write') : undefined;
  if (writer !== undefined) writer.value = 7;
  computeOutputs(ops, () => null);
  if (read !== undefined) read.out = flaw === 'never-written' ? 9 : 7;
  return finish('cas', seed, ops, clients, flaw, etcdLines(ops));
}

const kvLine = (p: number, type: string, o: SimOp, v: string) =>
  `{:process ${p}, :type :${type}, :f :${o.f}, :key "${o.key}", :value ${v}}`;

/** Porcupine kv lines in time order. Only puts and appends time out (see `generateKv`). */
function kvLines(ops: readonly SimOp[]): string[] {
  const events: { t: number; seq: number; line: string }[] = [];
  ops.forEach((o, i) => {
    const arg = o.f === 'get' ? 'nil' : `"${o.value as string}"`;
    events.push({ t: o.call, seq: 2 * i + 1, line: kvLine(o.process, 'invoke', o, arg) });
    const out = o.f === 'get' ? `"${o.out as string}"` : arg;
    events.push({ t: o.end, seq: 2 * i, line: kvLine(o.process, o.info ? 'info' : 'ok', o, out) });
  });
  events.sort((a, b) => a.t - b.t || (a.seq & 1) - (b.seq & 1) || a.seq - b.seq);
  return events.map((e) => e.line);
}

/**
 * A key/value history on 1–3 keys, appends of unique values `x <client> <n> y`, some puts, in
 * the proportions of Porcupine's own kv histories.
 * Gets never time out: Porcupine's parser would give a get left open an empty result.
 */
export function generateKv(seed: number, options: HardOptions = {}): HardHistory {
  const rng = Prng.root(seed).fork('hard-kv');
  const n = options.ops ?? rng.int(200, 1_500);
  const clients = options.clients ?? rng.int(5, 30);
  const keys = rng.int(1, 3);
  let written = 0;
  const ops = simulate(rng.fork('sim'), n, clients, options.infoPercent ?? 15, () => {
    const key = String(rng.int(0, keys - 1));
    // The mix of Porcupine's own kv histories (c50: 46% gets, 49% appends, 4.5% puts).
    const r = rng.int(0, 999);
    const value = `x ${rng.int(0, clients - 1)} ${written++} y`;
    if (r < 460) return { f: 'get', key, value: null, to: 0, canTimeOut: false };
    return { f: r < 955 ? 'append' : 'put', key, value, to: 0, canTimeOut: true };
  });
  const flaw = options.flaw;
  const read = flaw === undefined ? undefined : flawedRead(rng, ops, 'get');
  const writer = flaw === 'written-later' ? laterWriter(ops, read!, 'append') : undefined;
  computeOutputs(ops, () => '');
  if (read !== undefined)
    read.out = `${read.out as string}${writer === undefined ? 'x 999 999 y' : (writer.value as string)}`;
  return finish('kv', seed, ops, clients, flaw, kvLines(ops));
}

function finish(
  kind: HardKind,
  seed: number,
  ops: readonly SimOp[],
  clients: number,
  flaw: Flaw | undefined,
  lines: readonly string[],
): HardHistory {
  const byCall = ops.map((o, i) => ({ o, i })).sort((a, b) => a.o.call - b.o.call || a.i - b.i);
  const idOf = new Map(byCall.map((x, id) => [x.o, id]));
  const effect = ops.filter((o) => !Number.isNaN(o.lin)).sort((a, b) => a.lin - b.lin);
  const suffix = flaw === undefined ? '' : flaw === 'never-written' ? '-never' : '-later';
  const ext = kind === 'cas' ? 'log' : 'txt';
  return {
    name: `${kind}-s${seed}-n${ops.length}-c${clients}${suffix}.${ext}`,
    kind,
    text: `${lines.join('\n')}\n`,
    ops: ops.length,
    clients,
    ...(flaw !== undefined ? { flaw } : {}),
    expected: flaw === undefined ? 'ok' : 'violation',
    ...(flaw === undefined ? { linearization: effect.map((o) => idOf.get(o)!) } : {}),
  };
}

/**
 * The hard class of `npm run bench:lin`: per kind, `perKind` histories from seeds 1, 2, …, every
 * fourth broken (alternately `never-written` and `written-later`).
 */
export function hardClass(perKind = 12, firstSeed = 1): HardHistory[] {
  const out: HardHistory[] = [];
  for (const gen of [generateCas, generateKv])
    for (let i = 0; i < perKind; i++) {
      const seed = firstSeed + i;
      const flaw: Flaw | undefined =
        i % 4 !== 3 ? undefined : i % 8 === 3 ? 'never-written' : 'written-later';
      out.push(gen(seed, flaw === undefined ? {} : { flaw }));
    }
  return out;
}
