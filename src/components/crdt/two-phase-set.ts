/**
 * The 2P-Set (Shapiro et al. 2011, §3.3.2): a G-Set of added elements and a G-Set of removed
 * ones (tombstones); an element is in the set when added and not removed, and once removed it can
 * never come back. Remove has the paper's precondition: it takes effect only on a replica where
 * the element is present, and elsewhere it changes nothing (an empty delta).
 *
 *   const t = twoPhaseSet();
 *   let s = t.apply(t.empty(), { f: 'add', element: 'x' }, { node: 'n1' }).state;
 *   s = t.apply(s, { f: 'remove', element: 'x' }, { node: 'n1' }).state;
 *   s = t.apply(s, { f: 'add', element: 'x' }, { node: 'n1' }).state;
 *   t.value(s);                                  // []: removed for good
 *
 * Left out: tombstone collection (the tombstones grow forever, as in the paper).
 */
import { asObject, hashJson } from './codec.js';
import { isVisible, type CrdtType } from './crdt-type.js';
import { decodeElements, diffElements, sameElements } from './g-set.js';
import { compareStrings, search, unionSorted } from './sorted.js';

export interface TwoPhaseSetOp {
  readonly f: 'add' | 'remove';
  readonly element: string;
}

export interface TwoPhaseSetState {
  /** Every element ever added, sorted. */
  readonly added: readonly string[];
  /** Every element removed, sorted. */
  readonly removed: readonly string[];
}

const EMPTY: TwoPhaseSetState = { added: [], removed: [] };
const has = (sorted: readonly string[], e: string) => search(sorted, e, compareStrings) >= 0;

export function twoPhaseSet(): CrdtType<TwoPhaseSetState, TwoPhaseSetOp, readonly string[]> {
  const merge = (a: TwoPhaseSetState, b: TwoPhaseSetState): TwoPhaseSetState => ({
    added: unionSorted(a.added, b.added, compareStrings),
    removed: unionSorted(a.removed, b.removed, compareStrings),
  });
  const encode = (s: TwoPhaseSetState) => ({ added: s.added, removed: s.removed });
  return {
    name: '2p-set',
    empty: () => EMPTY,
    apply(state, op) {
      const present = has(state.added, op.element) && !has(state.removed, op.element);
      let delta = EMPTY;
      if (op.f === 'add') delta = { added: [op.element], removed: [] };
      else if (present) delta = { added: [], removed: [op.element] };
      return { state: merge(state, delta), delta };
    },
    merge,
    value: (s) => s.added.filter((e) => !has(s.removed, e)),
    equals: (a, b) => sameElements(a.added, b.added) && sameElements(a.removed, b.removed),
    hash: (s) => hashJson(encode(s)),
    diff: (a, b) =>
      diffElements(a.added, b.added, 'added element') ??
      diffElements(a.removed, b.removed, 'removed element'),
    encode,
    decode(j) {
      const o = asObject(j, '2p-set');
      return { added: decodeElements(o.added), removed: decodeElements(o.removed) };
    },
    spec(updates) {
      const adds = updates.filter((u) => u.op.f === 'add');
      const removed = (e: string) =>
        updates.some(
          (w) =>
            w.op.f === 'remove' &&
            w.op.element === e &&
            adds.some((u) => u.op.element === e && isVisible(u, w)),
        );
      const elements = new Set(adds.map((u) => u.op.element));
      return [...elements].filter((e) => !removed(e)).sort(compareStrings);
    },
  };
}
