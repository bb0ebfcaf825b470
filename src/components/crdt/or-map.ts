/**
 * The observed-remove map of nested CRDTs (Almeida, Shoker, Baquero 2018, §7.4; Riak's Map):
 * keys mapped to causal CRDTs (OR-Set, MV-Register, OR-Map) that share the map's causal context.
 * Updating a key applies the nested type's δ-mutator under the map's context; removing a key
 * drops the dots of its value it has seen, as a reset: a concurrent update's dots survive, so the
 * key comes back holding only what the remove did not see (Riak's removal semantics after
 * riak_dt#82, without its deferred operations).
 *
 *   const t = orMap(orSet());
 *   let s = t.apply(t.empty(), { f: 'update', key: 'k', op: { f: 'add', element: 'x' } },
 *     { node: 'n1' }).state;
 *   t.value(s);                                  // [['k', ['x']]]
 *   s = t.apply(s, { f: 'remove', key: 'k' }, { node: 'n1' }).state;
 *   t.value(s);                                  // []
 *
 * Only causal types nest: a G-Counter or LWW-Register has no dots for a remove to observe, so a
 * removed key could only come back with its old value. Keys are strings; a read lists the keys in
 * sorted order, each with its value's read.
 */
import type { NodeId } from '../../core/ids.js';
import type { Dot } from '../clocks/dot.js';
import { stableStringify } from '../../core/encoding.js';
import { CausalContext } from './causal-context.js';
import { isVisible, type SpecUpdate } from './crdt-type.js';
import {
  decodeDotMap,
  diffDotMaps,
  type DotMap,
  dotMapDots,
  dotMapGet,
  dotMapsEqual,
  encodeDotMap,
  joinDotMaps,
} from './dot-map.js';
import { type Causal, type CausalCrdtType, causalCrdt, type DotStoreType } from './dot-store.js';
import { compareStrings } from './sorted.js';

export type OrMapOp<Op> =
  | { readonly f: 'update'; readonly key: string; readonly op: Op }
  | { readonly f: 'remove'; readonly key: string };

export type OrMapValue<V> = readonly (readonly [string, V])[];

export function orMap<D, Op, V>(
  values: CausalCrdtType<D, Op, V>,
): CausalCrdtType<DotMap<D>, OrMapOp<Op>, OrMapValue<V>> {
  const nested = values.dotStore;
  const store: DotStoreType<DotMap<D>, OrMapOp<Op>, OrMapValue<V>> = {
    name: `or-map<${values.name}>`,
    bottom: [],
    isBottom: (m) => m.length === 0,
    join: (a, ca, b, cb) => joinDotMaps(nested, a, ca, b, cb),
    dots: (m, out) => dotMapDots(nested, m, out),
    mutate: (m, c, op, node) => mutate(nested, m, c, op, node),
    value: (m) => m.map((e) => [e.key, nested.value(e.store)] as const),
    equals: (a, b) => dotMapsEqual(nested, a, b),
    diff: (a, b) => diffDotMaps(nested, a, b, 'key'),
    encode: (m) => encodeDotMap(nested, m),
    decode: (j) => decodeDotMap(nested, j),
    spec: (updates) => resetRemoveSpec(nested, updates),
  };
  return causalCrdt(store);
}

function mutate<D, Op, V>(
  nested: DotStoreType<D, Op, V>,
  m: DotMap<D>,
  c: CausalContext,
  op: OrMapOp<Op>,
  node: NodeId,
): Causal<DotMap<D>> {
  const current = dotMapGet(m, op.key) ?? nested.bottom;
  if (op.f === 'remove') {
    const dots: Dot[] = [];
    nested.dots(current, dots);
    return { store: [], context: CausalContext.of(dots) };
  }
  const delta = nested.mutate(current, c, op.op, node);
  const store = nested.isBottom(delta.store) ? [] : [{ key: op.key, store: delta.store }];
  return { store, context: delta.context };
}

/**
 * Each key holds the nested specification of its updates that no remove of the key had seen, and
 * is present when that value is not the empty one.
 */
function resetRemoveSpec<D, Op, V>(
  nested: DotStoreType<D, Op, V>,
  updates: readonly SpecUpdate<OrMapOp<Op>>[],
): OrMapValue<V> {
  const empty = stableStringify(nested.value(nested.bottom));
  const keys = [...new Set(updates.map((u) => u.op.key))].sort(compareStrings);
  const out: (readonly [string, V])[] = [];
  for (const key of keys) {
    const removes = updates.filter((w) => w.op.f === 'remove' && w.op.key === key);
    const survivors: SpecUpdate<Op>[] = [];
    for (const u of updates) {
      if (u.op.f !== 'update' || u.op.key !== key) continue;
      if (removes.some((w) => isVisible(u, w))) continue;
      survivors.push({ ...u, op: u.op.op });
    }
    const value = nested.spec(survivors);
    if (stableStringify(value) !== empty) out.push([key, value]);
  }
  return out;
}
