/**
 * Single-decree Paxos's wire messages, named as in Lamport's "Paxos Made Simple" (§2.2): phase 1
 * is `Prepare` and `Promise`, phase 2 `Accept` and `Accepted`; a `Nack` tells a proposer its
 * ballot lost to a higher promise (§2.5: "an optimization"), and `Commit` tells the learners the
 * chosen value (§2.3), as Cassandra's lightweight transactions name that step.
 *
 * Each message concerns one key's register. The register changes by a sequence of Paxos
 * instances, one per write (Cassandra LWT): instance i decides the register's value after its
 * i-th change. An `Accept` carries the committed value it builds on (`base`), so every acceptor
 * of instance i+1 also learns instance i.
 */
import type { Effect } from '../../core/protocol.js';

/** A register's value: an integer a client wrote, or null before any write. */
export type Value = number | null;

/**
 * A client's operation on one key's register, as the `cas-register` workload issues it (the
 * shape of the linearizability checker's `independent cas-register` model, declared here because
 * a protocol imports neither workloads nor checkers).
 */
export interface CasOp {
  readonly key: string;
  readonly inner:
    | { readonly f: 'read' }
    | { readonly f: 'write'; readonly value: number }
    | { readonly f: 'cas'; readonly from: number; readonly to: number };
}

/** read → `{ value }`, write → `{}`, cas → `{ ok }` (false: the register did not hold `from`). */
export interface CasResult {
  readonly value?: Value;
  readonly ok?: boolean;
}

/** A learned value: the register after its `instance`-th change (0: the initial null). */
export interface Committed {
  readonly instance: number;
  readonly value: Value;
}

/** An accepted proposal (§2.2: "a proposal numbered n with value v"), for one instance. */
export interface Proposal {
  readonly ballot: number;
  readonly instance: number;
  readonly value: Value;
}

export type PaxosMessage =
  | { readonly type: 'Prepare'; readonly key: string; readonly ballot: number }
  | {
      readonly type: 'Promise';
      readonly key: string;
      readonly ballot: number;
      readonly committed: Committed;
      /** The highest-numbered proposal this acceptor accepted, if not yet known committed. */
      readonly accepted: Proposal | null;
    }
  | {
      readonly type: 'Nack';
      readonly key: string;
      readonly ballot: number;
      readonly promised: number;
    }
  | {
      readonly type: 'Accept';
      readonly key: string;
      readonly proposal: Proposal;
      readonly base: Committed;
    }
  | { readonly type: 'Accepted'; readonly key: string; readonly ballot: number }
  | { readonly type: 'Commit'; readonly key: string; readonly committed: Committed };

/** One kind of message, e.g. `MessageOf<'Promise'>`. */
export type MessageOf<T extends PaxosMessage['type']> = Extract<PaxosMessage, { readonly type: T }>;

export type PaxosEffect = Effect<PaxosMessage, CasResult>;
