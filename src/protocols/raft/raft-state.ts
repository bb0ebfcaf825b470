/**
 * A Raft node's state (extended paper, Figure 2), with the role as a discriminated union so
 * leader-only fields do not exist on a follower, and the storage bookkeeping that ties memory to
 * the simulated disk.
 *
 * Persistent state (`term`, `votedFor`, the log) reaches the disk in two files: `meta` (term and
 * vote, two alternating slots) and `wal` (chained records: entries, truncation markers, and at
 * the head of a compacted file the snapshot it starts from). Everything else is volatile and is
 * rebuilt after a crash.
 */
import type { NodeId } from '../../core/ids.js';
import type { Micros } from '../../core/time.js';
import type { ReplicatedKv } from '../../storage/lsm/replicated-kv.js';
import { WalWriter } from '../shared/wal-writer.js';
import type { RaftMessage, Snapshot } from './messages.js';
import { RaftLog } from './raft-log.js';
import type { StateMachine } from './session-kv.js';

/** A linearizable read waiting on ReadIndex (thesis §6.4). */
export interface PendingRead {
  readonly requestId: number;
  readonly key: string;
  /** The commitIndex when the read was admitted; -1 until the leader has committed in its term. */
  readIndex: number;
  /** The heartbeat round that must reach a majority before the read is answered. */
  probe: number;
}

type Role =
  | { readonly kind: 'follower'; leader: NodeId | null }
  | { readonly kind: 'precandidate'; readonly grants: Set<NodeId> }
  | { readonly kind: 'candidate'; readonly votes: Set<NodeId> }
  | {
      readonly kind: 'leader';
      readonly since: Micros;
      readonly nextIndex: Map<NodeId, number>;
      readonly matchIndex: Map<NodeId, number>;
      /** When each follower last answered (check-quorum). */
      readonly lastAckUs: Map<NodeId, Micros>;
      /** The highest heartbeat round each follower answered (ReadIndex). */
      readonly probeAcked: Map<NodeId, number>;
      probe: number;
      /** Index of this term's no-op: reads wait until it commits (§6.4 step 1). */
      readonly noopIndex: number;
      /** Log index → client request waiting for it to be applied. */
      readonly waiting: Map<number, number>;
      readonly reads: PendingRead[];
      /** Log index → local time it was appended, for the replication-lag metric. */
      readonly appendedAt: Map<number, Micros>;
    };

export type Leader = Extract<Role, { readonly kind: 'leader' }>;
export type Candidate = Extract<Role, { readonly kind: 'candidate' }>;

/** A log rewrite in progress: `wal.next` holds the snapshot and the entries after it. */
export interface Compaction {
  readonly snapshot: Snapshot;
  /** The last index the new file holds. */
  readonly covered: number;
  /** Lowest index truncated while the rewrite was in flight (Infinity when none). */
  truncMin: number;
  readonly endBytes: number;
  readonly endCrc: number;
  readonly syncTag: number;
  dirTag: number;
  /** For InstallSnapshot: whom to answer once the snapshot is durable. */
  readonly replyTo?: { readonly to: NodeId; readonly term: number };
}

export interface RaftState {
  readonly id: NodeId;
  readonly peers: readonly NodeId[];
  ready: boolean;
  term: number;
  votedFor: NodeId | null;
  role: Role;
  log: RaftLog;
  commitIndex: number;
  lastApplied: number;
  sm: StateMachine;
  /** `storage: lsm`: the state machine in the engine (lsm-storage.ts); `sm` is then unused. */
  store: ReplicatedKv | undefined;
  /** `storage: lsm`: an installed snapshot whose batch must be durable before the log rewrite. */
  pendingInstall:
    | {
        readonly snapshot: Snapshot;
        readonly replyTo: { readonly to: NodeId; readonly term: number };
        readonly seq: number;
      }
    | undefined;
  /** The latest snapshot this node holds (sent to followers that fell behind it). */
  snapshot: Snapshot | undefined;
  /** Follower: the prefix verified to match the current leader's log. */
  verifiedIndex: number;
  /** Follower: the highest heartbeat round of the current leader seen, echoed in replies. */
  leaderProbe: number;
  lastHeardUs: Micros;
  /** Set after a restart until the node has caught up with a leader. */
  recovering: boolean;

  // Storage.
  wal: WalWriter;
  /** Last index whose record was written to the WAL (in the file's current contents). */
  writtenIndex: number;
  /** Lowest index whose record must be (re)written; Infinity when the WAL is up to date. */
  walDirtyFrom: number;
  /** The next write must start with a truncation marker at `walDirtyFrom`. */
  walNeedsTrunc: boolean;
  /** Highest index known durable on this node's disk. */
  durableIndex: number;
  compaction: Compaction | undefined;
  metaSeq: number;
  metaDurableSeq: number;
  /** Meta sync tag → the seq it makes durable. */
  metaSyncs: Map<number, number>;
  /** Messages held until term and vote are durable (Figure 2: persist before responding). */
  outbox: { readonly to: NodeId; readonly msg: RaftMessage }[];
  nextTag: number;
}

export function freshState(
  id: NodeId,
  peers: readonly NodeId[],
  now: Micros,
  sm: StateMachine,
): RaftState {
  return {
    id,
    peers,
    ready: false,
    term: 0,
    votedFor: null,
    role: { kind: 'follower', leader: null },
    log: new RaftLog(),
    commitIndex: 0,
    lastApplied: 0,
    sm,
    store: undefined,
    pendingInstall: undefined,
    snapshot: undefined,
    verifiedIndex: 0,
    leaderProbe: 0,
    lastHeardUs: now,
    recovering: false,
    wal: new WalWriter('wal'),
    writtenIndex: 0,
    walDirtyFrom: Number.POSITIVE_INFINITY,
    walNeedsTrunc: false,
    durableIndex: 0,
    compaction: undefined,
    metaSeq: 0,
    metaDurableSeq: 0,
    metaSyncs: new Map(),
    outbox: [],
    nextTag: 1,
  };
}
