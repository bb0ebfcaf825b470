/**
 * Hand-written list-append histories with the anomaly each shows, the checker's test set (issue
 * 15): one per anomaly it names, plus serializable ones that look close to an anomaly. Written
 * as Elle writes them: `[['append', 'x', 1], ['r', 'y', [1]]]`.
 */
import type { AnomalyType } from '../../../../src/checkers/serializability/anomaly.js';
import type { Mop, Txn, TxnOutcome } from '../../../../src/checkers/serializability/txn.js';

export type MopSpec =
  | readonly ['append', string, number]
  | readonly ['r', string, readonly number[]];
export type TxnSpec =
  | readonly MopSpec[]
  | { readonly outcome: TxnOutcome; readonly mops: MopSpec[] };

/** Transactions named T0, T1, … in order; `ok` unless a spec says otherwise. */
export function history(...specs: TxnSpec[]): Txn[] {
  return specs.map((spec, index) => {
    const { outcome, mops } = Array.isArray(spec)
      ? { outcome: 'ok' as const, mops: spec as readonly MopSpec[] }
      : (spec as { outcome: TxnOutcome; mops: MopSpec[] });
    return { index, process: String(index), outcome, mops: mops.map(toMop) };
  });
}

function toMop(m: MopSpec): Mop {
  if (m[0] === 'append') return { f: 'append', key: m[1], value: String(m[2]) };
  return { f: 'r', key: m[1], value: (m[2] as readonly number[]).map(String) };
}

export interface KnownCase {
  readonly name: string;
  readonly txns: Txn[];
  /** The anomaly types the checker must report, exactly; empty for a serializable history. */
  readonly expected: readonly AnomalyType[];
}

export const KNOWN_CASES: readonly KnownCase[] = [
  {
    name: 'serial appends and reads',
    txns: history(
      [['append', 'x', 1]],
      [
        ['r', 'x', [1]],
        ['append', 'x', 2],
      ],
      [
        ['r', 'x', [1, 2]],
        ['r', 'y', []],
      ],
    ),
    expected: [],
  },
  {
    name: 'stale read explained by an order other than the history order',
    txns: history(
      [['append', 'x', 1]],
      [
        ['r', 'x', []],
        ['append', 'y', 1],
      ],
      [['r', 'y', [1]]],
    ),
    expected: [],
  },
  {
    name: 'read of its own appends, and an info append nobody saw',
    txns: history(
      [
        ['append', 'x', 1],
        ['r', 'x', [1]],
        ['append', 'x', 2],
        ['r', 'x', [1, 2]],
      ],
      { outcome: 'info', mops: [['append', 'x', 3]] },
      { outcome: 'fail', mops: [['append', 'x', 4]] },
      [['r', 'x', [1, 2]]],
    ),
    expected: [],
  },
  {
    name: 'the reads of a transaction of unknown outcome are not evidence',
    txns: history(
      [
        ['append', 'x', 1],
        ['r', 'y', []],
      ],
      {
        outcome: 'info',
        mops: [
          ['r', 'x', []],
          ['append', 'y', 1],
        ],
      },
    ),
    expected: [],
  },
  {
    name: 'G0: two writers in opposite orders on two keys',
    txns: history(
      [
        ['append', 'x', 1],
        ['append', 'y', 1],
      ],
      [
        ['append', 'x', 2],
        ['append', 'y', 2],
      ],
      [
        ['r', 'x', [1, 2]],
        ['r', 'y', [2, 1]],
      ],
    ),
    expected: ['G0'],
  },
  {
    name: "G1a: a read of an aborted transaction's append",
    txns: history({ outcome: 'fail', mops: [['append', 'x', 1]] }, [['r', 'x', [1]]]),
    expected: ['G1a'],
  },
  {
    name: "G1b: a read of another transaction's intermediate state",
    txns: history(
      [
        ['append', 'x', 1],
        ['append', 'x', 2],
      ],
      [['r', 'x', [1]]],
    ),
    expected: ['G1b'],
  },
  {
    name: "G1c: Elle's README example, wr one way and ww the other",
    txns: history(
      [
        ['append', 'x', 1],
        ['r', 'y', [1]],
      ],
      [
        ['append', 'x', 2],
        ['append', 'y', 1],
      ],
      [['r', 'x', [1, 2]]],
    ),
    expected: ['G1c'],
  },
  {
    name: 'G2-item: write skew, each read misses the other append',
    txns: history(
      [
        ['r', 'x', []],
        ['append', 'y', 1],
      ],
      [
        ['r', 'y', []],
        ['append', 'x', 1],
      ],
    ),
    expected: ['G2-item'],
  },
  {
    name: 'G2-item: a lost update, both read [] then appended',
    txns: history(
      [
        ['r', 'x', []],
        ['append', 'x', 1],
      ],
      [
        ['r', 'x', []],
        ['append', 'x', 2],
      ],
      [['r', 'x', [1, 2]]],
    ),
    expected: ['G2-item'],
  },
  {
    name: 'an order where a later read shows an append an earlier read missed',
    txns: history(
      [
        ['r', 'x', []],
        ['append', 'y', 1],
      ],
      [['append', 'x', 1]],
      [
        ['r', 'y', [1]],
        ['r', 'x', [1]],
      ],
    ),
    expected: [],
  },
  {
    name: 'internal: a read that misses its own append',
    txns: history([
      ['append', 'x', 1],
      ['r', 'x', []],
    ]),
    expected: ['internal'],
  },
  {
    name: 'incompatible-order: two reads neither of which extends the other',
    txns: history(
      [['append', 'x', 1]],
      [['append', 'x', 2]],
      [['r', 'x', [1, 2]]],
      [['r', 'x', [2, 1]]],
    ),
    expected: ['incompatible-order'],
  },
  {
    name: 'duplicate-appends: one value appended twice',
    txns: history([['append', 'x', 1]], [['append', 'x', 1]]),
    expected: ['duplicate-appends'],
  },
  {
    name: 'duplicate-elements and garbage: a read of a value twice that nobody appended',
    txns: history([['r', 'x', [7, 7]]]),
    expected: ['duplicate-elements', 'garbage-read'],
  },
];
