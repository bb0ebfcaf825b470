/** Causal contexts: the compact vector, the dot cloud for gaps, and closing gaps on join. */
import { describe, expect, it } from 'vitest';
import { CausalContext } from '../../../../src/components/crdt/causal-context.js';

const dot = (node: string, counter: number) => ({ node, counter });

describe('CausalContext', () => {
  it('keeps gap-free dots in the vector and the rest in the cloud', () => {
    const c = CausalContext.of([dot('a', 1), dot('a', 2), dot('a', 4), dot('b', 2)]);
    expect(c.toString()).toBe('{a:2} + {a:4, b:2}');
    expect(c.has(dot('a', 2))).toBe(true);
    expect(c.has(dot('a', 3))).toBe(false);
    expect(c.has(dot('a', 4))).toBe(true);
    expect(c.has(dot('b', 1))).toBe(false);
  });

  it('closes a gap when the missing dot arrives, from either side of a join', () => {
    const gap = CausalContext.of([dot('a', 1), dot('a', 3), dot('a', 4)]);
    const filler = CausalContext.of([dot('a', 2)]);
    expect(gap.join(filler).toString()).toBe('{a:4}');
    expect(filler.join(gap).toString()).toBe('{a:4}');
    expect(gap.add([dot('a', 2)]).equals(CausalContext.of([dot('a', 4)]))).toBe(false);
    expect(gap.add([dot('a', 2)]).toString()).toBe('{a:4}');
  });

  it('hands out the dot after every dot of a node it has seen, cloud included', () => {
    expect(CausalContext.EMPTY.next('a')).toEqual(dot('a', 1));
    expect(CausalContext.of([dot('a', 1), dot('a', 5)]).next('a')).toEqual(dot('a', 6));
  });

  it('ignores repeats and dots the vector covers', () => {
    const c = CausalContext.of([dot('a', 3), dot('a', 3)]).join(CausalContext.of([dot('a', 3)]));
    expect(c.cloud).toHaveLength(1);
    expect(CausalContext.of([dot('a', 1), dot('a', 1)]).toString()).toBe('{a:1}');
  });

  it('round-trips through JSON and compares by content', () => {
    const c = CausalContext.of([dot('b', 1), dot('a', 1), dot('a', 3)]);
    const back = CausalContext.decode(JSON.parse(JSON.stringify(c.encode())));
    expect(back.equals(c)).toBe(true);
    expect(back.equals(CausalContext.of([dot('a', 1)]))).toBe(false);
  });
});
