/**
 * Shard math: shards 1/n … n/n are contiguous blocks of ceil(total / n) seeds, in order, and
 * together cover the sweep exactly once (the last blocks may be short or empty).
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { shardRange } from '../../../src/fuzz/shard.js';

describe('shardRange', () => {
  it('cuts 1..1000 into four blocks of 250, as vitest cuts files', () => {
    const sweep = { from: 1, to: 1000 };
    expect([1, 2, 3, 4].map((index) => shardRange(sweep, { index, count: 4 }))).toEqual([
      { from: 1, to: 250 },
      { from: 251, to: 500 },
      { from: 501, to: 750 },
      { from: 751, to: 1000 },
    ]);
  });

  it('gives the remainder to the last block, and an empty shard when seeds run out', () => {
    expect([1, 2, 3].map((index) => shardRange({ from: 1, to: 10 }, { index, count: 3 }))).toEqual([
      { from: 1, to: 4 },
      { from: 5, to: 8 },
      { from: 9, to: 10 },
    ]);
    expect(
      [1, 2, 3, 4].map((index) => shardRange({ from: 5, to: 9 }, { index, count: 4 })),
    ).toEqual([{ from: 5, to: 6 }, { from: 7, to: 8 }, { from: 9, to: 9 }, undefined]);
  });

  test.prop([
    fc.nat({ max: 10_000 }),
    fc.integer({ min: 1, max: 5_000 }),
    fc.integer({ min: 1, max: 64 }),
  ])('shards cover the sweep exactly once, in order', (from, total, count) => {
    const seeds: number[] = [];
    for (let index = 1; index <= count; index++) {
      const r = shardRange({ from, to: from + total - 1 }, { index, count });
      if (r === undefined) continue;
      for (let s = r.from; s <= r.to; s++) seeds.push(s);
    }
    expect(seeds.length).toBe(total);
    expect(seeds.every((s, i) => s === from + i)).toBe(true);
  });
});
