/**
 * The DotMap of Almeida, Shoker, Baquero 2018 (§6): keys mapped to nested dot stores that share
 * the map's causal context. A key is there while its store holds a dot; joining joins each key's
 * stores under the two contexts and drops keys whose store comes out empty. The OR-Set is a
 * DotMap of DotSets (an element is there while some add's dot survives) and the OR-Map a DotMap
 * of any causal type's store.
 */
import type { Dot } from '../clocks/dot.js';
import type { CausalContext } from './causal-context.js';
import { asArray, asString } from './codec.js';
import type { Json } from './crdt-type.js';
import { compareStrings, firstDifference, search } from './sorted.js';

interface DotMapEntry<D> {
  readonly key: string;
  readonly store: D;
}

/** Entries sorted by key, none with an empty store. */
export type DotMap<D> = readonly DotMapEntry<D>[];

/** What a DotMap needs of the stores it nests. */
export interface NestedStore<D> {
  readonly bottom: D;
  isBottom(d: D): boolean;
  join(a: D, ca: CausalContext, b: D, cb: CausalContext): D;
  dots(d: D, out: Dot[]): void;
  equals(a: D, b: D): boolean;
  diff(a: D, b: D): string | undefined;
  encode(d: D): Json;
  decode(j: Json): D;
}

const byKey = <D>(x: DotMapEntry<D>, y: DotMapEntry<D>) => compareStrings(x.key, y.key);

export function dotMapGet<D>(m: DotMap<D>, key: string): D | undefined {
  const at = search(m, key, (e, k) => compareStrings(e.key, k));
  return at >= 0 ? (m[at] as DotMapEntry<D>).store : undefined;
}

export function joinDotMaps<D>(
  nested: NestedStore<D>,
  a: DotMap<D>,
  ca: CausalContext,
  b: DotMap<D>,
  cb: CausalContext,
): DotMap<D> {
  if (a === b) return a;
  const out: DotMapEntry<D>[] = [];
  let changed = false;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    const order = x === undefined ? 1 : y === undefined ? -1 : compareStrings(x.key, y.key);
    let joined: DotMapEntry<D> | undefined;
    if (order < 0) {
      const e = x as DotMapEntry<D>;
      joined = kept(nested, e, nested.join(e.store, ca, nested.bottom, cb));
    } else if (order > 0) {
      const e = y as DotMapEntry<D>;
      joined = kept(nested, e, nested.join(nested.bottom, ca, e.store, cb));
    } else joined = joinEntries(nested, x as DotMapEntry<D>, ca, y as DotMapEntry<D>, cb);
    if (joined !== undefined) out.push(joined);
    // The join differs from `a` once an entry of `a` changed or went, or `b` brought a new one.
    if (order > 0 ? joined !== undefined : joined !== x) changed = true;
    if (order <= 0) i++;
    if (order >= 0) j++;
  }
  return changed ? out : a;
}

/** The entry after a join: the old entry when its store came out unchanged, none when empty. */
function kept<D>(nested: NestedStore<D>, e: DotMapEntry<D>, store: D): DotMapEntry<D> | undefined {
  if (store === e.store) return e;
  return nested.isBottom(store) ? undefined : { key: e.key, store };
}

function joinEntries<D>(
  nested: NestedStore<D>,
  x: DotMapEntry<D>,
  ca: CausalContext,
  y: DotMapEntry<D>,
  cb: CausalContext,
): DotMapEntry<D> | undefined {
  const store = nested.join(x.store, ca, y.store, cb);
  if (store === x.store) return x;
  if (store === y.store) return y;
  return nested.isBottom(store) ? undefined : { key: x.key, store };
}

export function dotMapDots<D>(nested: NestedStore<D>, m: DotMap<D>, out: Dot[]): void {
  for (const e of m) nested.dots(e.store, out);
}

export function dotMapsEqual<D>(nested: NestedStore<D>, a: DotMap<D>, b: DotMap<D>): boolean {
  return (
    a.length === b.length &&
    a.every((e, i) => {
      const f = b[i] as DotMapEntry<D>;
      return e.key === f.key && nested.equals(e.store, f.store);
    })
  );
}

export function diffDotMaps<D>(
  nested: NestedStore<D>,
  a: DotMap<D>,
  b: DotMap<D>,
  noun: string,
): string | undefined {
  return firstDifference(
    a,
    b,
    byKey,
    (x, y) => nested.diff(x.store, y.store),
    (x) => `${noun} ${JSON.stringify(x.key)}`,
  );
}

export const encodeDotMap = <D>(nested: NestedStore<D>, m: DotMap<D>): Json =>
  m.map((e) => [e.key, nested.encode(e.store)]);

export function decodeDotMap<D>(nested: NestedStore<D>, j: Json): DotMap<D> {
  const entries = asArray(j, 'dot map').map((e) => {
    const [key, store] = asArray(e, 'dot map entry');
    return { key: asString(key ?? null, 'key'), store: nested.decode(store ?? null) };
  });
  return entries.sort(byKey).filter((e) => !nested.isBottom(e.store));
}
