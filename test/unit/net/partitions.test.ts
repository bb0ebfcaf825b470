import { describe, expect, it } from 'vitest';
import { Prng } from '../../../src/core/prng.js';
import {
  blockedLinks,
  bridgeCut,
  majoritiesRingCut,
  makeCut,
  type Cut,
} from '../../../src/net/partitions.js';

const connected = (c: Cut, a: number, b: number) =>
  c.matrix[a * c.n + b] === 0 && c.matrix[b * c.n + a] === 0;
const sees = (c: Cut, a: number) =>
  Array.from({ length: c.n }, (_, b) => b).filter((b) => b === a || connected(c, a, b));

describe('partition shapes', () => {
  it('halves splits first half from the rest', () => {
    const c = makeCut(5, { shape: 'halves' }, Prng.root(1));
    expect(c.description).toBe('n1 n2 | n3 n4 n5');
    expect(connected(c, 0, 1)).toBe(true);
    expect(connected(c, 1, 2)).toBe(false);
  });

  it('isolate cuts one node from all others', () => {
    const c = makeCut(5, { shape: 'isolate', node: 2 }, Prng.root(1));
    expect(sees(c, 2)).toEqual([2]);
    expect(sees(c, 0)).toEqual([0, 1, 3, 4]);
  });

  it('bridge: one node sees both sides, the sides do not see each other (non-transitive)', () => {
    for (let seed = 0; seed < 20; seed++) {
      const c = makeCut(5, { shape: 'bridge' }, Prng.root(seed));
      const bridge = [0, 1, 2, 3, 4].filter((a) => sees(c, a).length === 5);
      expect(bridge).toHaveLength(1);
      for (let a = 0; a < 5; a++) if (a !== bridge[0]) expect(sees(c, a)).toHaveLength(3);
    }
  });

  it('majorities ring: every node sees a bare majority, and no two see the same one', () => {
    for (let seed = 0; seed < 20; seed++) {
      const c = makeCut(5, { shape: 'majorities-ring' }, Prng.root(seed));
      const views = [0, 1, 2, 3, 4].map((a) => sees(c, a).join(','));
      for (const v of views) expect(v.split(',')).toHaveLength(3);
      expect(new Set(views).size).toBe(5);
    }
  });

  it('random halves differ across seeds and always split ⌊n/2⌋ / ⌈n/2⌉', () => {
    const seen = new Set<string>();
    for (let seed = 0; seed < 30; seed++) {
      const c = makeCut(5, { shape: 'random-halves' }, Prng.root(seed));
      seen.add(c.description);
      const sizes = c.description
        .split(' | ')
        .map((s) => s.split(' ').length)
        .sort();
      expect(sizes).toEqual([2, 3]);
    }
    expect(seen.size).toBeGreaterThan(3);
  });

  it('links cuts exactly the named pairs, both ways or one-way, and reads as n1 -x- n3', () => {
    const c = makeCut(
      4,
      {
        shape: 'links',
        links: [
          [0, 2],
          [1, 3],
        ],
      },
      Prng.root(1),
    );
    expect(c.description).toBe('n1 -x- n3, n2 -x- n4');
    expect(blockedLinks(c)).toEqual([
      [0, 2],
      [1, 3],
      [2, 0],
      [3, 1],
    ]);
    const one = makeCut(4, { shape: 'links', links: [[3, 0]], oneWay: true }, Prng.root(1));
    expect(one.description).toBe('n4 -x-> n1');
    expect(blockedLinks(one)).toEqual([[3, 0]]);
    const none = makeCut(3, { shape: 'links', links: [] }, Prng.root(1));
    expect(none.description).toBe('no links cut');
    expect(blockedLinks(none)).toEqual([]);
  });

  it('a bridge or a ring drawn from an order is the one makeCut drew with that order', () => {
    for (let seed = 0; seed < 10; seed++) {
      for (const shape of ['bridge', 'majorities-ring'] as const) {
        const drawn = makeCut(5, { shape }, Prng.root(seed));
        const order = Prng.root(seed).shuffle([0, 1, 2, 3, 4]);
        const again = shape === 'bridge' ? bridgeCut(5, order) : majoritiesRingCut(5, order);
        expect(again.matrix).toEqual(drawn.matrix);
        expect(again.description).toBe(drawn.description);
        // And written down as links, it is the same matrix.
        const links = makeCut(
          5,
          { shape: 'links', links: blockedLinks(drawn), oneWay: true },
          Prng.root(0),
        );
        expect(links.matrix).toEqual(drawn.matrix);
      }
    }
  });
});
