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
  /** Undefined where the operation has no value (an `info` completion may leave it out). */
  readonly mops: readonly Mop[] | undefined;
  readonly line: number;
  readonly column: number;
}

export type TxnHistory =
  | { readonly ok: true; readonly txns: Txn[] }
  | { readonly ok: false; readonly errors: ParseError[] };

/** Transactions from operations in history order; `ordinal` is each operation's position. */
export function txnsOf(ops: readonly RawOp[]): TxnHistory {
  const open = new Map<string, { op: RawOp; ordinal: number }>();
  const txns: Txn[] = [];
  const errors: ParseError[] = [];
  ops.forEach((op, ordinal) => {
    if (op.type === 'invoke') {
      if (open.has(op.process))
        errors.push(
          at(op, `process ${op.process} invokes again before its last transaction completed`),
        );
      open.set(op.process, { op, ordinal });
      return;
    }
    const invoke = open.get(op.process);
    open.delete(op.process);
    const mops = op.mops ?? invoke?.op.mops;
    if (mops === undefined) {
      errors.push(at(op, "expected :value, the transaction's micro-operations"));
      return;
    }
    txns.push(txn(op, op.index ?? ordinal, op.type, mops));
  });
  for (const { op, ordinal } of open.values())
    if (op.mops !== undefined) txns.push(txn(op, op.index ?? ordinal, 'info', op.mops));
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, txns };
}

function txn(op: RawOp, index: number, outcome: Txn['outcome'], mops: readonly Mop[]): Txn {
  return { index, process: op.process, outcome, mops, line: op.line };
}

function at(op: RawOp, message: string): ParseError {
  return { line: op.line, column: op.column, message };
}
