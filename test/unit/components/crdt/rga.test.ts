/**
 * RGA: the header example, concurrent inserts at one place ordered the same everywhere, an
 * insert anchored to a deleted character, clamping, and the specification computed by
 * insertion instead of by the tree.
 */
import { describe, expect, it } from 'vitest';
import { VectorClock } from '../../../../src/components/clocks/vector-clock.js';
import { rga, type RgaOp } from '../../../../src/components/crdt/rga.js';

const at = (node: string) => ({ node });
const insert = (index: number, text: string): RgaOp => ({ f: 'insert', index, text });
const del = (index: number, count = 1): RgaOp => ({ f: 'delete', index, count });

describe('RGA', () => {
  const t = rga();

  it('the header example', () => {
    const a = t.apply(t.empty(), insert(0, 'ab'), at('n1')).state;
    const b = t.apply(a, insert(1, 'X'), at('n2')).state;
    const c = t.apply(a, del(0), at('n3')).state;
    expect(t.value(t.merge(b, c))).toBe('Xb');
  });

  it('concurrent inserts at one place come out in one order on every replica', () => {
    const base = t.apply(t.empty(), insert(0, 'ac'), at('n1')).state;
    const p = t.apply(base, insert(1, 'P'), at('n1')).state;
    const q = t.apply(base, insert(1, 'Q'), at('n2')).state;
    expect(t.value(t.merge(p, q))).toBe(t.value(t.merge(q, p)));
    expect(t.value(t.merge(p, q))).toBe('aQPc'); // same time: the larger node id first
  });

  it('a word typed in one insert stays together', () => {
    const s = t.apply(t.empty(), insert(0, 'hello'), at('n1')).state;
    const w = t.apply(s, insert(5, ' world'), at('n1')).state;
    expect(t.value(w)).toBe('hello world');
    expect(w.clock).toBe(11);
  });

  it('an insert after a character deleted concurrently still lands in place', () => {
    const base = t.apply(t.empty(), insert(0, 'abc'), at('n1')).state;
    const deleted = t.apply(base, del(1), at('n1')).state;
    const inserted = t.apply(base, insert(2, 'X'), at('n2')).state;
    expect(t.value(t.merge(deleted, inserted))).toBe('aXc');
  });

  it('clamps indices to the text', () => {
    let s = t.apply(t.empty(), insert(99, 'ab'), at('n1')).state;
    s = t.apply(s, insert(-3, 'Z'), at('n1')).state;
    expect(t.value(s)).toBe('Zab');
    expect(t.value(t.apply(s, del(2, 99), at('n1')).state)).toBe('Za');
    expect(t.equals(t.apply(s, del(7), at('n1')).delta, { ...t.empty(), clock: 0 })).toBe(true);
  });

  it('names the first element that differs, and round-trips through JSON', () => {
    const a = t.apply(t.empty(), insert(0, 'a'), at('n1')).state;
    const b = t.apply(a, insert(1, 'b'), at('n1')).state;
    expect(t.diff(a, b)).toBe('element 2@n1 "b": only in the second');
    expect(t.equals(t.decode(JSON.parse(JSON.stringify(t.encode(b)))), b)).toBe(true);
  });

  it('spec: the same text from the updates and what each had seen', () => {
    const u = (node: string, counter: number, op: RgaOp, seen: Record<string, number>) => ({
      op,
      dot: { node, counter },
      seen: VectorClock.from(seen),
    });
    const updates = [
      u('n1', 1, insert(0, 'ac'), {}),
      u('n1', 2, insert(1, 'P'), { n1: 1 }),
      u('n2', 1, insert(1, 'Q'), { n1: 1 }),
      u('n2', 2, del(0), { n1: 1, n2: 1 }),
    ];
    expect(t.spec(updates)).toBe('QPc');
  });
});
