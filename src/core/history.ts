/**
 * What clients saw. A history is the list of operations clients invoked, each with its
 * invocation and completion time and Jepsen's three outcomes: `ok` (it happened), `fail` (it
 * definitely did not), `info` (unknown: it may or may not have happened; such an operation stays
 * open to the end of the history). Checkers are pure functions over histories.
 */
import type { ClientId, NodeId } from './ids.js';
import type { Micros } from './time.js';

export type OpOutcome = 'ok' | 'fail' | 'info';

/** The phase of a run an operation was invoked in; final reads happen in `final`. */
export type PhaseName = 'faulty' | 'healed' | 'final';

export interface Operation<In = unknown, Out = unknown> {
  /** Position in the history, in invocation order. */
  readonly id: number;
  readonly client: ClientId;
  /** The operation's function name, e.g. `put`, `get`, `cas`. */
  readonly f: string;
  readonly input: In;
  output: Out | undefined;
  readonly invokeUs: Micros;
  /** Undefined while pending and for `info` operations, which stay open to the end. */
  completeUs: Micros | undefined;
  outcome: OpOutcome | 'pending';
  /** Error code for `fail` and `info` (e.g. `timeout`, `not-primary`). */
  error?: string;
  /** The node that answered (the last one tried). */
  node?: NodeId;
  readonly phase: PhaseName;
}

export type History<In = unknown, Out = unknown> = readonly Operation<In, Out>[];

/** Key-value operations, the vocabulary of the kv workload and its checkers. */
export type KvInput =
  | { readonly f: 'put' | 'append'; readonly key: string; readonly value: string }
  | { readonly f: 'get'; readonly key: string }
  | { readonly f: 'delete'; readonly key: string };
export type KvOutput = string | null;
