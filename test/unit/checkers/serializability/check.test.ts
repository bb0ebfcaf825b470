/**
 * The serializability checker on its test set: every hand-written history gets exactly its
 * anomaly types, the brute-force oracle agrees on each verdict, and the evidence reads as Elle's
 * does.
 */
import { describe, expect, it } from 'vitest';
import { bruteForceSerializable } from '../../../../src/checkers/serializability/brute-force.js';
import { checkSerializable } from '../../../../src/checkers/serializability/check.js';
import { history, KNOWN_CASES, type MopSpec } from './cases.js';

describe('checkSerializable on histories with known anomalies', () => {
  it.each(KNOWN_CASES)('$name: $expected', (c) => {
    const r = checkSerializable(c.txns);
    expect(r.anomalyTypes).toEqual(c.expected);
    expect(r.verdict).toBe(c.expected.length === 0 ? 'ok' : 'violation');
  });

  // Duplicate appends break the workload's contract (unique values), not a serial order.
  const judged = KNOWN_CASES.filter((c) => !c.expected.includes('duplicate-appends'));
  it.each(judged)('the oracle agrees on $name', (c) => {
    expect(bruteForceSerializable(c.txns)).toBe(c.expected.length === 0);
  });

  it("explains G1c in Elle's sentences", () => {
    const c = KNOWN_CASES.find((k) => k.expected[0] === 'G1c')!;
    const a = checkSerializable(c.txns).anomalies[0]!;
    expect(a.sentences).toEqual([
      'T0 < T1, because T1 appended 2 after T0 appended 1 to key x.',
      "However, T1 < T0, because T0 read T1's append of 1 to key y: a contradiction!",
    ]);
    expect(a.steps!.map((s) => s.type)).toEqual(['ww', 'wr']);
  });

  it('explains write skew with its two anti-dependencies', () => {
    const c = KNOWN_CASES.find((k) => k.name.startsWith('G2-item: write skew'))!;
    const a = checkSerializable(c.txns).anomalies[0]!;
    expect(a.sentences).toEqual([
      "T0 < T1, because T0 read key x without T1's append of 1.",
      "However, T1 < T0, because T1 read key y without T0's append of 1: a contradiction!",
    ]);
  });

  it('reports the shortest cycle of a long component', () => {
    // T0..T4 each read the previous one's key empty and append to their own: a ring of rw
    // edges, with a shortcut T2 ⇄ T3 through key z.
    const txns = history(
      [
        ['r', 'k4', []],
        ['append', 'k0', 1],
      ],
      [
        ['r', 'k0', []],
        ['append', 'k1', 1],
      ],
      [
        ['r', 'k1', []],
        ['append', 'k2', 1],
        ['r', 'z', []],
      ],
      [
        ['r', 'k2', []],
        ['append', 'k3', 1],
        ['append', 'z', 1],
      ],
      [
        ['r', 'k3', []],
        ['append', 'k4', 1],
      ],
    );
    const r = checkSerializable(txns);
    expect(r.components).toBe(1);
    expect(r.anomalies[0]!.txns.map((t) => t.index).sort()).toEqual([2, 3]);
  });

  it('finds the one lost update in 20,000 serial transactions', () => {
    // Each key takes 32 appends, as Elle's generator rotates keys, ten keys in use at a time.
    const specs: (readonly MopSpec[])[] = [];
    const lists = new Map<string, number[]>();
    for (let i = 0; i < 20_000; i++) {
      const key = `k${Math.floor(i / 320) * 10 + (i % 10)}`;
      const read = lists.get(key) ?? [];
      lists.set(key, [...read, i]);
      specs.push([
        ['r', key, read],
        ['append', key, i],
      ]);
    }
    expect(checkSerializable(history(...specs)).verdict).toBe('ok');
    // Transaction 15,000 reads its key as if 14,990 (the previous append to it) never ran.
    const stale = specs[14_990]![0]!;
    specs[15_000] = [stale, ['append', 'k460', 15_000]];
    const r = checkSerializable(history(...specs));
    expect(r.anomalyTypes).toEqual(['G2-item']);
    expect(r.anomalies[0]!.txns.map((t) => t.index).sort()).toEqual([14_990, 15_000]);
  });
});
