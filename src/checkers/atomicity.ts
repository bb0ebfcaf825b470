/**
 * Atomicity of transactions over the bank workload (Gray & Reuter's "all or nothing"; Jepsen's
 * bank checker for the totals): every transfer is applied on both of its accounts or on neither.
 * Judged from what clients read, since each account lists the transfers applied to it:
 *
 * - a read is a consistent snapshot when every transfer it lists on one account it also lists on
 *   the other. At every such read the total of the balances is the initial total (money is
 *   conserved). A read that saw part of a transfer is not judged here: whether that was
 *   allowed is the serializability checker's question (a G2 cycle); this one counts them.
 * - the final read, once faults healed and every decision had time to arrive, must be a
 *   consistent snapshot: a transfer on one account and not the other there was applied on one
 *   participant and not the other. Every transfer a client saw committed (`ok`) must be in it,
 *   and none a client saw aborted (`fail`), nor any id no client asked for.
 *
 * The protocol's own view (a participant that committed what another aborted) is its
 * observer's `atomic-commit` property, reported beside this by the invariants checker. A run
 * with no final read and no snapshot read checked nothing, and says so (`unknown`).
 */
import type { BankInput, BankOutput } from '../core/bank-ops.js';
import type { Operation } from '../core/history.js';
import type { CheckResult } from './check-result.js';
import type { CheckerDefinition, RunRecord } from './checker-definition.js';

type Transfer = Extract<BankInput, { f: 'transfer' }>;

export const atomicityChecker: CheckerDefinition = {
  name: 'atomicity',
  summary:
    'every transfer is applied on both of its accounts or on neither: totals are conserved at every read that saw a consistent snapshot, and the final read shows every committed transfer whole',
  appliesTo: 'bank histories',
  fits: (scope) =>
    scope.workload.name === 'bank' ? undefined : `the ${scope.workload.name} workload is not bank`,
  check: (run) => [checkAtomicity(run)],
};

interface Verdicts {
  readonly problems: string[];
  snapshots: number;
  partial: number;
  finals: number;
}

export function checkAtomicity(run: Pick<RunRecord, 'history'>): CheckResult {
  const ops = run.history as readonly Operation<BankInput, BankOutput>[];
  const transfers = new Map<string, Operation<BankInput, BankOutput>>();
  for (const op of ops) if (op.input.f === 'transfer') transfers.set(op.input.id, op);
  const v: Verdicts = { problems: [], snapshots: 0, partial: 0, finals: 0 };
  for (const op of ops) {
    if (op.input.f !== 'read' || op.outcome !== 'ok' || op.output === undefined) continue;
    judgeRead(op, op.output, transfers, v);
  }
  const seen = `${v.snapshots} snapshot reads, ${v.finals} final`;
  if (v.problems.length > 0)
    return {
      checker: 'atomicity',
      verdict: 'violation',
      summary: `${v.problems[0]}${v.problems.length > 1 ? ` (and ${v.problems.length - 1} more)` : ''}`,
      evidence: { problems: v.problems.slice(0, 20) },
    };
  if (v.finals === 0 && v.snapshots === 0)
    return {
      checker: 'atomicity',
      verdict: 'unknown',
      summary: 'checked nothing: no read of the balances completed',
    };
  const partial =
    v.partial === 0
      ? ''
      : `; ${v.partial} reads saw part of a transfer (serializability judges those)`;
  return {
    checker: 'atomicity',
    verdict: 'ok',
    summary: `every transfer whole and the total conserved at ${seen}${partial}`,
  };
}

function judgeRead(
  op: Operation<BankInput, BankOutput>,
  out: BankOutput,
  transfers: ReadonlyMap<string, Operation<BankInput, BankOutput>>,
  v: Verdicts,
): void {
  const final = op.phase === 'final';
  const where = `${final ? 'the final read' : 'read'} #${op.id}`;
  const listed = new Map<string, Set<string>>();
  for (const [account, seen] of Object.entries(out))
    for (const id of seen.applied) {
      const s = listed.get(id) ?? new Set<string>();
      listed.set(id, s);
      s.add(account);
    }
  let whole = true;
  for (const [id, accounts] of listed) {
    const t = transfers.get(id);
    if (t === undefined) {
      v.problems.push(
        `${where} lists ${id} on ${[...accounts].join(', ')}, a transfer no client asked for`,
      );
      continue;
    }
    const input = t.input as Transfer;
    if (t.outcome === 'fail')
      v.problems.push(
        `${where} lists ${id}, which its client was told aborted (${t.error ?? 'fail'})`,
      );
    const half = [input.from, input.to].filter((a) => !accounts.has(a) && a in out);
    if (half.length === 0) continue;
    whole = false;
    if (final)
      v.problems.push(
        `${where} lists ${id} (${input.from} → ${input.to}, ${input.amount}) on ${[...accounts].join(', ')} but not on ${half.join(', ')}: applied on one participant and not the other`,
      );
  }
  if (!whole) {
    if (!final) v.partial++;
    return;
  }
  conserved(op, out, where, v);
  if (final) {
    v.finals++;
    for (const [id, t] of transfers)
      if (t.outcome === 'ok' && !listed.has(id))
        v.problems.push(`${where} does not list ${id}, which its client was told committed`);
  } else v.snapshots++;
}

function conserved(
  op: Operation<BankInput, BankOutput>,
  out: BankOutput,
  where: string,
  v: Verdicts,
): void {
  const { accounts, balance } = op.input.bank;
  const names = Object.keys(out);
  const total = names.reduce((sum, a) => sum + (out[a]?.balance ?? 0), 0);
  if (names.length !== accounts)
    v.problems.push(`${where} returned ${names.length} accounts of ${accounts}`);
  else if (total !== accounts * balance)
    v.problems.push(
      `${where} totals ${total}, not the ${accounts * balance} the accounts started with`,
    );
}
