/**
 * Primary/backup wire messages. `Replicate` is both log shipping and the primary's heartbeat
 * (Viewstamped Replication's Prepare with its commit number piggybacked); elections use
 * `RequestVote`/`Vote` with the candidate's last log position, as in VR's view change and Raft.
 */
import type { KvCommand } from '../shared/kv-store.js';

export interface Entry {
  readonly epoch: number;
  readonly index: number;
  readonly cmd: KvCommand;
}

export type PbMessage =
  | {
      readonly type: 'Replicate';
      readonly epoch: number;
      readonly prevIndex: number;
      readonly prevEpoch: number;
      readonly entries: readonly Entry[];
      readonly commitIndex: number;
      /** The group is idle: a backup as far as the primary may go quiet (quiescence.ts). */
      readonly quiesce?: true;
    }
  | {
      readonly type: 'ReplicateOk';
      readonly epoch: number;
      readonly matchIndex: number;
      /** This backup went quiet on the primary's `quiesce`. */
      readonly quiesced?: true;
    }
  | { readonly type: 'ReplicateNack'; readonly epoch: number; readonly hintIndex: number }
  | {
      readonly type: 'RequestVote';
      readonly epoch: number;
      readonly lastEpoch: number;
      readonly lastIndex: number;
    }
  | { readonly type: 'Vote'; readonly epoch: number; readonly granted: boolean };

/** The message of one type, e.g. `PbMessageOf<'Replicate'>`. */
export type PbMessageOf<T extends PbMessage['type']> = Extract<PbMessage, { readonly type: T }>;
