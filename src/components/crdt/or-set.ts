/**
 * The OR-Set, add-wins, without tombstones: Riak's ORSWOT, which is the add-wins set of Almeida,
 * Shoker, Baquero 2018 (§7.2) on the causal-CRDT machinery of dot-store.ts. Each add gets a
 * fresh dot (unique: the replica id and its next counter) and replaces the element's older dots;
 * a remove drops the element's dots from the store but keeps them in the causal context. On
 * merge a dot survives unless the other side has seen it and let it go, so a remove cancels
 * exactly the adds it observed and a concurrent add wins (Shapiro et al. 2011, §3.3.5).
 *
 *   const t = orSet();
 *   const a = t.apply(t.empty(), { f: 'add', element: 'x' }, { node: 'n1' }).state;
 *   const b = t.apply(a, { f: 'remove', element: 'x' }, { node: 'n2' }).state;   // saw the add
 *   const c = t.apply(a, { f: 'add', element: 'x' }, { node: 'n3' }).state;      // concurrent
 *   t.value(t.merge(b, c));                      // ['x']: the add n2 did not see wins
 *
 * Named bugs: `or-set.no-unique-tags` (catalogue #36) tags every add of x with the same dot, so
 * a remove that saw one add of x cancels all of them; `or-set.merge-keeps-present-on-both` (#37,
 * basho/riak_dt#82) keeps an element that both sides hold with the union of their dots, though a
 * side's context shows the other's dots were removed. Left out: element types other than string.
 */
import type { NodeId } from '../../core/ids.js';
import type { Dot } from '../clocks/dot.js';
import { CausalContext } from './causal-context.js';
import { asArray } from './codec.js';
import { type CrdtOptions, isVisible, type SpecUpdate } from './crdt-type.js';
import {
  decodeDotMap,
  diffDotMaps,
  type DotMap,
  dotMapDots,
  dotMapGet,
  dotMapsEqual,
  encodeDotMap,
  joinDotMaps,
  type NestedStore,
} from './dot-map.js';
import {
  type Causal,
  type CausalCrdtType,
  causalCrdt,
  type DotSet,
  type DotStoreType,
  dotSetsEqual,
  dotSetText,
  joinDotSets,
} from './dot-store.js';
import { compareDots } from '../clocks/dot.js';
import { decodeDot, encodeDot } from './codec.js';
import { compareStrings, unionSorted } from './sorted.js';

export interface OrSetOp {
  readonly f: 'add' | 'remove';
  readonly element: string;
}

/** Elements mapped to the dots of the adds that made them present. */
export type OrSetStore = DotMap<DotSet>;

export type OrSetState = Causal<OrSetStore>;

const dotSets: NestedStore<DotSet> = {
  bottom: [],
  isBottom: (s) => s.length === 0,
  join: joinDotSets,
  dots: (s, out) => {
    for (const d of s) out.push(d);
  },
  equals: dotSetsEqual,
  diff: (a, b) => (dotSetsEqual(a, b) ? undefined : `dots ${dotSetText(a)} vs ${dotSetText(b)}`),
  encode: (s) => s.map(encodeDot),
  decode: (j) => asArray(j, 'dot set').map(decodeDot).sort(compareDots),
};

/** Bug #37: an element on both sides keeps the union of its dots, whatever the contexts say. */
const dotSetsKeepingBoth: NestedStore<DotSet> = {
  ...dotSets,
  join: (a, ca, b, cb) =>
    a.length > 0 && b.length > 0 ? unionSorted(a, b, compareDots) : joinDotSets(a, ca, b, cb),
};

export function orSet(
  options: CrdtOptions = {},
): CausalCrdtType<OrSetStore, OrSetOp, readonly string[]> {
  const bugs = options.bugs ?? new Set<string>();
  const nested = bugs.has('or-set.merge-keeps-present-on-both') ? dotSetsKeepingBoth : dotSets;
  const tagOf = bugs.has('or-set.no-unique-tags') ? elementTag : freshDot;
  const store: DotStoreType<OrSetStore, OrSetOp, readonly string[]> = {
    name: 'or-set',
    bottom: [],
    isBottom: (m) => m.length === 0,
    join: (a, ca, b, cb) => joinDotMaps(nested, a, ca, b, cb),
    dots: (m, out) => dotMapDots(nested, m, out),
    mutate: (m, c, op, node) => mutate(m, op, tagOf(c, node, op.element)),
    value: (m) => m.map((e) => e.key),
    equals: (a, b) => dotMapsEqual(nested, a, b),
    diff: (a, b) => diffDotMaps(nested, a, b, 'element'),
    encode: (m) => encodeDotMap(nested, m),
    decode: (j) => decodeDotMap(nested, j),
    spec: addWins,
  };
  return causalCrdt(store);
}

const freshDot = (c: CausalContext, node: NodeId): Dot => c.next(node);

/** Bug #36: the tag is the element itself, the same for every add of it on every replica. */
const elementTag = (_c: CausalContext, _node: NodeId, element: string): Dot => ({
  node: `#${element}`,
  counter: 1,
});

/** Almeida et al.'s add-wins δ-mutators: add supersedes the element's dots, remove drops them. */
function mutate(m: OrSetStore, op: OrSetOp, tag: Dot): Causal<OrSetStore> {
  const old = dotMapGet(m, op.element) ?? [];
  if (op.f === 'remove') return { store: [], context: CausalContext.of(old) };
  return { store: [{ key: op.element, store: [tag] }], context: CausalContext.of([...old, tag]) };
}

/** Present: some add of the element that no remove of it had seen. */
function addWins(updates: readonly SpecUpdate<OrSetOp>[]): readonly string[] {
  const removes = updates.filter((w) => w.op.f === 'remove');
  const survives = (u: SpecUpdate<OrSetOp>) =>
    !removes.some((w) => w.op.element === u.op.element && isVisible(u, w));
  const present = updates.filter((u) => u.op.f === 'add' && survives(u)).map((u) => u.op.element);
  return [...new Set(present)].sort(compareStrings);
}
