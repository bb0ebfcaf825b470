/**
 * One variant's seeds, summed into what a column of the comparison shows: totals over all seeds
 * (operations, stale reads, lost writes, violations, each with what it is out of), latency
 * percentiles over every successful operation of every seed, and shares of seeds (linearizable,
 * converged). A measure the variant could not take (no checker for it, a workload whose reads
 * name no writes) is left out, and the table shows it as not measured, never as zero.
 */
import { GUARANTEES, type Guarantee } from '../checkers/session-guarantees.js';
import { summarize } from '../core/metrics.js';
import type { LessonVariant } from './lesson-file.js';
import { type LockMeasures, sumLockMeasures } from './lock-measures.js';
import { type DetectorMeasures, sumDetectorMeasures } from './detector-measures.js';
import { type RecoveryMeasures, sumRecoveryMeasures } from './recovery-measures.js';
import type { ReplicationMeasures, SeedMeasures, Tally } from './seed-measures.js';
import type { Spread, TransactionMeasures } from './transaction-measures.js';

interface SeedShare {
  readonly ok: number;
  readonly violation: number;
  readonly unknown: number;
}

export interface VariantSummary {
  readonly name: string;
  readonly protocol: string;
  readonly workload: string;
  readonly seeds: number;
  /** Seeds a protocol error cut short. */
  readonly errors: number;
  readonly sides: Readonly<Record<string, { readonly attempted: number; readonly ok: number }>>;
  readonly latencyUs?: { readonly count: number; readonly p50: number; readonly p99: number };
  /** Seeds by the linearizability checker's verdict, when the variant runs it. */
  readonly linearizable?: SeedShare;
  readonly staleReads?: Tally;
  readonly lost?: Tally;
  readonly overwritten?: number;
  readonly sessions?: Readonly<Record<Guarantee, Tally>>;
  /** Seeds whose replicas converged, and how long after healing, when it runs convergence. */
  readonly converged?: {
    readonly seeds: number;
    readonly of: number;
    readonly p50Us?: number;
    readonly maxUs?: number;
  };
  /** Summed over the seeds, when every seed's protocol has a leader. */
  readonly replication?: ReplicationMeasures;
  /**
   * Summed over the seeds, when every seed ran a transaction workload; a spread's p50 is the
   * median of the seeds' p50s.
   */
  readonly transactions?: TransactionMeasures;
  /** Summed over the seeds, when every seed ran the lock workload to its audit. */
  readonly lock?: LockMeasures;
  /** Seeds by the mutual-exclusion checker's verdict, when the variant runs it. */
  readonly mutualExclusion?: SeedShare;
  /** The cluster's failure detector, when every seed ran the cluster protocol. */
  readonly detector?: DetectorMeasures;
  /** Summed over the seeds, when every seed re-replicated a cluster's shards. */
  readonly recovery?: RecoveryMeasures;
}

export function summarizeVariant(v: LessonVariant, seeds: readonly SeedMeasures[]): VariantSummary {
  const names = v.scenario.checkers.map((c) => c.name);
  const latency = summarize(seeds.flatMap((s) => s.latenciesUs));
  const staleReads = sumTallies(seeds.map((s) => s.staleReads));
  const lost = sumTallies(seeds.map((s) => s.lost));
  const sessions = sessionTotals(seeds);
  return {
    name: v.name,
    protocol: v.scenario.protocol.name,
    workload: v.scenario.workload.definition.name,
    seeds: seeds.length,
    errors: seeds.filter((s) => s.error !== undefined).length,
    sides: sideTotals(seeds),
    ...(latency !== undefined
      ? { latencyUs: { count: latency.count, p50: latency.p50Us, p99: latency.p99Us } }
      : {}),
    ...(names.includes('linearizability') ? { linearizable: share(seeds, 'linearizability') } : {}),
    ...(staleReads !== undefined ? { staleReads } : {}),
    ...(lost !== undefined
      ? { lost, overwritten: seeds.reduce((n, s) => n + (s.overwritten ?? 0), 0) }
      : {}),
    ...(sessions !== undefined ? { sessions } : {}),
    ...(names.includes('convergence') ? { converged: convergence(seeds) } : {}),
    ...replicationTotals(seeds),
    ...transactionTotals(seeds),
    ...lockTotals(seeds, names),
    ...detectorTotals(seeds),
    ...recoveryTotals(seeds),
  };
}

function recoveryTotals(seeds: readonly SeedMeasures[]): Partial<VariantSummary> {
  const recovery = sumRecoveryMeasures(seeds.map((s) => s.recovery));
  return recovery === undefined ? {} : { recovery };
}

