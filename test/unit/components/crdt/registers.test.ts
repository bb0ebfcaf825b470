/**
 * LWW-Register and MV-Register: the header examples, the HLC tie-break by node id, a stale
 * timestamp losing (what wall clocks under skew do), siblings, and their specifications.
 */
import { describe, expect, it } from 'vitest';
import { VectorClock } from '../../../../src/components/clocks/vector-clock.js';
import { lwwRegister } from '../../../../src/components/crdt/lww-register.js';
import { mvRegister } from '../../../../src/components/crdt/mv-register.js';

const set = (value: unknown) => ({ f: 'set' as const, value: value as null });
const ts = (l: number, c = 0) => ({ l, c });

describe('LWW-Register', () => {
  const t = lwwRegister();

  it('the header example: equal timestamps, the larger node id wins', () => {
    const a = t.apply(t.empty(), set('x'), { node: 'n1', timestamp: ts(5) });
    const b = t.apply(t.empty(), set('y'), { node: 'n2', timestamp: ts(5) });
    expect(t.value(t.merge(a.state, b.state))).toBe('y');
    expect(t.value(t.merge(b.state, a.state))).toBe('y');
  });

  it('the logical counter orders writes within one physical time', () => {
    const a = t.apply(t.empty(), set('first'), { node: 'n9', timestamp: ts(5, 0) });
    const b = t.apply(t.empty(), set('second'), { node: 'n1', timestamp: ts(5, 1) });
    expect(t.value(t.merge(a.state, b.state))).toBe('second');
  });

  it('a write stamped earlier than the value it replaces loses, even locally', () => {
    const ahead = t.apply(t.empty(), set('w1'), { node: 'n1', timestamp: ts(5_000) }).state;
    const behind = t.apply(ahead, set('w2'), { node: 'n2', timestamp: ts(1_000) }).state;
    expect(t.value(behind)).toBe('w1');
  });

  it('reads null before any write, and needs a timestamp to write', () => {
    expect(t.value(t.empty())).toBeNull();
    expect(() => t.apply(t.empty(), set('x'), { node: 'n1' })).toThrow(/needs a timestamp/);
  });

  it('compares and hashes values whatever the order of their keys', () => {
    const a = t.apply(t.empty(), set({ b: 1, a: 2 }), { node: 'n1', timestamp: ts(1) }).state;
    const back = t.decode(JSON.parse(JSON.stringify(t.encode(a))));
    const reordered = a === null ? null : { ...a, value: { a: 2, b: 1 } };
    expect(t.equals(back, a)).toBe(true);
    expect(t.hash(reordered)).toBe(t.hash(a));
    expect(t.diff(a, t.empty())).toMatch(/^register: /);
  });

  it('spec: the write with the largest timestamp, then node id', () => {
    const u = (node: string, l: number, value: string) => ({
      op: set(value),
      dot: { node, counter: 1 },
      seen: VectorClock.EMPTY,
      timestamp: ts(l),
    });
    expect(t.spec([u('n1', 7, 'a'), u('n2', 3, 'b'), u('n3', 7, 'c')])).toBe('c');
    expect(t.spec([])).toBeNull();
  });
});

describe('MV-Register', () => {
  const t = mvRegister();

  it('the header example: concurrent writes are siblings until a write that saw both', () => {
    const a = t.apply(t.empty(), set('x'), { node: 'n1' }).state;
    const b = t.apply(t.empty(), set('y'), { node: 'n2' }).state;
    const both = t.merge(a, b);
    expect(t.value(both)).toEqual(['x', 'y']);
    expect(t.value(t.apply(both, set('z'), { node: 'n1' }).state)).toEqual(['z']);
  });

  it('keeps two concurrent writes of the same value as two siblings', () => {
    const a = t.apply(t.empty(), set(1), { node: 'n1' }).state;
    const b = t.apply(t.empty(), set(1), { node: 'n2' }).state;
    expect(t.value(t.merge(a, b))).toEqual([1, 1]);
  });

  it('a write replaces only what its replica had seen', () => {
    const a = t.apply(t.empty(), set('x'), { node: 'n1' }).state;
    const b = t.apply(t.empty(), set('y'), { node: 'n2' }).state;
    const overA = t.apply(a, set('x2'), { node: 'n1' }).state;
    expect(t.value(t.merge(overA, b))).toEqual(['x2', 'y']);
    expect(t.diff(a, overA)).toBe('dot n1:1: only in the first');
  });

  it('spec: the values of the writes no other write had seen', () => {
    const w = (node: string, value: string, seen: Record<string, number>) => ({
      op: set(value),
      dot: { node, counter: (seen[node] ?? 0) + 1 },
      seen: VectorClock.from(seen),
    });
    expect(t.spec([w('n1', 'x', {}), w('n2', 'y', {}), w('n1', 'z', { n1: 1, n2: 1 })])).toEqual([
      'z',
    ]);
    expect(t.spec([w('n1', 'x', {}), w('n2', 'y', {})])).toEqual(['x', 'y']);
  });
});
