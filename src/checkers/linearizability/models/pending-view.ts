/**
 * `PendingOps` as a wrapping model passes them on: mapped to the inner model's inputs
 * (jepsen.independent), or narrowed to one partition (a partitioned model checked whole). The
 * derived `all` array is built once per search's array and kept, so the inner model can index it
 * once too; `has` maps back to the search's own indices.
 */
import type { PendingOps } from '../types.js';

const mapped = new WeakMap<readonly unknown[], readonly unknown[]>();

/** The same operations with each input seen through `f`. */
export function mapPending<I, J>(pending: PendingOps<I>, f: (input: I) => J): PendingOps<J> {
  let all = mapped.get(pending.all) as readonly J[] | undefined;
  if (all === undefined) {
    all = pending.all.map(f);
    mapped.set(pending.all, all);
  }
  return { all, has: (k) => pending.has(k) };
}

interface Narrowed<I> {
  readonly all: readonly I[];
  /** For each of `all`, its index in the search's array. */
  readonly from: readonly number[];
}

const narrowed = new WeakMap<readonly unknown[], Map<string, Narrowed<unknown>>>();

/** Only the operations of partition `part` (`partitionOf` says which an input belongs to). */
export function partitionPending<I>(
  pending: PendingOps<I>,
  part: string,
  partitionOf: (input: I) => string,
): PendingOps<I> {
  let byPart = narrowed.get(pending.all);
  if (byPart === undefined) {
    byPart = new Map();
    narrowed.set(pending.all, byPart);
  }
  let view = byPart.get(part) as Narrowed<I> | undefined;
  if (view === undefined) {
    const from = pending.all.flatMap((input, k) => (partitionOf(input) === part ? [k] : []));
    view = { all: from.map((k) => pending.all[k] as I), from };
    byPart.set(part, view as Narrowed<unknown>);
  }
  const { all, from } = view;
  return { all, has: (k) => pending.has(from[k] as number) };
}
