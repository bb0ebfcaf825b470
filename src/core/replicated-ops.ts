/**
 * The operations of the replicated-data workloads (counter, set, register, text) and what their
 * reads return: the vocabulary a client shares with a replica of a CRDT protocol and with the
 * convergence checker, as kv's is in history.ts. Updates change a replica; reads only observe
 * it, and a final read names the replica it must observe (`replica`, a node index from 0), so
 * that after healing every replica is read once.
 */
/** A read: `read`, or the register's `get`, which also returns a causal context. */
export interface ReplicaRead {
  readonly f: 'read' | 'get';
  /** The node to read (an index from 0), for the final reads; any node otherwise. */
  readonly replica?: number;
}

export type CounterInput = { readonly f: 'inc' | 'dec'; readonly by: number } | ReplicaRead;

export type SetInput = { readonly f: 'add' | 'remove'; readonly element: string } | ReplicaRead;

/**
 * A register write carries the causal context of the siblings its client read (`n1:3` dots):
 * it replaces exactly those, and siblings written concurrently survive beside it (Dynamo's and
 * Riak's contexts).
 */
export type RegisterInput =
  | { readonly f: 'put'; readonly value: string; readonly context: readonly string[] }
  | ReplicaRead;

/** What a register's `get` returns: the siblings' values, sorted, and their context. */
export interface RegisterRead {
  readonly values: readonly unknown[];
  readonly context: readonly string[];
}

/** Text edits at a position of the text as the replica holds it (clamped to it). */
export type TextInput =
  | { readonly f: 'insert'; readonly index: number; readonly text: string }
  | { readonly f: 'delete'; readonly index: number; readonly count: number }
  | ReplicaRead;

export type ReplicatedInput = CounterInput | SetInput | RegisterInput | TextInput;

/** The workloads that speak this vocabulary. */
export const REPLICATED_WORKLOADS: readonly string[] = ['counter', 'set', 'register', 'text'];

/** Whether an operation only observes a replica. */
export const isReplicaRead = (op: { readonly f: string }): op is ReplicaRead =>
  op.f === 'read' || op.f === 'get';
