/**
 * The OR-Map of nested causal CRDTs: the header example, removal as a reset that a concurrent
 * update survives, nesting a map in a map, and the key path in diffs.
 */
import { describe, expect, it } from 'vitest';
import { VectorClock } from '../../../../src/components/clocks/vector-clock.js';
import { mvRegister } from '../../../../src/components/crdt/mv-register.js';
import { orMap } from '../../../../src/components/crdt/or-map.js';
import { orSet } from '../../../../src/components/crdt/or-set.js';

const at = (node: string) => ({ node });
const addTo = (key: string, element: string) => ({
  f: 'update' as const,
  key,
  op: { f: 'add' as const, element },
});
const removeKey = (key: string) => ({ f: 'remove' as const, key });

describe('OR-Map', () => {
  const t = orMap(orSet());

  it('the header example', () => {
    let s = t.apply(t.empty(), addTo('k', 'x'), at('n1')).state;
    expect(t.value(s)).toEqual([['k', ['x']]]);
    s = t.apply(s, removeKey('k'), at('n1')).state;
    expect(t.value(s)).toEqual([]);
  });

  it('a remove resets what it saw; a concurrent update survives with only its own effect', () => {
    const base = t.apply(t.empty(), addTo('k', 'x'), at('n1')).state;
    const removed = t.apply(base, removeKey('k'), at('n2')).state;
    const updated = t.apply(base, addTo('k', 'y'), at('n3')).state;
    expect(t.value(t.merge(removed, updated))).toEqual([['k', ['y']]]);
  });

  it('registers nested in a map keep siblings per key', () => {
    const m = orMap(mvRegister());
    const put = (key: string, value: string) => ({
      f: 'update' as const,
      key,
      op: { f: 'set' as const, value },
    });
    const a = m.apply(m.empty(), put('k', 'a'), at('n1')).state;
    const b = m.apply(m.empty(), put('k', 'b'), at('n2')).state;
    expect(m.value(m.merge(a, b))).toEqual([['k', ['a', 'b']]]);
    expect(m.name).toBe('or-map<mv-register>');
  });

  it('maps nest in maps, and a diff names the path to the first difference', () => {
    const mm = orMap(orMap(orSet()));
    const deep = (outer: string, inner: string, element: string) => ({
      f: 'update' as const,
      key: outer,
      op: addTo(inner, element),
    });
    const a = mm.apply(mm.empty(), deep('users', 'ann', 'admin'), at('n1')).state;
    const b = mm.apply(a, deep('users', 'ann', 'dev'), at('n1')).state;
    expect(mm.value(b)).toEqual([['users', [['ann', ['admin', 'dev']]]]]);
    expect(mm.diff(a, b)).toBe('key "users": key "ann": element "dev": only in the second');
    expect(mm.equals(mm.decode(JSON.parse(JSON.stringify(mm.encode(b)))), b)).toBe(true);
  });

  it('spec: a key holds the nested spec of the updates no remove of it had seen', () => {
    const u = (
      node: string,
      op: ReturnType<typeof addTo> | ReturnType<typeof removeKey>,
      seen = {},
    ) => ({
      op,
      dot: { node, counter: 1 },
      seen: VectorClock.from(seen),
    });
    const addX = u('n1', addTo('k', 'x'));
    const removeSeeingX = u('n2', removeKey('k'), { n1: 1 });
    expect(t.spec([addX, removeSeeingX, u('n3', addTo('k', 'y'), { n1: 1 })])).toEqual([
      ['k', ['y']],
    ]);
    expect(t.spec([addX, removeSeeingX])).toEqual([]);
    expect(t.spec([addX, u('n2', removeKey('k'))])).toEqual([['k', ['x']]]);
  });
});
