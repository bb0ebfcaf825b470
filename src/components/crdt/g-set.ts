/**
 * The G-Set (Shapiro et al. 2011, §3.3.1): a grow-only set; merge is union. The delta of an add
 * is the one-element set. Elements are strings, kept sorted.
 *
 *   const t = gSet();
 *   const a = t.apply(t.empty(), { f: 'add', element: 'x' }, { node: 'n1' }).state;
 *   const b = t.apply(t.empty(), { f: 'add', element: 'y' }, { node: 'n2' }).state;
 *   t.value(t.merge(a, b));                      // ['x', 'y']
 *
 * Left out: removal (the 2P-Set and OR-Set add it).
 */
import { assert } from '../../core/assert.js';
import { asArray, asString, hashJson } from './codec.js';
import type { CrdtType, Json } from './crdt-type.js';
import { compareStrings, firstDifference, unionSorted } from './sorted.js';

export interface GSetOp {
  readonly f: 'add';
  readonly element: string;
}

/** The elements, sorted. */
export type GSetState = readonly string[];

export function gSet(): CrdtType<GSetState, GSetOp, readonly string[]> {
  return {
    name: 'g-set',
    empty: () => [],
    apply(state, op) {
      assert(op.f === 'add', 'g-set: add only');
      const delta = [op.element];
      return { state: unionSorted(state, delta, compareStrings), delta };
    },
    merge: (a, b) => unionSorted(a, b, compareStrings),
    value: (s) => s,
    equals: sameElements,
    hash: (s) => hashJson(s),
    diff: (a, b) => diffElements(a, b),
    encode: (s) => s,
    decode: decodeElements,
    spec: (updates) => [...new Set(updates.map((u) => u.op.element))].sort(compareStrings),
  };
}

export const sameElements = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((e, i) => e === b[i]);

/** The first element in one sorted set and not the other. */
export const diffElements = (a: readonly string[], b: readonly string[], noun = 'element') =>
  firstDifference(
    a,
    b,
    compareStrings,
    () => undefined,
    (e) => `${noun} ${JSON.stringify(e)}`,
  );

export function decodeElements(j: Json | undefined): readonly string[] {
  const elements = asArray(j ?? null, 'set').map((e) => asString(e, 'element'));
  return [...new Set(elements)].sort(compareStrings);
}
