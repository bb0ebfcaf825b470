/**
 * What one seed of one variant shows a comparison, measured from its result and history in the
 * worker thread that ran it, so only numbers cross back: operations attempted and succeeded in
 * the faulty phase by side of the partition, the latency of every successful operation, each
 * checker's verdict, and, where the workload lets them be judged, stale reads, session-guarantee
 * violations (session-guarantees.ts, whether or not the variant names that checker) and
 * acknowledged writes lost or possibly overwritten (durability.ts: kv and kv-context), and how
 * long after healing the replicas converged (the convergence checker's evidence, when the variant
 * runs it).
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
