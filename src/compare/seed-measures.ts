/**
 * What one seed of one variant shows a comparison, measured from its result and history in the
 * worker thread that ran it, so only numbers cross back: operations attempted and succeeded in
 * the faulty phase by side of the partition, the latency of every successful operation, each
 * checker's verdict, and, where the workload lets them be judged, stale reads, session-guarantee
 * violations (session-guarantees.ts, whether or not the variant names that checker) and
 * acknowledged writes lost or possibly overwritten (durability.ts: kv and kv-context), and how
 * long after healing the replicas converged (the convergence checker's evidence, when the variant
 * runs it), and for a protocol with a leader (its `leadersElected` measure, shared/
 * replication-metrics.ts) what a replicated log costs: acknowledged operations per second of
 * virtual time, leaders elected, windows without a leader after the leader failed, and messages
 * sent per acknowledged write; for the bank and saga workloads what a transaction protocol's
 * choices cost (transaction-measures.ts); for the lock workload, the lock's availability and
 * the writes its store took and refused (lock-measures.ts); for the cluster, its failure
 * detector's declarations and false suspicions (detector-measures.ts) and what its
 * recovery strategy cost (recovery-measures.ts).
 */
import { checkDurability, type DurabilityEvidence } from '../checkers/durability.js';
import {
  checkSessionGuarantees,
  GUARANTEES,
  type Guarantee,
  type SessionGuaranteesEvidence,
} from '../checkers/session-guarantees.js';
import type { History, Operation } from '../core/history.js';
import type { RunResult } from '../run/run-result.js';
import type { SideOf } from './client-sides.js';
import { type TransactionMeasures, transactionMeasures } from './transaction-measures.js';
import { type LockMeasures, lockMeasures } from './lock-measures.js';
import { type DetectorMeasures, detectorMeasures } from './detector-measures.js';
import { type RecoveryMeasures, recoveryMeasures } from './recovery-measures.js';

export interface Tally {
  readonly count: number;
  readonly of: number;
}

export interface SeedMeasures {
  readonly seed: number;
  readonly verdict: RunResult['verdict'];
  readonly error?: string;
  /** Faulty-phase operations by side: attempted, and acknowledged (`ok`). */
  readonly sides: Readonly<Record<string, { readonly attempted: number; readonly ok: number }>>;
  /** Virtual-time latency of each `ok` operation before the final reads, in µs. */
  readonly latenciesUs: readonly number[];
  /** Each checker the variant ran, by name: its verdict. */
  readonly checks: Readonly<Record<string, string>>;
  readonly staleReads?: Tally;
  readonly sessions?: Readonly<Record<Guarantee, Tally>>;
  readonly lost?: Tally;
  readonly overwritten?: number;
  readonly convergenceUs?: number;
  readonly replication?: ReplicationMeasures;
  readonly transactions?: TransactionMeasures;
  /** The lock workload's: acquisitions granted, writes taken and refused (lock-measures.ts). */
  readonly lock?: LockMeasures;
  /** The cluster's: nodes declared dead, false suspicions (detector-measures.ts). */
  readonly detector?: DetectorMeasures;
  /** A cluster's re-replication: time, bytes moved, unavailability (recovery-measures.ts). */
  readonly recovery?: RecoveryMeasures;
}

/** One seed of a protocol with a leader. */
export interface ReplicationMeasures {
  /** Acknowledged operations before the final reads, and the virtual time they spanned. */
  readonly okOps: number;
  readonly spanUs: number;
  readonly leadersElected: number;
  /** Windows without a leader: how many, their total and the longest. */
  readonly leaderless: { readonly count: number; readonly totalUs: number; readonly maxUs: number };
  /** Messages the network carried (client requests and replies included), acknowledged writes. */
  readonly messages: number;
  readonly writesAcked: number;
}

export function measureSeed(result: RunResult, history: History, sideOf: SideOf): SeedMeasures {
  return {
    seed: result.seed,
    verdict: result.verdict,
    ...(result.error !== undefined ? { error: result.error } : {}),
    sides: bySide(history, sideOf),
    latenciesUs: latencies(history),
    checks: Object.fromEntries(result.checks.map((c) => [c.checker, c.verdict])),
    ...sessionMeasures(history),
    ...durabilityMeasures(history),
    ...convergence(result),
    ...replication(result, history),
    ...transactions(result, history),
    ...lockMeasures(history),
    ...detectorMeasures(result),
    ...recoveryMeasures(result),
  };
}

function transactions(result: RunResult, history: History): Partial<SeedMeasures> {
  const t = transactionMeasures(result, history);
  return t === undefined ? {} : { transactions: t };
}

function replication(result: RunResult, history: History): Partial<SeedMeasures> {
  const elected = result.metrics.leadersElected;
  if (elected === undefined) return {};
  let okOps = 0;
  let writesAcked = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  for (const op of history) {
    if (op.phase === 'final') continue;
    first = Math.min(first, op.invokeUs);
    if (op.outcome !== 'ok' || op.completeUs === undefined) continue;
    okOps++;
    last = Math.max(last, op.completeUs);
    if (op.f !== 'get' && op.f !== 'read') writesAcked++;
  }
  const w = result.metrics.leaderless;
  return {
    replication: {
      okOps,
      spanUs: okOps === 0 ? 0 : last - first,
      leadersElected: elected.maxUs,
      leaderless:
        w === undefined
          ? { count: 0, totalUs: 0, maxUs: 0 }
          : { count: w.count, totalUs: w.meanUs * w.count, maxUs: w.maxUs },
      messages: result.stats.network.sent ?? 0,
      writesAcked,
    },
  };
}

function bySide(history: History, sideOf: SideOf): SeedMeasures['sides'] {
  const sides: Record<string, { attempted: number; ok: number }> = {};
  for (const op of history) {
    if (op.phase !== 'faulty') continue;
    const side = sideOf(op);
    const s = sides[side] ?? { attempted: 0, ok: 0 };
    sides[side] = s;
    s.attempted++;
    if (op.outcome === 'ok') s.ok++;
  }
  return sides;
}

function latencies(history: History): number[] {
  const out: number[] = [];
  for (const op of history)
    if (op.phase !== 'final' && op.outcome === 'ok' && op.completeUs !== undefined)
      out.push(op.completeUs - op.invokeUs);
  return out;
}

const formatNothing = (op: Operation) => op.f;

function sessionMeasures(history: History): Partial<SeedMeasures> {
  const r = checkSessionGuarantees(history, formatNothing);
  const ev = r.evidence as SessionGuaranteesEvidence | undefined;
  if (ev === undefined) return {};
  const sessions = Object.fromEntries(
    GUARANTEES.map((g) => [g, { count: ev.violations[g], of: ev.judged[g] }]),
  ) as Record<Guarantee, Tally>;
  return { sessions, staleReads: { count: ev.staleReads, of: ev.readsJudgedForStaleness } };
}

function durabilityMeasures(history: History): Partial<SeedMeasures> {
  if (!history.some((op) => typeof (op.input as { key?: unknown }).key === 'string')) return {};
  const ev = checkDurability(history).evidence as DurabilityEvidence;
  return {
    lost: { count: ev.lost.length, of: ev.acknowledged },
    overwritten: ev.overwritten,
  };
}

function convergence(result: RunResult): Partial<SeedMeasures> {
  const check = result.checks.find((c) => c.checker === 'convergence');
  const us = (check?.evidence as { convergenceUs?: number } | undefined)?.convergenceUs;
  return check?.verdict === 'ok' && us !== undefined ? { convergenceUs: us } : {};
}
