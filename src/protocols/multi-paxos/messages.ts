/**
 * Multi-Paxos's wire messages, named as in Lamport's "Paxos Made Simple" (§2.2 for the phases,
 * §3 for the log of instances): phase 1 is `Prepare` and `Promise`, for every slot at once from
 * the candidate's first unchosen one; phase 2 is `Accept` and `Accepted`, one slot each; a
 * `Nack` names the ballot to beat (§2.5). `Commit` is the leader's heartbeat: how far the log
 * is chosen (§3: "the leader ... informs the other servers"), answered by `CommitReply` with how
 * far the follower has applied. `Learn` resends chosen slots to a lagging learner, and
 * `InstallSnapshot` a snapshot when the slots it lacks were compacted away (Paxos Made Live §5.5).
 *
 * Also the log's commands, snapshots, and the effect type a step emits.
 */
import type { KvOutput } from '../../core/history.js';
import type { ClientId } from '../../core/ids.js';
import type { Effect } from '../../core/protocol.js';
import type { KvCommand } from '../shared/kv-store.js';
import type { SessionRecord } from '../shared/session-table.js';

/** A slot's value: a client's command with its session (thesis §6.3), or a no-op. */
export interface Command {
  readonly cmd: KvCommand;
  readonly client?: ClientId;
  readonly seq?: number;
  /** Ghost data for the observer: `client#seq`, or `noop`. */
  readonly id: string;
}

/** The no-op a new leader fills a gap with (Paxos Made Simple §3). */
export const NOOP: Command = { cmd: { f: 'noop' }, id: 'noop' };

/** The state machine after slot `index`: the kv store and the client sessions. */
export interface Snapshot {
  readonly index: number;
  readonly kv: readonly (readonly [string, string])[];
  readonly sessions: readonly SessionRecord<KvOutput>[];
}

/** An acceptance an acceptor reports in a Promise: slot, ballot, command. */
export type AcceptedEntry = readonly [number, number, Command];

/** A chosen slot: slot, command. */
export type ChosenEntry = readonly [number, Command];

export type MultiPaxosMessage =
  | { readonly type: 'Prepare'; readonly ballot: number; readonly from: number }
  | {
      readonly type: 'Promise';
      readonly ballot: number;
      /** Every acceptance for a slot at or after the Prepare's `from`. */
      readonly accepted: readonly AcceptedEntry[];
      /** Slots from `from` the acceptor knows chosen. */
      readonly chosen: readonly ChosenEntry[];
      /** When the acceptor compacted slots at or after `from` away: its snapshot. */
      readonly snapshot: Snapshot | null;
    }
  | { readonly type: 'Nack'; readonly ballot: number; readonly promised: number }
  | {
      readonly type: 'Accept';
      readonly ballot: number;
      readonly slot: number;
      readonly command: Command;
      /** The leader's log is chosen up to here. */
      readonly chosenTo: number;
    }
  | { readonly type: 'Accepted'; readonly ballot: number; readonly slot: number }
  | {
      readonly type: 'Commit';
      readonly ballot: number;
      readonly chosenTo: number;
      /** The heartbeat round, echoed back: it confirms leadership for reads and leases. */
      readonly probe: number;
    }
  | {
      readonly type: 'CommitReply';
      readonly ballot: number;
      readonly applied: number;
      readonly probe: number;
    }
  | { readonly type: 'Learn'; readonly chosen: readonly ChosenEntry[] }
  | { readonly type: 'InstallSnapshot'; readonly snapshot: Snapshot };

/** One kind of message, e.g. `MessageOf<'Promise'>`. */
export type MessageOf<T extends MultiPaxosMessage['type']> = Extract<
  MultiPaxosMessage,
  { readonly type: T }
>;

export type MultiPaxosEffect = Effect<MultiPaxosMessage, KvOutput>;
