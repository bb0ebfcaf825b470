/**
 * The comparison as a person reads it: one row per measure, one column per variant, so the
 * tradeoff is read across a row. A measure a variant did not take prints `-` (not measured),
 * never 0. Counts are totals over the seeds with what they are out of; latencies are in virtual
 * time, over every successful operation before the final reads.
 */
import { GUARANTEES, type Guarantee } from '../checkers/session-guarantees.js';
import type { Comparison } from './compare-lesson.js';
import type { Tally } from './seed-measures.js';
import type { Spread } from './transaction-measures.js';
import type { VariantSummary } from './variant-summary.js';

const NOT_MEASURED = '-';
const LABEL_WIDTH = 30;

type Row = readonly [label: string, cell: (v: VariantSummary) => string];

const LABELS: Record<Guarantee, string> = {
  'read-your-writes': '  read-your-writes',
  'monotonic-reads': '  monotonic reads',
  'monotonic-writes': '  monotonic writes',
  'writes-follow-reads': '  writes-follow-reads',
};

export function comparisonTable(c: Comparison): string[] {
  const rows: Row[] = [
    ['protocol / workload', (v) => `${v.protocol} / ${v.workload}`],
    ...sideRows(c.variants),
    ['latency p50 / p99', latency],
    [
      'linearizable (seeds)',
      (v) => (v.linearizable ? seedShare(v.linearizable, v.seeds) : NOT_MEASURED),
    ],
    ['stale reads', (v) => tally(v.staleReads)],
    ['acknowledged writes lost', (v) => tally(v.lost)],
    [
      '  may have been overwritten',
      (v) => (v.overwritten === undefined ? NOT_MEASURED : count(v.overwritten)),
    ],
    ['session-guarantee violations', () => ''],
    ...GUARANTEES.map((g): Row => [LABELS[g], (v) => tally(v.sessions?.[g])]),
    [
      'converged (seeds)',
      (v) => (v.converged ? `${v.converged.seeds}/${v.converged.of}` : NOT_MEASURED),
    ],
    ['  after healing p50 / max', converge],
    ...(c.variants.every((v) => v.replication !== undefined) ? REPLICATION_ROWS : []),
    ...(c.variants.every((v) => v.transactions !== undefined) ? TRANSACTION_ROWS : []),
    ...(c.variants.every((v) => v.lock !== undefined) ? LOCK_ROWS : []),
    ...(c.variants.every((v) => v.detector !== undefined) ? DETECTOR_ROWS : []),
    ...(c.variants.every((v) => v.recovery !== undefined) ? RECOVERY_ROWS : []),
    ['seeds cut short by an error', (v) => count(v.errors)],
  ];
  const cells = rows.map(([label, cell]) => [label, ...c.variants.map(cell)]);
  const head = ['', ...c.variants.map((v) => v.name)];
  const widths = head.map((h, i) =>
    i === 0 ? LABEL_WIDTH : Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)),
  );
  const line = (r: readonly string[]) =>
    r
      .map((s, i) => s.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(head), ...cells.map(line)];
}

/**
 * What a replicated log costs, shown when every variant has a leader: acknowledged operations
 * per virtual second, leaders elected, the windows without a leader after the leader failed
 * (how many, their total, the longest), and messages per acknowledged write.
 */
const REPLICATION_ROWS: readonly Row[] = [
  [
    'throughput (ok ops / s)',
    (v) => {
      const r = v.replication;
      return r === undefined || r.spanUs === 0
        ? NOT_MEASURED
        : count(Math.round((r.okOps * 1_000_000) / r.spanUs));
    },
  ],
  ['leaders elected', (v) => (v.replication ? count(v.replication.leadersElected) : NOT_MEASURED)],
  [
    'without a leader: windows',
    (v) => (v.replication ? count(v.replication.leaderless.count) : NOT_MEASURED),
  ],
  [
    '  total / longest',
    (v) => {
      const w = v.replication?.leaderless;
      return w === undefined || w.count === 0
        ? NOT_MEASURED
        : `${duration(w.totalUs)} / ${duration(w.maxUs)}`;
    },
  ],
  [
    'messages per acked write',
    (v) => {
      const r = v.replication;
      return r === undefined || r.writesAcked === 0
        ? NOT_MEASURED
        : (r.messages / r.writesAcked).toFixed(1);
    },
  ],
];

/**
 * What a transaction protocol's choices cost, shown when every variant runs a transaction
 * workload (transaction-measures.ts): work aborted or undone, reads that saw an intermediate
 * state, transactions blocked in doubt and for how long, and how long sagas stood in an
 * intermediate state. A protocol that cannot block, or has no intermediate state, prints `-`.
 */
const TRANSACTION_ROWS: readonly Row[] = [
  [
    'aborted or compensated',
    (v) => {
      const t = v.transactions;
      return t === undefined
        ? NOT_MEASURED
        : `${count(t.aborted)}/${count(t.begun)} (${percent(t.aborted, t.begun)})`;
    },
  ],
  [
    'reads seeing a partial state',
    (v) => {
      const t = v.transactions;
      return t === undefined ? NOT_MEASURED : tally({ count: t.intermediateReads, of: t.reads });
    },
  ],
  ['blocked in doubt (txns)', (v) => spreadCount(v.transactions?.blocked)],
  ['  blocked p50 / max', (v) => spreadTimes(v.transactions?.blocked)],
  ['intermediate state (sagas)', (v) => spreadCount(v.transactions?.intermediate)],
  ['  for p50 / max', (v) => spreadTimes(v.transactions?.intermediate)],
];

const spreadCount = (s: Spread | undefined) => (s === undefined ? NOT_MEASURED : count(s.count));