function transactionTotals(seeds: readonly SeedMeasures[]): Partial<VariantSummary> {
  const all = seeds.flatMap((s) => (s.transactions === undefined ? [] : [s.transactions]));
  if (all.length === 0 || all.length !== seeds.length) return {};
  const sum = (f: (t: TransactionMeasures) => number) => all.reduce((n, t) => n + f(t), 0);
  const blocked = spreads(all.flatMap((t) => (t.blocked === undefined ? [] : [t.blocked])));
  const intermediate = spreads(
    all.flatMap((t) => (t.intermediate === undefined ? [] : [t.intermediate])),
  );
  return {
    transactions: {
      begun: sum((t) => t.begun),
      aborted: sum((t) => t.aborted),
      reads: sum((t) => t.reads),
      intermediateReads: sum((t) => t.intermediateReads),
      ...(blocked !== undefined ? { blocked } : {}),
      ...(intermediate !== undefined ? { intermediate } : {}),
    },
  };
}

/** The seeds' spreads as one: counts summed, the median of the p50s, the largest max. */
function spreads(all: readonly Spread[]): Spread | undefined {
  const p50 = summarize(all.map((s) => s.p50Us));
  if (p50 === undefined) return undefined;
  return {
    count: all.reduce((n, s) => n + s.count, 0),
    p50Us: p50.p50Us,
    maxUs: Math.max(...all.map((s) => s.maxUs)),
  };
}

function detectorTotals(seeds: readonly SeedMeasures[]): Partial<VariantSummary> {
  const detector = sumDetectorMeasures(seeds.map((s) => s.detector));
  return detector === undefined ? {} : { detector };
}

function lockTotals(seeds: readonly SeedMeasures[], names: readonly string[]) {
  const lock = sumLockMeasures(seeds.map((s) => s.lock));
  return {
    ...(lock !== undefined ? { lock } : {}),
    ...(names.includes('mutual-exclusion')
      ? { mutualExclusion: share(seeds, 'mutual-exclusion') }
      : {}),
  };
}

function replicationTotals(seeds: readonly SeedMeasures[]): Partial<VariantSummary> {
  const all = seeds.flatMap((s) => (s.replication === undefined ? [] : [s.replication]));
  if (all.length === 0 || all.length !== seeds.length) return {};
  const sum = (f: (r: ReplicationMeasures) => number) => all.reduce((n, r) => n + f(r), 0);
  return {
    replication: {
      okOps: sum((r) => r.okOps),
      spanUs: sum((r) => r.spanUs),
      leadersElected: sum((r) => r.leadersElected),
      leaderless: {
        count: sum((r) => r.leaderless.count),
        totalUs: sum((r) => r.leaderless.totalUs),
        maxUs: Math.max(...all.map((r) => r.leaderless.maxUs)),
      },
      messages: sum((r) => r.messages),
      writesAcked: sum((r) => r.writesAcked),
    },
  };
}

function sideTotals(seeds: readonly SeedMeasures[]): VariantSummary['sides'] {
  const out: Record<string, { attempted: number; ok: number }> = {};
  for (const s of seeds)
    for (const side of Object.keys(s.sides).sort()) {
      const t = out[side] ?? { attempted: 0, ok: 0 };
      out[side] = t;
      t.attempted += s.sides[side]?.attempted ?? 0;
      t.ok += s.sides[side]?.ok ?? 0;
    }
  return out;
}

function share(seeds: readonly SeedMeasures[], checker: string): SeedShare {
  const verdicts = seeds.map((s) => s.checks[checker]);
  const count = (v: string) => verdicts.filter((x) => x === v).length;
  return {
    ok: count('ok'),
    violation: count('violation'),
    unknown: seeds.length - count('ok') - count('violation'),
  };
}

function sumTallies(tallies: readonly (Tally | undefined)[]): Tally | undefined {
  const present = tallies.filter((t): t is Tally => t !== undefined);
  if (present.length === 0) return undefined;
  return {
    count: present.reduce((n, t) => n + t.count, 0),
    of: present.reduce((n, t) => n + t.of, 0),
  };
}

function sessionTotals(seeds: readonly SeedMeasures[]): VariantSummary['sessions'] {
  if (!seeds.some((s) => s.sessions !== undefined)) return undefined;
  const out = {} as Record<Guarantee, Tally>;
  for (const g of GUARANTEES)
    out[g] = sumTallies(seeds.map((s) => s.sessions?.[g])) ?? { count: 0, of: 0 };
  return out;
}

function convergence(seeds: readonly SeedMeasures[]): NonNullable<VariantSummary['converged']> {
  const times = seeds.flatMap((s) => (s.convergenceUs === undefined ? [] : [s.convergenceUs]));
  const t = summarize(times);
  const base = { seeds: times.length, of: seeds.length };
  return t === undefined ? base : { ...base, p50Us: t.p50Us, maxUs: t.maxUs };
}
