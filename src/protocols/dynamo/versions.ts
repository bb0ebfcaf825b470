/**
 * The versions of one key and how they are resolved. Every write gets a dot from the node that
 * coordinated it and carries the causal context its client read (a dotted version vector,
 * Preguiça et al. 2010, as Riak stores siblings): a version is obsolete exactly when another's
 * context covers its dot. What is left is resolved per scenario:
 *
 * - `siblings`: every version no other made obsolete is kept and returned to the client, who
 *   writes back a merge with the context it read (Dynamo §4.4, Riak's `allow_mult`);
 * - `lww-hlc`, `lww-wall`: only the version with the greatest timestamp survives (ties broken by
 *   dot), stamped by the coordinator's hybrid logical clock or by its wall clock. A wall clock
 *   running ahead makes its writes win over later ones: acknowledged writes are lost.
 * - `crdt`: versions are CRDT states, joined into one (crdt-values.ts).
 *
 * Versions are immutable, sorted by dot; a key's versions are shipped whole between replicas, so
 * whoever holds a node's dot for a key also holds (or has made obsolete) every earlier dot that
 * node gave the key: the property that keeps a dot's counter meaningful (DVVSet, Almeida et al.
 * 2014).
 */
import type { NodeId } from '../../core/ids.js';
import { compareDots, type Dot, dotText } from '../../components/clocks/dot.js';
import { compareHlc, type Hlc } from '../../components/clocks/hybrid-logical-clock.js';
import { VectorClock } from '../../components/clocks/vector-clock.js';
import type { AnyCrdtType } from '../../components/crdt/crdt-type.js';

export type Resolution = 'siblings' | 'lww-hlc' | 'lww-wall' | 'crdt';
export const RESOLUTIONS: readonly Resolution[] = ['siblings', 'lww-hlc', 'lww-wall', 'crdt'];

export interface Version {
  readonly dot: Dot;
  /** What the writing client had read: the versions it replaces. */
  readonly context: VectorClock;
  readonly value: string;
  /** The coordinator's timestamp (HLC, or wall clock with `c` 0); only LWW reads it. */
  readonly ts: Hlc;
  /** A delete: a version like any other, with its own dot and context, that a get hides. */
  readonly tomb?: true;
}

export type Versions = readonly Version[];

export interface Resolver {
  readonly resolution: Resolution;
  /** Named bug #39: obsolescence by a vector-clock compare that skips entries one side lacks. */
  readonly compareBug: ReadonlySet<string> | undefined;
  /** Under `crdt`, the type of every key's state, and the join of versions holding states. */
  readonly crdt?: AnyCrdtType;
  readonly joinStates?: (all: readonly Version[]) => Versions;
}

/** The causal context of a key's versions: every dot and context in them, as one clock. */
export function contextOf(vs: Versions): VectorClock {
  let clock = VectorClock.EMPTY;
  for (const v of vs) clock = clock.merge(v.context).with(v.dot.node, v.dot.counter);
  return clock;
}

const fullClock = (v: Version): VectorClock => v.context.with(v.dot.node, v.dot.counter);

/** Whether `o` makes `v` obsolete: o's context covers v's dot (o's writer had read v). */
function obsoletes(r: Resolver, o: Version, v: Version): boolean {
  if (o.context.covers(v.dot)) return true;
  // The bug: also "o's writer saw v" when a compare that skips nodes only v's clock has says
  // o's context is after v's clock.
  return (
    r.compareBug !== undefined &&
    o.context.compare(fullClock(v), { bugs: r.compareBug }) === 'after'
  );
}

const lwwOrder = (a: Version, b: Version): number =>
  compareHlc(a.ts, b.ts) || compareDots(a.dot, b.dot);

/**
 * Keeps what the resolution keeps of versions no other has made obsolete. Last-writer-wins keeps
 * one, whose context takes in every version it beat: the key's context must still cover every
 * dot it ever held, or the coordinator of a loser would give its next write that dot again.
 * Two copies of one dot (one replica's winner, and the same version beaten elsewhere) join their
 * contexts.
 */
