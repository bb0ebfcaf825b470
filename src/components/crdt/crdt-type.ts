/**
 * The one interface every CRDT here implements, and all a replication protocol or a convergence
 * checker needs to handle any of them generically. States are immutable, JSON-encodable values
 * forming a join-semilattice (Shapiro, Preguiça, Baquero, Zawirski 2011): `merge` is the join, so
 * it is commutative, associative and idempotent, and replicas that have merged the same updates
 * hold equal states whatever the order. Updates are delta mutators (Almeida, Shoker, Baquero
 * 2018): `apply` returns the new state and a delta, itself a state, with
 * `state' = merge(state, delta)`; a protocol ships deltas (or joins of them, delta groups) instead
 * of whole states, and falls back to the whole state when it has lost track (after a restart).
 *
 *   const t = gCounter();
 *   const { state, delta } = t.apply(t.empty(), { f: 'inc', by: 2 }, { node: 'n1' });
 *   t.value(t.merge(t.empty(), delta));          // 2: the delta alone carries the update
 *   t.hash(state) === t.hash(t.merge(state, delta));   // true: merging is idempotent
 *
 * For the convergence checker: `hash` and `equals` compare replicas, `diff` names the first key
 * or element where two states differ, and `spec` computes the value a replica must converge to
 * from the updates it has applied and what each of them had seen (Burckhardt, Gotsman, Yang,
 * Zawirski 2014: a replicated data type's specification is a function of the visible updates).
 */
import type { Dot } from '../clocks/dot.js';
import type { Hlc } from '../clocks/hybrid-logical-clock.js';
import type { VectorClock } from '../clocks/vector-clock.js';
import type { NodeId } from '../../core/ids.js';

export type Json =
  | null
  | boolean
  | number
  | string
  | readonly Json[]
  | { readonly [key: string]: Json };

/** Where an update is applied: the replica taking it and, for LWW, the HLC time it happens at. */
export interface ApplyContext {
  readonly node: NodeId;
  readonly timestamp?: Hlc;
}

export interface Applied<S> {
  readonly state: S;
  /** The update alone, a state: joining it into any state that includes the old one applies it. */
  readonly delta: S;
}

/**
 * One update as the convergence checker knows it. `dot` names the update (the replica that took
 * it and its count of updates taken there, from 1) and `seen` is every update that replica had
 * applied before it, its own included: u is visible to w when `w.seen` covers `u.dot`. These are
 * the protocol's own bookkeeping of deliveries, kept apart from the CRDT's state, so a CRDT bug
 * cannot hide itself by corrupting them.
 */
export interface SpecUpdate<Op> {
  readonly op: Op;
  readonly dot: Dot;
  readonly seen: VectorClock;
  /** The timestamp the update was applied with (LWW-Register only). */
  readonly timestamp?: Hlc;
}

/** Whether update `u` was visible to (had been applied before) update `w`. */
export const isVisible = (u: SpecUpdate<unknown>, w: SpecUpdate<unknown>): boolean =>
  w.seen.covers(u.dot);

export interface CrdtType<S, Op, V> {
  /** The type's name, e.g. `or-set` or `or-map<mv-register>`. */
  readonly name: string;
  /** The bottom of the lattice: a replica before any update. */
  empty(): S;
  /** Applies `op` at `ctx.node`: the new state and the delta that carries the update. */
  apply(state: S, op: Op, ctx: ApplyContext): Applied<S>;
  /** The join: commutative, associative, idempotent. */
  merge(a: S, b: S): S;
  /** What a read returns, in a stable order. */
  value(state: S): V;
  equals(a: S, b: S): boolean;
  /** 16 hex digits over the canonical encoding: equal states, equal hashes. */
  hash(state: S): string;
  /** The first key or element (in a stable order) where `a` and `b` differ, said for a person. */
  diff(a: S, b: S): string | undefined;
  /** A JSON value in a canonical form (sorted, no optional fields), for the WAL and messages. */
  encode(state: S): Json;
  decode(json: Json): S;
  /** The value once every update in `updates` is applied, by the type's specification. */
  spec(updates: readonly SpecUpdate<Op>[]): V;
}

/** A CRDT type with its state, operation and value types unknown, for registries. */
// biome-ignore lint/suspicious/noExplicitAny: an existential type; each use site knows its own
export type AnyCrdtType = CrdtType<any, any, any>;

/** What every type's factory accepts: named bugs to switch on (crdt/named-bugs.ts). */
export interface CrdtOptions {
  readonly bugs?: ReadonlySet<string>;
}
