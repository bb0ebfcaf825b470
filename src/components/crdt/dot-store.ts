/**
 * Causal CRDTs (Almeida, Shoker, Baquero 2018, §6): a state is a dot store plus the causal
 * context of every dot the replica has seen. A dot in the context but not in the store was
 * removed, so a merge keeps a dot when both sides have it, or when one side has it and the other
 * has never seen it — and drops it when the other side saw it and let it go. That one rule gives
 * add-wins sets, multi-value registers and observed-remove maps, without tombstones, and it is
 * why the stores nest: an OR-Map's values are dot stores sharing the map's context.
 *
 * The stores are the paper's: a DotSet (a set of dots), a DotFun (dots to values) and a DotMap
 * (keys to nested stores, dot-map.ts). `causalCrdt` turns a store type and its mutators into a
 * CrdtType. Left out: the paper's causal counters and enable-wins flags.
 */
import type { NodeId } from '../../core/ids.js';
import { compareDots, type Dot, dotText } from '../clocks/dot.js';
import { CausalContext } from './causal-context.js';
import { asObject, hashJson } from './codec.js';
import type { CrdtType, Json, SpecUpdate } from './crdt-type.js';
import { firstDifference, mergeSorted } from './sorted.js';

/** A causal CRDT's state: what is there, and every dot ever seen. */
export interface Causal<D> {
  readonly store: D;
  readonly context: CausalContext;
}

/** A kind of dot store with the mutators, reads and specification of one data type. */
export interface DotStoreType<D, Op, V> {
  readonly name: string;
  readonly bottom: D;
  isBottom(d: D): boolean;
  /** The join of (a, ca) and (b, cb), store part; the contexts are joined by the caller. */
  join(a: D, ca: CausalContext, b: D, cb: CausalContext): D;
  /** Every dot in `d`, appended to `out`. */
  dots(d: D, out: Dot[]): void;
  /** The δ-mutator: the delta of applying `op` at `node` to the state (d, c). */
  mutate(d: D, c: CausalContext, op: Op, node: NodeId): Causal<D>;
  value(d: D): V;
  equals(a: D, b: D): boolean;
  diff(a: D, b: D): string | undefined;
  encode(d: D): Json;
  decode(j: Json): D;
  spec(updates: readonly SpecUpdate<Op>[]): V;
}

/** A CrdtType built from a dot store, which an OR-Map can nest. */
export interface CausalCrdtType<D, Op, V> extends CrdtType<Causal<D>, Op, V> {
  readonly dotStore: DotStoreType<D, Op, V>;
}

export function causalCrdt<D, Op, V>(store: DotStoreType<D, Op, V>): CausalCrdtType<D, Op, V> {
  const empty: Causal<D> = { store: store.bottom, context: CausalContext.EMPTY };
  const merge = (a: Causal<D>, b: Causal<D>): Causal<D> => ({
    store: store.join(a.store, a.context, b.store, b.context),
    context: a.context.join(b.context),
  });
  const encode = (s: Causal<D>): Json => ({
    store: store.encode(s.store),
    context: s.context.encode(),
  });
  return {
    name: store.name,
    dotStore: store,
    empty: () => empty,
    apply(state, op, ctx) {
      const delta = store.mutate(state.store, state.context, op, ctx.node);
      return { state: merge(state, delta), delta };
    },
    merge,
    value: (s) => store.value(s.store),
    equals: (a, b) => a.context.equals(b.context) && store.equals(a.store, b.store),
    hash: (s) => hashJson(encode(s)),
    diff(a, b) {
      const d = store.diff(a.store, b.store);
      if (d !== undefined) return d;
      if (a.context.equals(b.context)) return undefined;
      return `causal context: ${a.context.toString()} vs ${b.context.toString()}`;
    },
    encode,
    decode(j) {
      const o = asObject(j, store.name);
      return {
        store: store.decode(o.store ?? null),
        context: CausalContext.decode(o.context ?? null),
      };
    },
    spec: (updates) => store.spec(updates),
  };
}

/** A DotSet: sorted dots. */
export type DotSet = readonly Dot[];

/**
 * The DotSet join: dots on both sides, and dots on one side the other has not seen. Returns `a`
 * or `b` itself when the join equals it, so merges that change nothing allocate nothing.
 */
export function joinDotSets(a: DotSet, ca: CausalContext, b: DotSet, cb: CausalContext): DotSet {
  if (a === b) return a;
  if (b.length === 0) return unseen(a, cb);
  if (a.length === 0) return unseen(b, ca);
  const out: Dot[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    const order = x === undefined ? 1 : y === undefined ? -1 : compareDots(x, y);
    if (order === 0) out.push(x as Dot);
    else if (order < 0 && !cb.has(x as Dot)) out.push(x as Dot);
    else if (order > 0 && !ca.has(y as Dot)) out.push(y as Dot);
    if (order <= 0) i++;
    if (order >= 0) j++;
  }
  return sameDots(out, a) ? a : sameDots(out, b) ? b : out;
}

/** The dots of `s` that `c` has not seen: `s` itself when that is all of them. */
function unseen(s: DotSet, c: CausalContext): DotSet {
  for (let i = 0; i < s.length; i++) {
    if (c.has(s[i] as Dot)) return s.filter((d) => !c.has(d));
  }
  return s;
}

/** Whether two sorted dot sets hold the same dots (dots are shared objects when equal). */
const sameDots = (x: DotSet, y: DotSet): boolean =>
  x.length === y.length && x.every((d, i) => d === y[i] || compareDots(d, y[i] as Dot) === 0);

export const dotSetsEqual = sameDots;

export const dotSetText = (s: DotSet): string => `{${s.map(dotText).join(', ')}}`;

/** A DotFun entry: a dot and the value written with it. */
export interface DotValue<T> {
  readonly dot: Dot;
  readonly value: T;
}

/** The DotFun join, by the same rule as the DotSet's (a dot's value never changes). */
export function joinDotFuns<T>(
  a: readonly DotValue<T>[],
  ca: CausalContext,
  b: readonly DotValue<T>[],
  cb: CausalContext,
): readonly DotValue<T>[] {
  if (a === b) return a;
  return mergeSorted(
    a,
    b,
    (x, y) => compareDots(x.dot, y.dot),
    (x) => x,
    (x) => (cb.has(x.dot) ? undefined : x),
    (y) => (ca.has(y.dot) ? undefined : y),
  );
}

/** The first dot where two DotFuns differ. */
export function diffDotFuns<T>(
  a: readonly DotValue<T>[],
  b: readonly DotValue<T>[],
  show: (v: T) => string,
): string | undefined {
  return firstDifference(
    a,
    b,
    (x, y) => compareDots(x.dot, y.dot),
    (x, y) => {
      const [p, q] = [show(x.value), show(y.value)];
      return p === q ? undefined : `${p} vs ${q}`;
    },
    (x) => `dot ${dotText(x.dot)}`,
  );
}
