import { describe, expect, it } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { Prng } from '../../../src/core/prng.js';

describe('Prng', () => {
  it('replays the same stream for the same seed and label', () => {
    const a = Prng.root(42).fork('net');
    const b = Prng.root(42).fork('net');
    expect(Array.from({ length: 20 }, () => a.uint32())).toEqual(
      Array.from({ length: 20 }, () => b.uint32()),
    );
  });

  it('forks are independent: draws on one stream do not move another', () => {
    const root = Prng.root(7);
    const n3 = root.fork('node:n3');
    const first = n3.uint32();
    const root2 = Prng.root(7);
    const net = root2.fork('net');
    for (let i = 0; i < 1000; i++) net.uint32();
    expect(root2.fork('node:n3').uint32()).toBe(first);
  });

  test.prop([
    fc.integer({ min: 0, max: 2 ** 31 }),
    fc.integer({ min: -1000, max: 1000 }),
    fc.integer({ min: 0, max: 5000 }),
  ])('int stays in range', (seed, min, span) => {
    const r = Prng.root(seed);
    for (let i = 0; i < 20; i++) {
      const x = r.int(min, min + span);
      expect(x).toBeGreaterThanOrEqual(min);
      expect(x).toBeLessThanOrEqual(min + span);
      expect(Number.isInteger(x)).toBe(true);
    }
  });

  it('chance hits its rate within a few percent over many draws', () => {
    const r = Prng.root(1);
    let hits = 0;
    for (let i = 0; i < 100_000; i++) if (r.chance(1, 4)) hits++;
    expect(hits / 100_000).toBeGreaterThan(0.24);
    expect(hits / 100_000).toBeLessThan(0.26);
  });

  it('exponential has about the right mean and returns whole microseconds', () => {
    const r = Prng.root(3);
    let sum = 0;
    for (let i = 0; i < 50_000; i++) {
      const x = r.exponential(1000);
      expect(Number.isInteger(x)).toBe(true);
      sum += x;
    }
    expect(sum / 50_000).toBeGreaterThan(970);
    expect(sum / 50_000).toBeLessThan(1030);
  });

  it('shuffle is a permutation', () => {
    const r = Prng.root(9);
    const xs = Array.from({ length: 50 }, (_, i) => i);
    expect([...r.shuffle([...xs])].sort((a, b) => a - b)).toEqual(xs);
  });
});
