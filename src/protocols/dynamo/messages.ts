/**
 * The dynamo protocol's messages, in the Dynamo paper's terms. A coordinator ships a key's
 * versions to the replicas of its preference list (`Replicate`), each answers once they are
 * durable (`Replicated`); a fallback standing in for a home node under a sloppy quorum gets the
 * same message with a `hint` naming that home node. A get asks each replica for its versions
 * (`Read`, answered by `ReadReply`). Hinted handoff delivers a hint to its home node (`Handoff`,
 * answered by `HandedOff`), and read repair ships the resolved versions back to a replica that
 * answered a get with less (`Repair`, not answered). A delete's coordinator tells the home
 * nodes to collect a tombstone they all hold (`Reap`, not answered).
 *
 * Messages are immutable objects: a duplicated message is the same object delivered twice.
 * Every message carries its sender's hybrid logical clock, which the receiver lifts its own past.
 */
import type { NodeId } from '../../core/ids.js';
import type { Hlc } from '../../components/clocks/hybrid-logical-clock.js';
import type { VectorClock } from '../../components/clocks/vector-clock.js';
import type { Versions } from './versions.js';

interface Stamped {
  readonly hlc: Hlc;
}

export interface ReplicateMessage extends Stamped {
  readonly type: 'Replicate';
  /** The write's request id at its coordinator: the ack names it. */
  readonly rid: number;
  readonly key: string;
  readonly versions: Versions;
  /** Under a sloppy quorum: the home node this fallback keeps the versions for. */
  readonly hint?: NodeId;
}

interface ReplicatedMessage extends Stamped {
  readonly type: 'Replicated';
  readonly rid: number;
}

export interface ReadMessage extends Stamped {
  readonly type: 'Read';
  readonly rid: number;
  readonly key: string;
}

interface ReadReplyMessage extends Stamped {
  readonly type: 'ReadReply';
  readonly rid: number;
  readonly key: string;
  readonly versions: Versions;
}

export interface HandoffMessage extends Stamped {
  readonly type: 'Handoff';
  readonly key: string;
  readonly versions: Versions;
}

export interface HandedOffMessage extends Stamped {
  readonly type: 'HandedOff';
  readonly key: string;
  /** The versions delivered: the fallback drops its hint only if it still holds exactly these. */
  readonly versions: Versions;
}

export interface RepairMessage extends Stamped {
  readonly type: 'Repair';
  readonly key: string;
  readonly versions: Versions;
}

/** A delete's coordinator: every home node holds the tombstone, so collect it (tombstones.ts). */
export interface ReapMessage extends Stamped {
  readonly type: 'Reap';
  readonly key: string;
  /** The tombstone's clock: its context and its dot. */
  readonly clock: VectorClock;
}

/**
 * A key's versions, as one entry of a diff or sync, and its floor when a tombstone of it was
 * collected: a home node the `Reap` missed learns the floor here, and drops what it covers.
 */
export type KeyVersions =
  | readonly [string, Versions]
  | readonly [string, Versions, readonly (readonly [string, number])[]];

interface MerkleTreeMessage extends Stamped {
  readonly type: 'MerkleTree';
  readonly root: number;
  readonly leaves: readonly number[];
}

interface MerkleDiffMessage extends Stamped {
  readonly type: 'MerkleDiff';
  readonly buckets: readonly number[];
  readonly entries: readonly KeyVersions[];
}

interface MerkleSyncMessage extends Stamped {
  readonly type: 'MerkleSync';
  readonly entries: readonly KeyVersions[];
}

export type DynamoMessage =
  | ReplicateMessage
  | ReplicatedMessage
  | ReadMessage
  | ReadReplyMessage
  | HandoffMessage
  | HandedOffMessage
  | RepairMessage
  | ReapMessage
  | MerkleTreeMessage
  | MerkleDiffMessage
  | MerkleSyncMessage;
