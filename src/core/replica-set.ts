/**
 * What a replicated-data protocol shows the convergence checker once a run ends: each replica's
 * state (its hash, its value, what a client read there returns, the updates it has applied and
 * when it last changed), every update any replica took from a client and made durable, and the
 * data type's own `diff` and `spec`. The checker (checkers/convergence.ts) reads only this, so
 * it judges any protocol and any data type that can describe itself this way.
 *
 * The bookkeeping of which update a replica applied (`applied`, `seen`) is the protocol's, kept
 * apart from the data type's state (components/crdt/crdt-type.ts, `SpecUpdate`): a data type
 * that corrupts its own state cannot also hide the corruption from the specification.
 */
import type { ClientId, NodeId } from './ids.js';
import type { Micros } from './time.js';

/** A version vector as `[node, count]` pairs sorted by node: count n covers updates 1..n. */
export type VersionEntries = readonly (readonly [NodeId, number])[];

/** One update a replica took from a client and made durable, named by its dot. */
export interface ReplicaUpdate {
  /** The replica that took it. */
  readonly node: NodeId;
  /** Its count of updates taken there, from 1. */
  readonly counter: number;
  /** The history operation it came from: the client request's `seq`. */
  readonly opId: number;
  readonly client: ClientId;
  /** Every update the replica had applied when it took this one, itself included. */
  readonly seen: VersionEntries;
}

/** One replica at the end of the run. */
export interface ReplicaView {
  readonly node: NodeId;
  /** False for a replica down at the end: the fields below then describe nothing. */
  readonly up: boolean;
  /** 16 hex digits over the canonical encoding of its state: equal states, equal hashes. */
  readonly hash: string;
  /** The data type's value of its state (what `spec` computes). */
  readonly value: unknown;
  /** What a client's read returns here (the value, and for some types a causal context). */
  readonly read: unknown;
  /** The updates it has applied. */
  readonly applied: VersionEntries;
  /** The virtual time its state last changed. */
  readonly changedAtUs: Micros;
}

export interface ReplicaSet {
  /** The data type's name, e.g. `or-set`. */
  readonly dataType: string;
  readonly replicas: readonly ReplicaView[];
  /** Every update some replica took and made durable, sorted by node and counter. */
  readonly updates: readonly ReplicaUpdate[];
  /** Where the states of two replicas first differ, said for a person. */
  diff(a: NodeId, b: NodeId): string | undefined;
  /** The value the data type's specification gives once exactly `updates` are applied. */
  spec(updates: readonly ReplicaUpdate[]): unknown;
}

/** `n1:3`, the name of an update. */
export const updateDot = (u: Pick<ReplicaUpdate, 'node' | 'counter'>): string =>
  `${u.node}:${u.counter}`;

/** Whether the version vector covers the update (its count at the update's node reaches it). */
export function versionCovers(v: VersionEntries, u: Pick<ReplicaUpdate, 'node' | 'counter'>) {
  for (const [node, count] of v) if (node === u.node) return count >= u.counter;
  return false;
}

/**
 * A store whose replicas are per key (Dynamo): each key lives on the home nodes of its preference
 * list, not on every node, so the checker compares, key by key, the home replicas of that key.
 */
export interface KeyReplica {
  readonly node: NodeId;
  /** False for a home node down at the end: the fields below then describe nothing. */
  readonly up: boolean;
  /** 16 hex digits over the canonical encoding of its versions of the key. */
  readonly hash: string;
  /** The versions it keeps, as their dots (`n1:3`) and values, sorted by dot. */
  readonly versions: readonly (readonly [dot: string, value: string])[];
  /** The virtual time its versions of the key last changed. */
  readonly changedAtUs: Micros;
  /** Under a CRDT value per key: the writes its state joined (a clock), and what a get returns. */
  readonly crdt?: { readonly clock: VersionEntries; readonly read: unknown };
}

export interface KeyReplicas {
  readonly key: string;
  /** The key's home nodes, in preference-list order. */
  readonly homes: readonly KeyReplica[];
}

/** One write a coordinator gave a dot: the version it made, and the context its client read. */
export interface KeyedWrite {
  readonly key: string;
  /** The history operation it came from: the client request's `seq`. */
  readonly opId: number;
  readonly dot: string;
  readonly value: string;
  /** The versions its client had read (`n1:3` entries): the ones it replaces on purpose. */
  readonly context: VersionEntries;
}

export interface KeyedReplicaSet {
  readonly kind: 'per-key';
  /** How concurrent versions are resolved: `siblings` keeps them, `lww-…` keeps one. */
  readonly resolution: string;
  readonly keys: readonly KeyReplicas[];
  /** Every write any coordinator gave a dot, sorted by key and dot. */
  readonly writes: readonly KeyedWrite[];
}

/** What a protocol shows the convergence checker: replicas per node, or per key. */
export type Replicas = ReplicaSet | KeyedReplicaSet;

export const isPerKey = (r: Replicas): r is KeyedReplicaSet => 'kind' in r && r.kind === 'per-key';
