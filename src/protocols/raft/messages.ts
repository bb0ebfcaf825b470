/**
 * Raft's wire messages and log entries, named as in the extended paper's Figure 2, plus the two
 * the paper leaves to the thesis: `PreVote` (§9.6: a node asks whether it could win before it
 * disrupts anyone by bumping its term) and the `probe` carried by heartbeats, which lets a leader
 * confirm it is still leader before it answers a read (ReadIndex, §6.4). Also the effect type a
 * step emits: these messages, timers, disk operations, replies to clients and marks.
 */
import type { KvOutput } from '../../core/history.js';
import type { ClientId } from '../../core/ids.js';
import type { Effect } from '../../core/protocol.js';
import type { KvCommand } from '../shared/kv-store.js';

/** A command with the client session it belongs to (thesis §6.3); the no-op has none. */
export interface RaftCommand {
  readonly cmd: KvCommand;
  readonly client?: ClientId;
  readonly seq?: number;
}

export interface Entry extends RaftCommand {
  readonly term: number;
  readonly index: number;
  /**
   * A digest of (term, command), computed once by the leader that created the entry. Ghost
   * data: only the cluster observer reads it, to compare logs without comparing commands.
   */
  readonly digest: number;
}

/** A state-machine snapshot: everything up to and including `index`. */
export interface Snapshot {
  readonly index: number;
  readonly term: number;
  /** The log's chain hash at `index` (ghost data for the observer; see raft-log.ts). */
  readonly chain: number;
  readonly kv: readonly (readonly [string, string])[];
  /** Per client: the last command's seq and its output, so a retry is answered, not re-applied. */
  readonly sessions: readonly (readonly [ClientId, number, string | null])[];
}

export type RaftMessage =
  | {
      readonly type: 'PreVote';
      readonly term: number;
      readonly lastLogIndex: number;
      readonly lastLogTerm: number;
    }
  | { readonly type: 'PreVoteReply'; readonly term: number; readonly granted: boolean }
  | {
      readonly type: 'RequestVote';
      readonly term: number;
      readonly lastLogIndex: number;
      readonly lastLogTerm: number;
    }
  | { readonly type: 'RequestVoteReply'; readonly term: number; readonly granted: boolean }
  | {
      readonly type: 'AppendEntries';
      readonly term: number;
      readonly prevLogIndex: number;
      readonly prevLogTerm: number;
      readonly entries: readonly Entry[];
      readonly leaderCommit: number;
      readonly probe: number;
    }
  | {
      readonly type: 'AppendEntriesReply';
      readonly term: number;
      readonly success: boolean;
      /** On success: the highest index known to match the leader and durable here. */
      readonly matchIndex: number;
      /** On failure: where the leader should try next (the first index of the conflicting term). */
      readonly conflictIndex: number;
      readonly probe: number;
    }
  | {
      readonly type: 'InstallSnapshot';
      readonly term: number;
      readonly snapshot: Snapshot;
      readonly probe: number;
    }
  | {
      readonly type: 'InstallSnapshotReply';
      readonly term: number;
      readonly matchIndex: number;
      readonly probe: number;
    };

/** One kind of message, e.g. `MessageOf<'AppendEntries'>`. */
export type MessageOf<T extends RaftMessage['type']> = Extract<RaftMessage, { readonly type: T }>;

/** What a Raft step emits, in order (DESIGN §3). */
export type RaftEffect = Effect<RaftMessage, KvOutput>;
