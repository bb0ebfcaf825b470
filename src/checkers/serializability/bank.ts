/**
 * The bank workload (transfers between accounts, reads of balances) in a form the list-append
 * checker can judge. Bare balances are registers of numbers that many transfer sequences reach:
 * from `a = 90` nothing says which transfers a reader saw, so no write-read, write-write or
 * read-write dependency can be inferred, only that totals are conserved (Jepsen's bank checker).
 * So each account also keeps the ids of the transfers applied to it, in order, and a read returns
 * both: a transfer is then an append of its unique id to both accounts' lists, a read a list read
 * of each account, and every Elle inference applies (G0 to G2-item across accounts).
 *
 * On top, each balance is checked against its list: the balance minus the applied transfers'
 * amounts is the account's initial balance, and it must be the same at every read
 * (`wrong-balance` otherwise; with it, the total is conserved at every read that passes).
 */
import type { Anomaly } from './anomaly.js';
import { type CheckOptions, checkSerializable, type SerialCheck } from './check.js';
import type { Mop, Txn, TxnOutcome } from './txn.js';

export type BankOp =
  | {
      readonly f: 'transfer';
      /** Unique per transfer: what the accounts' lists record. */
      readonly id: string;
      readonly from: string;
      readonly to: string;
      readonly amount: number;
    }
  | {
      readonly f: 'read';
      /** Per account: its balance and the ids of the transfers applied to it, in order. */
      readonly accounts: Readonly<
        Record<string, { readonly balance: number; readonly applied: readonly string[] }>
      >;
    };

export interface BankTxn {
  readonly index: number;
  readonly process: string;
  readonly outcome: TxnOutcome;
  /** For an `info` or `fail` read, the accounts are not known: pass `accounts: {}`. */
  readonly op: BankOp;
}

/** The list-append transaction a bank operation stands for. */
export function bankAsListAppend(t: BankTxn): Txn {
  const op = t.op;
  const mops: Mop[] =
    op.f === 'transfer'
      ? [
          { f: 'append', key: op.from, value: op.id },
          { f: 'append', key: op.to, value: op.id },
        ]
      : Object.keys(op.accounts)
          .sort()
          .map((key) => ({ f: 'r', key, value: op.accounts[key]!.applied }));
  return { index: t.index, process: t.process, outcome: t.outcome, mops };
}

/**
 * A bank history that breaks the workload's contract: a transfer from an account to itself, or
 * of an amount that is not a positive whole number. Nothing about such a transfer can be judged
 * (a self-transfer appends its id twice to one list), so the history is refused, naming it.
 */
export class BadBankHistory extends Error {
  override readonly name = 'BadBankHistory';
}

function validate(txns: readonly BankTxn[]): void {
  for (const t of txns) {
    const op = t.op;
    if (op.f !== 'transfer') continue;
    const at = `T${t.index}: transfer ${op.id}`;
    if (op.from === op.to)
      throw new BadBankHistory(
        `${at} moves money from ${op.from} to ${op.from} itself: expected two different accounts`,
      );
    if (!Number.isSafeInteger(op.amount) || op.amount <= 0)
      throw new BadBankHistory(`${at} moves ${op.amount}: expected a positive whole amount`);
  }
}

/** The bank history's anomalies; throws BadBankHistory on a transfer the workload cannot make. */
export function checkBank(txns: readonly BankTxn[], options: CheckOptions = {}): SerialCheck {
  validate(txns);
  const r = checkSerializable(txns.map(bankAsListAppend), options);
  const wrong = wrongBalances(txns);
  if (wrong.length === 0) return r;
  return {
    ...r,
    verdict: 'violation',
    anomalies: [...r.anomalies, ...wrong],
    anomalyTypes: [...r.anomalyTypes, 'wrong-balance'],
  };
}

/** Reads whose balance, less the transfers they list, gives another initial balance. */
function wrongBalances(txns: readonly BankTxn[]): Anomaly[] {
  const transfers = new Map<string, Extract<BankOp, { f: 'transfer' }>>();
  for (const t of txns) if (t.op.f === 'transfer') transfers.set(t.op.id, t.op);
  const initial = new Map<string, { amount: number; by: BankTxn }>();
  const out: Anomaly[] = [];
  for (const t of txns) {
    if (t.outcome !== 'ok' || t.op.f !== 'read') continue;
    for (const [account, seen] of Object.entries(t.op.accounts)) {
      let start = seen.balance;
      for (const id of seen.applied) {
        const x = transfers.get(id);
        if (x?.to === account) start -= x.amount;
        if (x?.from === account) start += x.amount;
      }
      const first = initial.get(account);
      if (first === undefined) initial.set(account, { amount: start, by: t });
      else if (first.amount !== start)
        out.push({
          type: 'wrong-balance',
          txns: [first.by, t].map(bankAsListAppend),
          sentences: [
            `T${t.index} read account ${account} as ${seen.balance} after [${seen.applied.join(' ')}], so it started at ${start}; T${first.by.index}'s read says it started at ${first.amount}`,
          ],
        });
    }
  }
  return out;
}
