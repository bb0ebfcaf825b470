/**
 * Mutual exclusion of a lock's holders, judged where it matters: at the resource the lock
 * protects (Kleppmann, "How to do distributed locking", 2016; Jepsen's etcd 3.4.3 lock test,
 * which judges a lock by the writes it was meant to order). The store's final audit lists every
 * write it judged, in the order it judged them, each naming its lease (the owner value of the
 * acquisition, unique to it) and the lease's fencing token. Over the writes the store took, per
 * key:
 *
 * - no overlap: one holder's writes are never split by another's (X, Y, X: two critical
 *   sections interleaved at the resource, so the lock excluded nothing);
 * - no stale write: no write under an older lease (a lower token) was taken after one under a
 *   newer lease: its holder wrote after its lease had passed on, which fencing exists to refuse;
 * - one holder per token: two leases never share a token.
 *
 * And from the history, whatever the store says: the tokens the server granted increase in
 * real time (an acquire that completed before another began got the lower token), and every
 * write a holder was told was taken is in the audit. A token handed out twice, after a server
 * restart, say, breaks the first; a store that forgot a write breaks the second.
 *
 * With fencing on, the store refused every stale token exactly when none of these breaks. A run
 * without a completed audit checked nothing, and says so (`unknown`).
 */
import type { Operation } from '../core/history.js';
import type { LockGrant, LockInput, LockOutput, StoreAudit, StoreEntry } from '../core/lock-ops.js';
import type { CheckResult } from './check-result.js';
import type { CheckerDefinition, RunRecord } from './checker-definition.js';

type LockOp = Operation<LockInput, LockOutput>;

interface MutualExclusionEvidence {
  readonly problems: readonly string[];
  /** Writes the store took and refused (stale tokens), over the audit. */
  readonly accepted: number;
  readonly rejected: number;
  /** Leases granted (acquires that succeeded) in the history. */
  readonly grants: number;
}

export const mutualExclusionChecker: CheckerDefinition = {
  name: 'mutual-exclusion',
  summary:
    'no two holders’ writes to the protected store overlap (in the store’s order, one lease’s writes are never split by another’s, and no older lease writes after a newer one), tokens increase with every grant, and every acknowledged write was kept',
  appliesTo: 'lock histories',
  fits: (scope) =>
    scope.workload.name === 'lock' ? undefined : `the ${scope.workload.name} workload is not lock`,
  check: (run) => [checkMutualExclusion(run)],
  details: (result) => [
    ...((result.evidence as MutualExclusionEvidence | undefined)?.problems ?? []),
  ],
};

export function checkMutualExclusion(run: Pick<RunRecord, 'history'>): CheckResult {
  const ops = run.history as readonly LockOp[];
  const audit = lastAudit(ops);
  const problems: string[] = [];
  const grants = grantsOf(ops);
  problems.push(...tokensOutOfOrder(grants));
  if (audit === undefined)
    return problems.length > 0
      ? violation(problems, { problems, accepted: 0, rejected: 0, grants: grants.length })
      : {
          checker: 'mutual-exclusion',
          verdict: 'unknown',
          summary: 'no audit of the store completed: no write was judged',
        };
  const byKey = new Map<string, StoreEntry[]>();
  for (const e of audit.entries) {
    if (!e.accepted) continue;
    const list = byKey.get(e.key) ?? [];
    byKey.set(e.key, list);
    list.push(e);
  }
  for (const [key, list] of [...byKey].sort((a, b) => (a[0] < b[0] ? -1 : 1)))
    problems.push(...judgeKey(key, list));
  problems.push(...lostWrites(ops, audit));
  const accepted = audit.entries.filter((e) => e.accepted).length;
  const evidence = {
    problems,
    accepted,
    rejected: audit.entries.length - accepted,
    grants: grants.length,
  };
  if (problems.length > 0) return violation(problems, evidence);
  return {
    checker: 'mutual-exclusion',
    verdict: 'ok',
    summary: `${accepted} writes taken under ${grants.length} leases never overlapped; ${evidence.rejected} stale writes refused`,
    evidence,
  };
}

