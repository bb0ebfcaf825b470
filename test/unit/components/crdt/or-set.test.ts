/**
 * The OR-Set (add-wins, ORSWOT style): the header example, deltas, out-of-order deltas, and the
 * two named bugs on the schedules of their reports — catalogue #36's concurrent re-add, and
 * basho/riak_dt#82's exact schedule for #37.
 */
import { describe, expect, it } from 'vitest';
import { orSet, type OrSetState } from '../../../../src/components/crdt/or-set.js';

const at = (node: string) => ({ node });
const add = (element: string) => ({ f: 'add' as const, element });
const remove = (element: string) => ({ f: 'remove' as const, element });

describe('OR-Set', () => {
  const t = orSet();

  it('the header example: an add the remove did not see wins', () => {
    const a = t.apply(t.empty(), add('x'), at('n1')).state;
    const b = t.apply(a, remove('x'), at('n2')).state;
    const c = t.apply(a, add('x'), at('n3')).state;
    expect(t.value(t.merge(b, c))).toEqual(['x']);
  });

  it('a remove cancels exactly the adds it saw', () => {
    const a = t.apply(t.empty(), add('x'), at('n1')).state;
    const removed = t.apply(a, remove('x'), at('n1')).state;
    expect(t.value(t.merge(a, removed))).toEqual([]);
    expect(t.value(t.merge(removed, a))).toEqual([]);
  });

  it('deltas are small: an add carries one dot, a remove only context', () => {
    const a = t.apply(t.empty(), add('x'), at('n1')).state;
    const s = t.apply(a, add('y'), at('n1')).state;
    const { delta } = t.apply(s, remove('x'), at('n1'));
    expect(t.encode(delta)).toEqual({ store: [], context: { compact: [['n1', 1]], cloud: [] } });
    const added = t.apply(s, add('z'), at('n1')).delta;
    expect(t.encode(added)).toEqual({
      store: [['z', [['n1', 3]]]],
      context: { compact: [], cloud: [['n1', 3]] },
    });
  });

  it('deltas merged out of order: a gap in the context, and a late add stays removed', () => {
    const d1 = t.apply(t.empty(), add('x'), at('n1'));
    const d2 = t.apply(d1.state, add('y'), at('n1'));
    const d3 = t.apply(d2.state, remove('x'), at('n1'));
    let r = t.merge(t.empty(), d2.delta);
    expect(r.context.toString()).toBe('{} + {n1:2}');
    r = t.merge(r, d3.delta);
    expect(r.context.toString()).toBe('{n1:2}');
    r = t.merge(r, d1.delta);
    expect(t.value(r)).toEqual(['y']);
    expect(t.equals(r, d3.state)).toBe(true);
  });

  it('names the first element whose dots differ', () => {
    const a = t.apply(t.empty(), add('x'), at('n1')).state;
    const b = t.apply(a, add('x'), at('n2')).state;
    expect(t.diff(a, b)).toBe('element "x": dots {n1:1} vs {n2:1}');
    expect(t.diff(a, t.apply(a, add('w'), at('n1')).state)).toBe('element "w": only in the second');
  });

  describe('named bug or-set.no-unique-tags (#36)', () => {
    const buggy = orSet({ bugs: new Set(['or-set.no-unique-tags']) });

    /** A and B both hold x; A removes it while B adds it again; then they exchange states. */
    function concurrentReAdd(type: typeof t): [OrSetState, OrSetState] {
      const a0 = type.apply(type.empty(), add('x'), at('A')).state;
      const b0 = type.merge(type.empty(), a0);
      const a1 = type.apply(a0, remove('x'), at('A')).state;
      const b1 = type.apply(b0, add('x'), at('B')).state;
      return [type.merge(a1, b1), type.merge(b1, a1)];
    }

    it('correctly, the concurrent re-add wins on both replicas', () => {
      const [a, b] = concurrentReAdd(t);
      expect([t.value(a), t.value(b)]).toEqual([['x'], ['x']]);
    });

    it('with the bug, the re-add reuses the removed tag and x is gone on both', () => {
      const [a, b] = concurrentReAdd(buggy);
      expect([buggy.value(a), buggy.value(b)]).toEqual([[], []]);
      expect(buggy.equals(a, b)).toBe(true); // converged, on the wrong value
    });

    it('with the bug, even a later add on the same replica cannot bring x back', () => {
      let s = buggy.apply(buggy.empty(), add('x'), at('A')).state;
      s = buggy.apply(s, remove('x'), at('A')).state;
      s = buggy.apply(s, add('x'), at('A')).state;
      expect(buggy.value(s)).toEqual([]);
    });
  });

  describe('named bug or-set.merge-keeps-present-on-both (#37, basho/riak_dt#82)', () => {
    const buggy = orSet({ bugs: new Set(['or-set.merge-keeps-present-on-both']) });

    /**
     * riak_dt#82 verbatim: add x at a; add x at b; replicate a→c; remove x at a; replicate b→a;
     * remove x at b; then merge(b, merge(a, c)).
     */
    function riakSchedule(type: typeof t) {
      let a = type.apply(type.empty(), add('x'), at('a')).state;
      let b = type.apply(type.empty(), add('x'), at('b')).state;
      const c = type.merge(type.empty(), a);
      a = type.apply(a, remove('x'), at('a')).state;
      a = type.merge(a, b);
      b = type.apply(b, remove('x'), at('b')).state;
      return { a, b, c, result: type.merge(b, type.merge(a, c)) };
    }

    it('correctly, x is absent: both removes saw both adds', () => {
      expect(t.value(riakSchedule(t).result)).toEqual([]);
    });

    it('with the bug, x is present', () => {
      expect(buggy.value(riakSchedule(buggy).result)).toEqual(['x']);
    });

    it('with the bug, the answer depends on the order of merging: merge is not associative', () => {
      const { a, b, c } = riakSchedule(buggy);
      const other = buggy.merge(buggy.merge(b, a), c);
      expect(buggy.value(other)).toEqual([]);
      expect(buggy.diff(riakSchedule(buggy).result, other)).toBe('element "x": only in the first');
    });
  });
});
