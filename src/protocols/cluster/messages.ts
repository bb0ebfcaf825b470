/**
 * What cluster nodes say to each other: an inner node's message in its envelope (the managers'
 * Raft traffic, a shard group's primary/backup traffic), and the storage nodes' conversation
 * with the manager: `MapRequest` (the storage node's heartbeat, naming the map version it
 * holds), answered by the leader (with its map when it is newer than the asker's), or `NotLeader` naming
 * the manager it believes leads; and state transfer between the members of a shard's new epoch.
 */
import type { NodeId } from '../../core/ids.js';
import type { Effect } from '../../core/protocol.js';
import type { KvOutput } from '../../core/history.js';
import type { SubEnvelope } from '../../components/sub-node/embedded-node.js';
import type { LogPosition } from '../primary-backup/index.js';
import type { ShardMap } from './shard-map.js';

export type ClusterMessage =
  | SubEnvelope
  /**
   * A storage node's heartbeat: its map version and the groups it runs (their namespaces);
   * under `balance: load`, also the load it served, and under `sharding: range`, the size of
   * each range whose group it leads.
   */
  | {
      readonly type: 'MapRequest';
      readonly version: number;
      readonly running: readonly string[];
      /** Under `balance: load`: requests per second this node served, by shard (load-meter.ts). */
      readonly load?: readonly (readonly [number, number])[];
      /** Under `sharding: range`: its ranges' sizes (range-split.ts). */
      readonly sizes?: readonly RangeSize[];
    }
  /** The leader's answer: its map when newer than the asker's, nothing new otherwise. */
  | { readonly type: 'MapReply'; readonly map: ShardMap | undefined }
  /** Under `quiesce`: one storage node's heartbeat to another, naming its boot (peer-liveness.ts). */
  | { readonly type: 'PeerHeartbeat'; readonly boot: number }
  | { readonly type: 'NotLeader'; readonly leader: NodeId | undefined }
  /**
   * A new member of group `ns` asks for the files to start it from (transfer.ts); a former
   * standby catching up names the last entry its own files hold (standby.ts).
   */
  | { readonly type: 'TransferRequest'; readonly ns: string; readonly after?: LogPosition }
  /** The frozen files of an older epoch's group, to start group `ns` from. */
  | { readonly type: 'Transfer'; readonly ns: string; readonly files: readonly TransferFile[] }
  /** One chunk of a transfer under a bandwidth limit (paced-transfer.ts). */
  | TransferChunkMsg;

/** One chunk of a transfer under a bandwidth limit (paced-transfer.ts). */
export interface TransferChunkMsg {
  readonly type: 'TransferChunk';
  readonly ns: string;
  /** Names the transfer's content (its source and size): chunks of equal streams mix. */
  readonly stream: string;
  readonly index: number;
  readonly count: number;
  readonly pieces: readonly FilePiece[];
}

/** A piece of one file: `data` goes at `offset` of a file `size` bytes long. */
interface FilePiece {
  readonly name: string;
  readonly offset: number;
  readonly size: number;
  readonly data: Uint8Array;
}

export type MapRequest = Extract<ClusterMessage, { readonly type: 'MapRequest' }>;

/** A primary's report of its range's data, by shard and configuration epoch (range-split.ts). */
export interface RangeSize {
  readonly shard: number;
  readonly epoch: number;
  readonly bytes: number;
  readonly keys: number;
  /** The median key, when the range holds two keys or more. */
  readonly splitKey?: string;
}

export interface TransferFile {
  readonly name: string;
  readonly data: Uint8Array;
}

export type ClusterEffect = Effect<ClusterMessage, KvOutput>;

export const isEnvelope = (m: ClusterMessage): m is SubEnvelope => 'sub' in m;
