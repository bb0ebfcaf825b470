/**
 * What a lock costs and what it protects, from one seed's history of the lock workload: how
 * many acquisitions were attempted and granted (the lock's availability), and, from the store's
 * final audit, the writes it took, the stale ones it refused (fencing at work), and the stale
 * ones it took (a write under a lower token than one already taken for its key: a holder whose
 * lease had passed on, writing anyway). Absent for other workloads and when no audit completed.
 */
import type { History } from '../core/history.js';
import type { LockInput, StoreAudit } from '../core/lock-ops.js';

export interface LockMeasures {
  readonly acquires: number;
  readonly granted: number;
  readonly taken: number;
  readonly rejected: number;
  readonly staleTaken: number;
}

export function lockMeasures(history: History): { lock?: LockMeasures } {
  let audit: StoreAudit | undefined;
  let acquires = 0;
  let granted = 0;
  for (const op of history) {
    const f = (op.input as LockInput).f;
    if (f === 'audit' && op.outcome === 'ok') audit = op.output as StoreAudit;
    if (f !== 'acquire' || op.phase === 'final') continue;
    acquires++;
    if (op.outcome === 'ok') granted++;
  }
  if (audit === undefined) return {};
  const highest = new Map<string, number>();
  let taken = 0;
  let staleTaken = 0;
  for (const e of audit.entries) {
    if (!e.accepted) continue;
    taken++;
    if (e.token < (highest.get(e.key) ?? 0)) staleTaken++;
    highest.set(e.key, Math.max(highest.get(e.key) ?? 0, e.token));
  }
  const rejected = audit.entries.length - taken;
  return { lock: { acquires, granted, taken, rejected, staleTaken } };
}

/** Several seeds' measures, summed; undefined unless every seed has them. */
export function sumLockMeasures(
  all: readonly (LockMeasures | undefined)[],
): LockMeasures | undefined {
  if (all.length === 0 || all.some((m) => m === undefined)) return undefined;
  const ms = all as readonly LockMeasures[];
  const sum = (f: (m: LockMeasures) => number) => ms.reduce((n, m) => n + f(m), 0);
  return {
    acquires: sum((m) => m.acquires),
    granted: sum((m) => m.granted),
    taken: sum((m) => m.taken),
    rejected: sum((m) => m.rejected),
    staleTaken: sum((m) => m.staleTaken),
  };
}
