/**
 * Vector clocks: the four orders, missing entries as 0, merge and increment, the header's
 * example, and the named bug of research catalogue #39 on GoVector#68's exact clocks.
 */
import { describe, expect, it } from 'vitest';
import { VectorClock } from '../../../../src/components/clocks/vector-clock.js';

const vc = VectorClock.from;
const BUG = { bugs: new Set(['vector-clock.ignore-missing-entries']) };

describe('VectorClock', () => {
  it('the header example', () => {
    const a = vc({ a: 1, b: 1 });
    const b = vc({ b: 1, c: 1, d: 1 });
    expect(a.compare(b)).toBe('concurrent');
    expect(a.merge(b).increment('a').toString()).toBe('{a:2, b:1, c:1, d:1}');
  });

  it('compares before, after, equal and concurrent', () => {
    expect(vc({ a: 1 }).compare(vc({ a: 2 }))).toBe('before');
    expect(vc({ a: 2, b: 1 }).compare(vc({ a: 2 }))).toBe('after');
    expect(vc({ a: 2 }).compare(vc({ a: 2 }))).toBe('equal');
    expect(vc({ a: 2 }).compare(vc({ b: 1 }))).toBe('concurrent');
  });

  it('counts a missing entry as 0, and stores no zeros', () => {
    expect(vc({ a: 0, b: 1 }).equals(vc({ b: 1 }))).toBe(true);
    expect(vc({ a: 0 }).compare(VectorClock.EMPTY)).toBe('equal');
    expect(vc({ b: 1 }).get('zz')).toBe(0);
    expect(vc({ a: 0, b: 1 }).size).toBe(1);
  });

  it('merges entry-wise by maximum, and keeps entries sorted whatever the input order', () => {
    const m = vc([
      ['c', 1],
      ['a', 3],
    ]).merge(vc({ b: 2, a: 1 }));
    expect(m.entries()).toEqual([
      ['a', 3],
      ['b', 2],
      ['c', 1],
    ]);
  });

  it('covers the dots in its past', () => {
    const c = vc({ a: 2 });
    expect(c.covers({ node: 'a', counter: 2 })).toBe(true);
    expect(c.covers({ node: 'a', counter: 3 })).toBe(false);
    expect(c.covers({ node: 'b', counter: 1 })).toBe(false);
  });

  it('descends from clocks at or before it', () => {
    expect(vc({ a: 2, b: 1 }).descends(vc({ a: 1 }))).toBe(true);
    expect(vc({ a: 1 }).descends(vc({ a: 1 }))).toBe(true);
    expect(vc({ a: 1 }).descends(vc({ b: 1 }))).toBe(false);
  });

  it('with() only raises a counter', () => {
    expect(vc({ a: 3 }).with('a', 2).get('a')).toBe(3);
    expect(vc({ a: 3 }).with('b', 2).toString()).toBe('{a:3, b:2}');
  });

  it('refuses negative or fractional counters and repeated nodes', () => {
    expect(() => vc({ a: -1 })).toThrow(/bad counter/);
    expect(() => vc({ a: 1.5 })).toThrow(/bad counter/);
    expect(() =>
      vc([
        ['a', 1],
        ['a', 2],
      ]),
    ).toThrow(/twice/);
  });

  describe('named bug vector-clock.ignore-missing-entries (#39, GoVector#68)', () => {
    const x = vc({ b: 1, c: 1, d: 1 });
    const y = vc({ a: 1, b: 1 });

    it('correctly, {b:1,c:1,d:1} and {a:1,b:1} are concurrent, both ways', () => {
      expect(x.compare(y)).toBe('concurrent');
      expect(y.compare(x)).toBe('concurrent');
    });

    it("with the bug, {b:1,c:1,d:1} is judged to descend from {a:1,b:1}: a's is ignored", () => {
      expect(x.compare(y, BUG)).toBe('after');
      // and the other way round too, so each side would discard the other's value
      expect(y.compare(x, BUG)).toBe('after');
    });

    it('clocks with the same nodes compare the same with the bug', () => {
      expect(vc({ a: 1, b: 2 }).compare(vc({ a: 1, b: 1 }), BUG)).toBe('after');
      expect(vc({ a: 1, b: 1 }).compare(vc({ a: 1, b: 2 }), BUG)).toBe('before');
    });
  });
});
