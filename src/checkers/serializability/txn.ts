/**
 * A transaction as the serializability checker sees it: Elle's list-append shape (Kingsbury &
 * Alvaro, "Elle: Inferring Isolation Anomalies from Experimental Observations", VLDB 2020).
 * Every object is a list; a transaction is a sequence of micro-operations, each an append of a
 * value to a key or a read of a key's whole list. Keys and values are kept as their canonical
 * text (`:x`, `1`), so EDN keywords, integers and JSON strings compare the same way.
 *
 * The outcome is Jepsen's: `ok` committed, `fail` definitely did not happen (an abort), `info`
 * unknown (it may have committed; its reads are not known, so they are not used).
 */

export type TxnOutcome = 'ok' | 'fail' | 'info';

export type Mop =
  | { readonly f: 'append'; readonly key: string; readonly value: string }
  /** `value` is the list read, or null where it is unknown (an invocation, an `info`). */
  | { readonly f: 'r'; readonly key: string; readonly value: readonly string[] | null };

export interface Txn {
  /** Position in the history (Jepsen's `:index` when the file gives one); names it `T<index>`. */
  readonly index: number;
  readonly process: string;
  readonly outcome: TxnOutcome;
  readonly mops: readonly Mop[];
  /** Where the transaction's completion is written in its file, when it came from one. */
  readonly line?: number;
}

/** `T12`: how evidence names a transaction. */
export const txnName = (t: Txn): string => `T${t.index}`;

/** `[append :x 1]`, `[r :y [1 2]]`, as Elle prints micro-operations. */
export function mopText(m: Mop): string {
  if (m.f === 'append') return `[append ${m.key} ${m.value}]`;
  return `[r ${m.key} ${m.value === null ? 'nil' : `[${m.value.join(' ')}]`}]`;
}

/** `T12 = ok [[append :x 1] [r :y [1]]]`, with the process. */
export function txnText(t: Txn): string {
  return `${txnName(t)} = ${t.outcome} [${t.mops.map(mopText).join(' ')}] (process ${t.process})`;
}
