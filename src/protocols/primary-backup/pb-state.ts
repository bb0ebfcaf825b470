/**
 * A primary/backup node's state. The role is a discriminated union (DESIGN §3), so the
 * primary's replication bookkeeping does not exist on a backup or a candidate.
 *
 * Persistent state reaches the disk in two files: the epoch and vote in `meta` (meta.ts), the
 * log in `wal` (wal.ts). Everything else is volatile and rebuilt after a crash: the kv store is
 * replayed from the log as entries commit again.
 *
 * State is mutated in place and returned: the host owns it and drops it on a crash, so no one
 * else can observe the mutation.
 */
import type { KvOutput } from '../../core/history.js';
import type { NodeId } from '../../core/ids.js';
import type { Effect, NodeContext } from '../../core/protocol.js';
import type { Micros } from '../../core/time.js';
import type { ReplicatedKv } from '../../storage/lsm/replicated-kv.js';
import { KvStore } from '../shared/kv-store.js';
import { WalWriter } from '../shared/wal-writer.js';
import type { Entry, PbMessage } from './messages.js';

type PbRole =
  | { readonly kind: 'backup'; primary: NodeId | null }
  | { readonly kind: 'candidate'; readonly votes: Set<NodeId> }
  | {
      readonly kind: 'primary';
      readonly nextIndex: Map<NodeId, number>;
      readonly matchIndex: Map<NodeId, number>;
      /** Log index → client request waiting for it to commit. */
      readonly waiting: Map<number, number>;
      /** Log index → local time the primary appended it, for replication lag. */
      readonly appendedAt: Map<number, Micros>;
      /** Backups that confirmed going quiet since the last append (quiescence.ts). */
      readonly quiet: Set<NodeId>;
      /** Whether its heartbeat timer runs: false once the whole group is quiet. */
      heartbeating: boolean;
    };

export interface PbState {
  readonly id: NodeId;
  readonly peers: readonly NodeId[];
  ready: boolean;
  epoch: number;
  votedFor: NodeId | null;
  role: PbRole;
  log: Entry[];
  commitIndex: number;
  applied: number;
  kv: KvStore;
  /** `storage: lsm`: the kv store in the engine (lsm-storage.ts); `kv` is then unused. */
  store: ReplicatedKv | undefined;
  /** Highest index known durable on this node's disk. */
  durableIndex: number;
  /** Where WAL records go, which fsyncs are in flight, and where a failed fsync rewrites from. */
  wal: WalWriter;
  metaSeq: number;
  nextTag: number;
  /** Meta sync tag → vote reply to send once the vote is durable. */
  voteReplies: Map<number, { readonly to: NodeId; readonly epoch: number }>;
  /** Meta sync tag of a candidacy: RequestVote goes out once our own vote is durable. */
  candidacyTag: number;
  /** Highest index verified to match the current primary's log (backups). */
  verifiedIndex: number;
  lastHeardUs: Micros;
  /** Set after a restart until this node has caught up with a primary. */
  recovering: boolean;
  /** A backup that went quiet with its primary: no election timer until woken (quiescence.ts). */
  quiesced: boolean;
  /** The newest durable checkpoint and the one being written (checkpoint.ts). */
  checkpoint: CheckpointProgress;
}

/** This node's checkpoints (checkpoint.ts): the newest durable one, and the one being written. */
interface CheckpointProgress {
  seq: number;
  index: number;
  writing: { readonly seq: number; readonly index: number; readonly tag: number } | undefined;
}

/** What every handler emits. */
export type PbEffect = Effect<PbMessage, KvOutput>;

/** A node before it has read or written its disk: an empty log, a backup of no one. */
export function freshState(ctx: NodeContext): PbState {
  return {
    id: ctx.node,
    peers: ctx.peers,
    ready: false,
    epoch: 0,
    votedFor: null,
    role: { kind: 'backup', primary: null },
    log: [],
    commitIndex: 0,
    applied: 0,
    kv: new KvStore(),
    store: undefined,
    durableIndex: 0,
    // Primary/backup predates quiet writes: its WAL writes keep their completion events.
    wal: new WalWriter('wal', false),
    metaSeq: 0,
    nextTag: 1,
    voteReplies: new Map(),
    candidacyTag: -1,
    verifiedIndex: 0,
    lastHeardUs: ctx.now,
    recovering: false,
    quiesced: false,
    checkpoint: { seq: 0, index: 0, writing: undefined },
  };
}

export const lastIndex = (s: PbState): number => s.log.length;

export const lastEpoch = (s: PbState): number => s.log[s.log.length - 1]?.epoch ?? 0;

/** The epoch of the entry at `i` (1-based); 0 before the log, -1 past its end. */
export const epochAt = (s: PbState, i: number): number =>
  i === 0 ? 0 : (s.log[i - 1]?.epoch ?? -1);
