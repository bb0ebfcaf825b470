/**
 * One operation of a transactional history as a file writes it, before invocations are paired
 * with completions: Jepsen's `{:type :ok, :process 3, :value [[:append :x 1] [:r :y [1]]]}`.
 * `txnsOf` pairs them per process, as Jepsen histories are written (each process alternates an
 * invocation and its completion), and turns completions into transactions; an invocation left
 * open at the end of the history is a transaction of unknown outcome, as Jepsen treats it.
 */
import type { ParseError } from '../../linearizability/formats/parse-result.js';
import type { Mop, Txn } from '../txn.js';

export interface RawOp {
  readonly type: 'invoke' | 'ok' | 'fail' | 'info';
  readonly process: string;
  /** Jepsen's `:index`, when the file gives one. */
  readonly index: number | undefined;
  /** Position among all the file's operations (nemesis ones included): the index otherwise. */
  readonly ordinal: number;
  /** Undefined where the operation has no value (an `info` completion may leave it out). */
  readonly mops: readonly Mop[] | undefined;
  readonly line: number;
  readonly column: number;
}

export type TxnHistory =
  | { readonly ok: true; readonly txns: Txn[] }
  | { readonly ok: false; readonly errors: ParseError[] };

/** Transactions from operations in history order. */
export function txnsOf(ops: readonly RawOp[]): TxnHistory {
  const open = new Map<string, RawOp>();
  const txns: Txn[] = [];
  const errors: ParseError[] = [];
  for (const op of ops) {
    if (op.type === 'invoke') {
      if (open.has(op.process))
        errors.push(
          at(op, `process ${op.process} invokes again before its last transaction completed`),
        );
      open.set(op.process, op);
      continue;
    }
    const invoke = open.get(op.process);
    open.delete(op.process);
    const mops = op.mops ?? invoke?.mops;
    if (mops === undefined) {
      errors.push(at(op, "expected :value, the transaction's micro-operations"));
      continue;
    }
    txns.push(txn(op, op.type, mops));
  }
  for (const op of open.values()) if (op.mops !== undefined) txns.push(txn(op, 'info', op.mops));
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, txns };
}

function txn(op: RawOp, outcome: Txn['outcome'], mops: readonly Mop[]): Txn {
  return { index: op.index ?? op.ordinal, process: op.process, outcome, mops, line: op.line };
}

function at(op: RawOp, message: string): ParseError {
  return { line: op.line, column: op.column, message };
}