function violation(problems: readonly string[], evidence: MutualExclusionEvidence): CheckResult {
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  return {
    checker: 'mutual-exclusion',
    verdict: 'violation',
    summary: `${problems[0]}${more}`,
    evidence: { ...evidence, problems: problems.slice(0, 20) },
  };
}

function lastAudit(ops: readonly LockOp[]): StoreAudit | undefined {
  let found: StoreAudit | undefined;
  for (const op of ops)
    if (op.input.f === 'audit' && op.outcome === 'ok' && op.output != null)
      found = op.output as StoreAudit;
  return found;
}

/** One key's taken writes, in the store's order: no split lease, no older lease after a newer. */
function judgeKey(key: string, list: readonly StoreEntry[]): string[] {
  const problems: string[] = [];
  const ended = new Set<string>();
  const tokenOwner = new Map<number, string>();
  let newest: StoreEntry | undefined;
  let prev: StoreEntry | undefined;
  for (const e of list) {
    if (prev !== undefined && prev.owner !== e.owner) ended.add(prev.owner);
    if (ended.has(e.owner) && prev?.owner !== e.owner)
      problems.push(
        `${key}: ${e.owner}'s write ${e.value} came after ${prev?.owner}'s ${prev?.value}, inside ${e.owner}'s own run of writes: two holders' critical sections overlapped`,
      );
    else if (newest !== undefined && e.token < newest.token)
      problems.push(
        `${key}: the store took ${e.owner}'s write ${e.value} with token ${e.token} after ${newest.owner}'s with token ${newest.token}: a stale token, from a lease that had passed on`,
      );
    const other = tokenOwner.get(e.token);
    if (other !== undefined && other !== e.owner)
      problems.push(`${key}: token ${e.token} was used by two holders, ${other} and ${e.owner}`);
    tokenOwner.set(e.token, e.owner);
    if (newest === undefined || e.token > newest.token) newest = e;
    prev = e;
  }
  return problems;
}

interface Grant {
  readonly lock: string;
  readonly owner: string;
  readonly token: number;
  readonly invokeUs: number;
  readonly completeUs: number;
}

function grantsOf(ops: readonly LockOp[]): Grant[] {
  const out: Grant[] = [];
  for (const op of ops) {
    const i = op.input;
    if (i.f !== 'acquire' || op.outcome !== 'ok' || op.completeUs === undefined) continue;
    const token = (op.output as LockGrant).token;
    out.push({
      lock: i.lock,
      owner: i.owner,
      token,
      invokeUs: op.invokeUs,
      completeUs: op.completeUs,
    });
  }
  return out;
}

/**
 * A grant that completed before another of the same lock was invoked must carry the lower
 * token. Sorted by completion, each grant is compared with the highest token of the grants
 * that completed before it was invoked.
 */
function tokensOutOfOrder(grants: readonly Grant[]): string[] {
  const problems: string[] = [];
  const byLock = new Map<string, Grant[]>();
  for (const g of grants) byLock.set(g.lock, [...(byLock.get(g.lock) ?? []), g]);
  for (const [lock, list] of [...byLock].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const done = [...list].sort((a, b) => a.completeUs - b.completeUs);
    let at = 0;
    let before: Grant | undefined;
    for (const g of [...list].sort((a, b) => a.invokeUs - b.invokeUs)) {
      for (; at < done.length && (done[at] as Grant).completeUs < g.invokeUs; at++)
        if (before === undefined || (done[at] as Grant).token > before.token) before = done[at];
      if (before !== undefined && before.owner !== g.owner && g.token <= before.token)
        problems.push(
          `${lock}: ${g.owner} was granted token ${g.token} after ${before.owner} had been granted ${before.token}: fencing tokens must increase with every grant`,
        );
    }
  }
  return problems;
}

/** Every write a holder was told was taken is in the audit. */
function lostWrites(ops: readonly LockOp[], audit: StoreAudit): string[] {
  const kept = new Set(audit.entries.filter((e) => e.accepted).map((e) => e.value));
  const problems: string[] = [];
  for (const op of ops)
    if (op.input.f === 'write' && op.outcome === 'ok' && !kept.has(op.input.value))
      problems.push(
        `the store acknowledged ${op.input.value} and its audit does not list it taken`,
      );
  return problems;
}
