/**
 * Two-phase commit's wire messages, named as Bernstein, Hadzilacos & Goodman name them
 * ("Concurrency Control and Recovery in Database Systems", 1987, §7.4) and Gray & Lamport do
 * ("Consensus on Transaction Commit", ACM TODS 2006, §3): the coordinator's `Prepare` (BHG's
 * VOTE-REQ) carries each participant's part of the transaction; a participant answers with a
 * `Vote` (YES, with what it read under its locks, or NO); the coordinator's `Decision` (COMMIT
 * or ABORT) ends it, and a participant acknowledges a commit (`Ack`) once it is durable, so the
 * coordinator may forget it. A participant in doubt asks with a `DecisionRequest` (BHG's
 * termination protocol, §7.4); with the cooperative termination protocol it asks the other
 * participants too, and any that knows the outcome, or has not voted and so may abort, answers
 * with a `Decision`.
 *
 * A transaction is numbered by the client attempt that started it (unique over the run, across
 * coordinator restarts); the transfer id the accounts record is the workload's.
 */
import type { AccountRead } from '../../core/bank-ops.js';
import type { NodeId } from '../../core/ids.js';
import type { Effect } from '../../core/protocol.js';

/** A write of one account: add `delta` to its balance and append transfer `id` to its list. */
export type Write = readonly [account: string, delta: number, id: string];

export type TwoPcMessage =
  | {
      readonly type: 'Prepare';
      readonly txn: number;
      /** Accounts to read under shared locks, and the balance an untouched account has. */
      readonly reads: readonly string[];
      readonly balance: number;
      /** Accounts to write under exclusive locks. */
      readonly writes: readonly Write[];
      /** Every participant of the transaction: whom to ask in the cooperative termination. */
      readonly participants: readonly NodeId[];
    }
  | {
      readonly type: 'Vote';
      readonly txn: number;
      readonly yes: boolean;
      /** With a YES: each account read, as it stood when its shared lock was granted. */
      readonly reads?: Readonly<Record<string, AccountRead>>;
    }
  | { readonly type: 'Decision'; readonly txn: number; readonly commit: boolean }
  | { readonly type: 'Ack'; readonly txn: number }
  | { readonly type: 'DecisionRequest'; readonly txn: number };

export type MessageOf<T extends TwoPcMessage['type']> = Extract<TwoPcMessage, { type: T }>;

export type TwoPcEffect = Effect<TwoPcMessage, unknown>;
