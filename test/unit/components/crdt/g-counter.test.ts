/**
 * G-Counter and PN-Counter: the header examples, deltas as one entry, and the named bug
 * `g-counter.merge-sums` counting a re-delivered state twice.
 */
import { describe, expect, it } from 'vitest';
import { gCounter } from '../../../../src/components/crdt/g-counter.js';
import { pnCounter } from '../../../../src/components/crdt/pn-counter.js';

const at = (node: string) => ({ node });

describe('G-Counter', () => {
  const t = gCounter();

  it('the header example', () => {
    const a = t.apply(t.empty(), { f: 'inc', by: 2 }, at('n1')).state;
    const b = t.apply(t.empty(), { f: 'inc' }, at('n2')).state;
    expect(t.value(t.merge(a, b))).toBe(3);
  });

  it("an increment's delta is the replica's own entry, and carries the update alone", () => {
    const a = t.apply(t.empty(), { f: 'inc', by: 5 }, at('n1')).state;
    const { state, delta } = t.apply(a, { f: 'inc', by: 2 }, at('n1'));
    expect(t.encode(delta)).toEqual([['n1', 7]]);
    expect(t.value(t.merge(t.empty(), delta))).toBe(7);
    expect(t.hash(state)).toBe(t.hash(t.merge(state, delta)));
  });

  it('merge takes the maximum per replica, so a state delivered twice counts once', () => {
    const a = t.apply(t.empty(), { f: 'inc', by: 3 }, at('n1')).state;
    expect(t.value(t.merge(t.merge(a, a), a))).toBe(3);
  });

  it('names the first replica whose count differs', () => {
    const a = t.apply(t.empty(), { f: 'inc', by: 3 }, at('n2')).state;
    const b = t.apply(a, { f: 'inc' }, at('n2')).state;
    expect(t.diff(a, b)).toBe('count of n2: 3 vs 4');
    expect(t.diff(a, t.empty())).toBe('count of n2: only in the first');
  });

  it('refuses a negative increment', () => {
    expect(() => t.apply(t.empty(), { f: 'inc', by: -1 }, at('n1'))).toThrow(/inc by n >= 0/);
  });

  describe('named bug g-counter.merge-sums', () => {
    const buggy = gCounter({ bugs: new Set(['g-counter.merge-sums']) });
    const a = buggy.apply(buggy.empty(), { f: 'inc', by: 3 }, at('n1')).state;
    const b = buggy.apply(buggy.empty(), { f: 'inc', by: 1 }, at('n2')).state;

    it('counts a state merged with itself twice: merge is not idempotent', () => {
      expect(buggy.value(buggy.merge(a, a))).toBe(6);
      expect(gCounter().value(gCounter().merge(a, a))).toBe(3);
    });

    it('a re-delivered state counts again, so replicas drift from the sum of increments', () => {
      const once = buggy.merge(a, b);
      const again = buggy.merge(once, b);
      expect(buggy.value(once)).toBe(4);
      expect(buggy.value(again)).toBe(5);
    });

    it('still counts local increments right: only merge is wrong', () => {
      const twice = buggy.apply(a, { f: 'inc', by: 2 }, at('n1')).state;
      expect(buggy.value(twice)).toBe(5);
    });
  });
});

describe('PN-Counter', () => {
  const t = pnCounter();

  it('the header example', () => {
    let s = t.apply(t.empty(), { f: 'inc', by: 5 }, at('n1')).state;
    s = t.apply(s, { f: 'dec', by: 2 }, at('n2')).state;
    expect(t.value(s)).toBe(3);
  });

  it('goes below zero, and merges halves independently', () => {
    const a = t.apply(t.empty(), { f: 'dec', by: 4 }, at('n1')).state;
    const b = t.apply(t.empty(), { f: 'inc', by: 1 }, at('n1')).state;
    expect(t.value(t.merge(a, b))).toBe(-3);
    expect(t.diff(a, b)).toBe('increments: count of n1: only in the second');
    const c = t.apply(a, { f: 'dec' }, at('n1')).state;
    expect(t.diff(a, c)).toBe('decrements: count of n1: 4 vs 5');
  });

  it('round-trips through JSON', () => {
    const s = t.apply(t.empty(), { f: 'dec', by: 4 }, at('n1')).state;
    expect(t.equals(t.decode(JSON.parse(JSON.stringify(t.encode(s)))), s)).toBe(true);
  });
});
