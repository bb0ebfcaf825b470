/**
 * The operations of the replicated-data workloads (counter, set, register, text): the vocabulary
 * a client shares with a replica of a CRDT protocol and with the convergence checker, as kv's is
 * in history.ts. Updates change a replica; reads only observe it.
 */

/** A read: `read`, or the register's `get`, which also returns a causal context. */
interface ReplicaRead {
  readonly f: 'read' | 'get';
}

/** The workloads that speak this vocabulary. */
export const REPLICATED_WORKLOADS: readonly string[] = ['counter', 'set', 'register', 'text'];

/** Whether an operation only observes a replica. */
export const isReplicaRead = (op: { readonly f: string }): op is ReplicaRead =>
  op.f === 'read' || op.f === 'get';
