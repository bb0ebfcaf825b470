/**
 * What each transaction says about each key, read off its micro-operations: the block of values
 * it appended (in order; a serial execution keeps them together in the list), and for a committed
 * transaction its external read, the list as other transactions left it. A read after the
 * transaction's own appends must show exactly them at its end, and every read of a key in one
 * transaction must agree on what came before: otherwise the transaction contradicts itself, and
 * no serial order can explain it (Elle's `internal` anomaly).
 *
 * The reads of an `info` transaction are unknown (Jepsen records the invocation), so only its
 * appends are kept; a `fail` transaction's appends are kept to recognise an aborted read.
 */
import type { Anomaly } from './anomaly.js';
import { mopText, type Txn, txnName } from './txn.js';

interface KeyView {
  /** Values this transaction appended to the key, in order. */
  readonly block: string[];
  /** The list before this transaction's own appends, if it read the key and committed. */
  ext: readonly string[] | undefined;
  /** The longest list this transaction read of the key, own appends included. */
  full: readonly string[] | undefined;
}

/** Per transaction (by position), per key. */
export type Observations = Map<string, KeyView>[];

export function observe(txns: readonly Txn[], anomalies: Anomaly[]): Observations {
  return txns.map((t) => observeTxn(t, anomalies));
}

function observeTxn(t: Txn, anomalies: Anomaly[]): Map<string, KeyView> {
  const views = new Map<string, KeyView>();
  const view = (key: string): KeyView => {
    let v = views.get(key);
    if (v === undefined) {
      v = { block: [], ext: undefined, full: undefined };
      views.set(key, v);
    }
    return v;
  };
  let broken = false;
  for (const m of t.mops) {
    const v = view(m.key);
    if (m.f === 'append') {
      v.block.push(m.value);
      continue;
    }
    if (t.outcome !== 'ok' || m.value === null || broken) continue;
    const problem = readProblem(v, m.value);
    if (problem !== undefined) {
      broken = true;
      anomalies.push({
        type: 'internal',
        txns: [t],
        sentences: [`${txnName(t)}'s ${mopText(m)} ${problem}`],
      });
      continue;
    }
    if (v.full === undefined || m.value.length > v.full.length) v.full = m.value;
  }
  if (!broken) futureReads(t, views, anomalies);
  return views;
}

/** A read that shows a value the transaction appends only later. */
function futureReads(t: Txn, views: Map<string, KeyView>, anomalies: Anomaly[]): void {
  for (const [key, v] of views) {
    const early = v.ext?.find((x) => v.block.includes(x));
    if (early === undefined) continue;
    anomalies.push({
      type: 'internal',
      txns: [t],
      sentences: [`${txnName(t)} read ${early} in key ${key} before it appended ${early} itself`],
    });
    return;
  }
}

/** Why a read cannot follow the transaction's own earlier appends and reads, or undefined. */
function readProblem(v: KeyView, read: readonly string[]): string | undefined {
  const own = v.block;
  const cut = read.length - own.length;
  for (let i = 0; i < own.length; i++)
    if (read[cut + i] !== own[i]) return `does not end with its own appends [${own.join(' ')}]`;
  if (cut < 0) return `does not end with its own appends [${own.join(' ')}]`;
  const ext = read.slice(0, cut);
  if (v.ext === undefined) {
    v.ext = ext;
    return undefined;
  }
  if (ext.length !== v.ext.length || ext.some((x, i) => x !== v.ext![i]))
    return `disagrees with its earlier read, which showed [${v.ext.join(' ')}] before its own appends`;
  return undefined;
}