function resolve(r: Resolver, all: Version[]): Versions {
  if (r.joinStates !== undefined) return r.joinStates(all);
  all.sort((x, y) => compareDots(x.dot, y.dot));
  const unique: Version[] = [];
  for (const v of all) {
    const last = unique[unique.length - 1];
    if (last === undefined || compareDots(last.dot, v.dot) !== 0) unique.push(v);
    else if (!last.context.equals(v.context))
      unique[unique.length - 1] = { ...last, context: last.context.merge(v.context) };
  }
  const live = unique.filter((v) => !unique.some((o) => o !== v && obsoletes(r, o, v)));
  if (r.resolution === 'siblings' || unique.length <= 1) return live;
  const winner = unique.reduce((best, v) => (lwwOrder(v, best) > 0 ? v : best));
  let context = winner.context;
  for (const v of unique) if (v !== winner) context = context.merge(fullClock(v));
  return [context.equals(winner.context) ? winner : { ...winner, context }];
}

/** Two replicas' versions of a key joined (commutative, associative, idempotent). */
export function syncVersions(r: Resolver, a: Versions, b: Versions): Versions {
  if (b.length === 0 || a === b) return a;
  if (a.length === 0) return b;
  return resolve(r, [...a, ...b]);
}

/**
 * A write of `value` coordinated by `node`, whose client had read `context`: it gets the next
 * dot of `node` for this key and replaces every version the context covers.
 */
export function writeVersion(
  r: Resolver,
  vs: Versions,
  write: {
    readonly node: NodeId;
    readonly context: VectorClock;
    readonly value: string;
    readonly ts: Hlc;
    readonly tomb?: boolean;
  },
  floor: VectorClock = VectorClock.EMPTY,
): { readonly versions: Versions; readonly version: Version } {
  const past = Math.max(contextOf(vs).get(write.node), floor.get(write.node));
  const counter = Math.max(past, write.context.get(write.node)) + 1;
  const version: Version = {
    dot: { node: write.node, counter },
    context: write.context,
    value: write.value,
    ts: write.ts,
    ...(write.tomb ? { tomb: true as const } : {}),
  };
  return { versions: resolve(r, [...vs, version]), version };
}

/** Whether two replicas hold the same versions (they are canonical: sorted, none obsolete). */
export function sameVersions(a: Versions, b: Versions): boolean {
  return (
    a.length === b.length &&
    a.every((v, i) => {
      const w = b[i] as Version;
      // The context too: an LWW winner that beat an incoming write keeps its dot but takes in
      // the loser's, and a replica that saw only the dots would forget the loser was overwritten.
      return compareDots(v.dot, w.dot) === 0 && v.context.equals(w.context);
    })
  );
}

/**
 * What a get returns: the surviving values, sorted, and their context as `n1:3` entries. A
 * tombstone is hidden (a key holding only tombstones reads as not found) but its dot is in the
 * context, so a put that read it supersedes it.
 */
export function readOf(vs: Versions): { values: string[]; context: string[] } {
  const values = vs.flatMap((v) => (v.tomb ? [] : [v.value])).sort();
  const context = contextOf(vs)
    .entries()
    .map(([node, counter]) => dotText({ node, counter }));
  return { values, context };
}

/** The canonical JSON of versions, for the WAL and messages. */
export type EncodedVersion =
  | readonly [string, number, readonly [string, number][], string, number, number]
  | readonly [string, number, readonly [string, number][], string, number, number, 1];

/** A tombstone carries a trailing 1; a value's encoding is what it was before deletes. */
export const encodeVersions = (vs: Versions): EncodedVersion[] =>
  vs.map((v) => {
    const e = [v.dot.node, v.dot.counter, v.context.entries(), v.value, v.ts.l, v.ts.c] as const;
    return v.tomb ? [...e, 1] : e;
  });

export const decodeVersions = (e: readonly EncodedVersion[]): Versions =>
  e.map(([node, counter, ctx, value, l, c, tomb]) => ({
    dot: { node, counter },
    context: VectorClock.from(ctx),
    value,
    ts: { l, c },
    ...(tomb === 1 ? { tomb: true as const } : {}),
  }));

/** Whether every version of a key is a tombstone: a deleted key, as a get sees it. */
export const allTombstones = (vs: Versions): boolean =>
  vs.length > 0 && vs.every((v) => v.tomb === true);

/** The versions a floor (the clock of a collected tombstone) has not made obsolete. */
export const aboveFloor = (vs: Versions, floor: VectorClock | undefined): Versions =>
  floor === undefined ? vs : vs.filter((v) => !floor.covers(v.dot));

/** A version's whole clock: its context and its own dot. */
export const clockOf = (v: Version): VectorClock => fullClock(v);
