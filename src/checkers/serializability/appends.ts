/**
 * Who appended each value to each key. Elle's list-append relies on every append being unique
 * per key, so a value names the one write that put it there; a value appended twice is reported
 * (`duplicate-appends`) and then stands for its first committed appender. A value is resolved to
 * the transaction that wrote it only where that transaction committed or may have (`ok`, `info`):
 * a value whose only writers aborted is an aborted read, one nobody wrote a garbage read.
 */
import type { Anomaly } from './anomaly.js';
import type { Observations } from './observations.js';
import { type Txn, txnName } from './txn.js';

export const NO_WRITER = -1;
export const ABORTED_WRITER = -2;

export class Appends {
  /** key → value → positions of the transactions that appended it, in history order. */
  private readonly writers = new Map<string, Map<string, number[]>>();

  constructor(
    private readonly txns: readonly Txn[],
    observations: Observations,
  ) {
    observations.forEach((views, pos) => {
      for (const [key, v] of views) {
        let byValue = this.writers.get(key);
        if (byValue === undefined) {
          byValue = new Map();
          this.writers.set(key, byValue);
        }
        for (const value of v.block) {
          const list = byValue.get(value);
          if (list === undefined) byValue.set(value, [pos]);
          else list.push(pos);
        }
      }
    });
  }

  /** The committed (or maybe committed) writer of a value, or NO_WRITER / ABORTED_WRITER. */
  writerOf(key: string, value: string): number {
    const list = this.writers.get(key)?.get(value);
    if (list === undefined) return NO_WRITER;
    for (const pos of list) if (this.txns[pos]!.outcome !== 'fail') return pos;
    return ABORTED_WRITER;
  }

  /** Positions of the transactions that appended to `key` (each once). */
  writersOf(key: string): Set<number> {
    const out = new Set<number>();
    for (const list of this.writers.get(key)?.values() ?? []) for (const p of list) out.add(p);
    return out;
  }

  /** The transactions that aborted after appending `value`, for a G1a's evidence. */
  abortedWriters(key: string, value: string): Txn[] {
    return (this.writers.get(key)?.get(value) ?? []).map((p) => this.txns[p]!);
  }

  /** One `duplicate-appends` anomaly per value appended more than once to a key. */
  duplicates(anomalies: Anomaly[]): void {
    for (const [key, byValue] of this.writers)
      for (const [value, list] of byValue) {
        if (list.length < 2) continue;
        const ts = list.map((p) => this.txns[p]!);
        anomalies.push({
          type: 'duplicate-appends',
          txns: ts,
          sentences: [`${ts.map(txnName).join(' and ')} each appended ${value} to key ${key}`],
        });
      }
  }
}
