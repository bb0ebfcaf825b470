/**
 * What the serializability checker reports. The cycle anomalies are Adya's (Adya, Liskov &
 * O'Neil, "Generalized Isolation Level Definitions", ICDE 2000) as Elle names them: G0 a cycle of
 * write-write dependencies alone, G1c a cycle of write-write and write-read dependencies, G2-item
 * a cycle with at least one read-write anti-dependency. G1a (aborted read) and G1b (intermediate
 * read) are seen directly in a read. The rest are Elle's list-append findings that no serial
 * order could explain either: a transaction that contradicts itself (`internal`), two reads of a
 * key that no single list order allows (`incompatible-order`), a value appended twice, a read
 * holding one value twice, and a read of a value nobody appended (`garbage-read`). The bank
 * workload adds `wrong-balance`: a balance its applied transfers do not account for.
 */
import type { Txn } from './txn.js';

export const ANOMALY_TYPES = [
  'G0',
  'G1a',
  'G1b',
  'G1c',
  'G2-item',
  'internal',
  'incompatible-order',
  'duplicate-appends',
  'duplicate-elements',
  'garbage-read',
  'wrong-balance',
] as const;
export type AnomalyType = (typeof ANOMALY_TYPES)[number];

/** One dependency of a cycle, from `from` to `to`, with the sentence that justifies it. */
export interface CycleStep {
  readonly type: 'ww' | 'wr' | 'rw';
  readonly from: Txn;
  readonly to: Txn;
  readonly key: string;
  readonly sentence: string;
}

export interface Anomaly {
  readonly type: AnomalyType;
  /** The transactions involved: the cycle's, in order, or the reader and the writers. */
  readonly txns: readonly Txn[];
  /** For a cycle: each dependency in order, the last leading back to the first transaction. */
  readonly steps?: readonly CycleStep[];
  /** What happened, in Elle's words: one sentence, or one per step of a cycle. */
  readonly sentences: readonly string[];
}
