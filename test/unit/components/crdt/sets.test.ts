/** G-Set and 2P-Set: the header examples, the 2P-Set's remove precondition, their specs. */
import { describe, expect, it } from 'vitest';
import { VectorClock } from '../../../../src/components/clocks/vector-clock.js';
import { gSet } from '../../../../src/components/crdt/g-set.js';
import { twoPhaseSet } from '../../../../src/components/crdt/two-phase-set.js';

const at = (node: string) => ({ node });

describe('G-Set', () => {
  const t = gSet();

  it('the header example', () => {
    const a = t.apply(t.empty(), { f: 'add', element: 'x' }, at('n1')).state;
    const b = t.apply(t.empty(), { f: 'add', element: 'y' }, at('n2')).state;
    expect(t.value(t.merge(a, b))).toEqual(['x', 'y']);
  });

  it('keeps elements sorted by code unit, whatever order they arrive in', () => {
    let s = t.empty();
    for (const e of ['b', 'B', 'a', '10', '9'])
      s = t.apply(s, { f: 'add', element: e }, at('n1')).state;
    expect(t.value(s)).toEqual(['10', '9', 'B', 'a', 'b']);
    expect(t.diff(s, t.empty())).toBe('element "10": only in the first');
  });
});

describe('2P-Set', () => {
  const t = twoPhaseSet();

  it('the header example: once removed, never back', () => {
    let s = t.apply(t.empty(), { f: 'add', element: 'x' }, at('n1')).state;
    s = t.apply(s, { f: 'remove', element: 'x' }, at('n1')).state;
    s = t.apply(s, { f: 'add', element: 'x' }, at('n1')).state;
    expect(t.value(s)).toEqual([]);
  });

  it('a remove where the element is absent changes nothing (the precondition)', () => {
    const { state, delta } = t.apply(t.empty(), { f: 'remove', element: 'x' }, at('n1'));
    expect(t.equals(delta, t.empty())).toBe(true);
    const added = t.apply(state, { f: 'add', element: 'x' }, at('n1')).state;
    expect(t.value(added)).toEqual(['x']);
  });

  it('spec: an element is gone once a remove had seen an add of it', () => {
    const add = { op: { f: 'add' as const, element: 'x' }, dot: { node: 'n1', counter: 1 } };
    const blindRemove = {
      op: { f: 'remove' as const, element: 'x' },
      dot: { node: 'n2', counter: 1 },
      seen: VectorClock.EMPTY,
    };
    const seeingRemove = { ...blindRemove, seen: VectorClock.from({ n1: 1 }) };
    expect(t.spec([{ ...add, seen: VectorClock.EMPTY }, blindRemove])).toEqual(['x']);
    expect(t.spec([{ ...add, seen: VectorClock.EMPTY }, seeingRemove])).toEqual([]);
  });
});