const spreadTimes = (s: Spread | undefined) =>
  s === undefined ? NOT_MEASURED : `${duration(s.p50Us)} / ${duration(s.maxUs)}`;

/**
 * What a lock protects and what it costs, shown when every variant ran the lock workload: seeds
 * in which no two holders' writes overlapped, acquisitions granted of those attempted (the
 * lock's availability), and the store's verdicts: writes taken, stale ones refused by their
 * fencing token, stale ones taken.
 */
const LOCK_ROWS: readonly Row[] = [
  [
    'mutual exclusion held (seeds)',
    (v) => (v.mutualExclusion ? seedShare(v.mutualExclusion, v.seeds) : NOT_MEASURED),
  ],
  [
    'acquisitions granted',
    (v) => (v.lock ? tally({ count: v.lock.granted, of: v.lock.acquires }) : NOT_MEASURED),
  ],
  ['writes the store took', (v) => (v.lock ? count(v.lock.taken) : NOT_MEASURED)],
  ['  stale ones (older token)', (v) => (v.lock ? count(v.lock.staleTaken) : NOT_MEASURED)],
  ['stale writes refused', (v) => (v.lock ? count(v.lock.rejected) : NOT_MEASURED)],
];

/**
 * What a failure detector trades, shown when every variant ran the cluster: storage nodes
 * declared dead and how long each had been silent then (detection time, the median of the
 * seeds' medians and the longest), and how many of those were false suspicions (the node was
 * running), with how long such a node was wrongly held dead.
 */
const DETECTOR_ROWS: readonly Row[] = [
  ['declared dead (nodes)', (v) => (v.detector ? count(v.detector.declared.count) : NOT_MEASURED)],
  ['  silent for p50 / max', (v) => detectorTimes(v.detector?.declared)],
  [
    '  false suspicions',
    (v) => {
      const d = v.detector;
      return d === undefined
        ? NOT_MEASURED
        : tally({ count: d.falseSuspicions.count, of: d.declared.count });
    },
  ],
  ['  held dead p50 / max', (v) => detectorTimes(v.detector?.falseSuspicions)],
];

function detectorTimes(s: { p50Us?: number; maxUs?: number } | undefined): string {
  if (s?.p50Us === undefined || s.maxUs === undefined) return NOT_MEASURED;
  return `${duration(s.p50Us)} / ${duration(s.maxUs)}`;
}

/**
 * What a cluster's recovery strategy costs, shown when every variant re-replicated shards
 * (recovery-measures.ts): shards moved and how long until each was fully replicated again,
 * bytes state transfers moved over the network, and how long a moving shard could not serve.
 * A p50 is the median of the seeds' p50s.
 */
const RECOVERY_ROWS: readonly Row[] = [
  ['shards re-replicated', (v) => spreadCount(v.recovery?.fullReplication)],
  ['  to full replication p50/max', (v) => spreadTimes(v.recovery?.fullReplication)],
  [
    'bytes moved (state transfers)',
    (v) => (v.recovery ? count(v.recovery.bytesMoved) : NOT_MEASURED),
  ],
  [
    '  per transfer (mean)',
    (v) => {
      const r = v.recovery;
      return r === undefined || r.transfers === 0
        ? NOT_MEASURED
        : count(Math.round(r.bytesMoved / r.transfers));
    },
  ],
  [
    'bytes to fill standbys',
    (v) => (v.recovery ? count(v.recovery.standbyBytesMoved) : NOT_MEASURED),
  ],
  ['unavailable p50 / max', (v) => spreadTimes(v.recovery?.unavailable)],
];

/** Attempted and succeeded operations in the faulty phase, per side of the partition. */
function sideRows(variants: readonly VariantSummary[]): Row[] {
  const sides = [...new Set(variants.flatMap((v) => Object.keys(v.sides)))].sort();
  return sides.flatMap((side): Row[] => [
    [`faulty phase, ${side}`, () => ''],
    ['  attempted', (v) => count(v.sides[side]?.attempted ?? 0)],
    [
      '  succeeded',
      (v) => {
        const s = v.sides[side];
        return s === undefined ? NOT_MEASURED : `${count(s.ok)} (${percent(s.ok, s.attempted)})`;
      },
    ],
  ]);
}

const latency = (v: VariantSummary) =>
  v.latencyUs === undefined
    ? NOT_MEASURED
    : `${duration(v.latencyUs.p50)} / ${duration(v.latencyUs.p99)}`;

function converge(v: VariantSummary): string {
  const c = v.converged;
  if (c?.p50Us === undefined || c.maxUs === undefined) return NOT_MEASURED;
  return `${duration(c.p50Us)} / ${duration(c.maxUs)}`;
}

function seedShare(s: { ok: number; unknown: number }, seeds: number): string {
  const unknown = s.unknown > 0 ? `, ${s.unknown} unknown` : '';
  return `${s.ok}/${seeds} (${percent(s.ok, seeds)}${unknown})`;
}

function tally(t: Tally | undefined): string {
  if (t === undefined) return NOT_MEASURED;
  return t.of === 0 ? '0/0' : `${count(t.count)}/${count(t.of)} (${percent(t.count, t.of)})`;
}

const count = (n: number) => n.toLocaleString('en-US');

function percent(n: number, of: number): string {
  if (of === 0) return '-';
  const p = (100 * n) / of;
  return `${p === 0 || p === 100 || p >= 10 ? Math.round(p) : p.toFixed(1)}%`;
}

/** A virtual-time duration in three significant digits: 850us, 12.3ms, 1.25s. */
export function duration(us: number): string {
  if (us < 1000) return `${Math.round(us)}us`;
  if (us < 1_000_000) return `${Number((us / 1000).toPrecision(3))}ms`;
  return `${Number((us / 1_000_000).toPrecision(3))}s`;
}
