/**
 * A lock-service node's state, one role per node for the whole run (a discriminated union, so a
 * client has no lease table and the server no store):
 *
 * - server: each lock's current lease (owner, fencing token, expiry on the server's own clock;
 *   an expired lease is dead whether or not it was deleted, as Redis expires keys lazily), the
 *   next fencing token (durable: its grants are logged before they are answered), and, after a
 *   restart, the time before which it grants nothing (it forgot its leases; see lock-server.ts).
 * - store: the value of each key, the highest fencing token it took for each key, and every
 *   write it judged, in order (the audit; durable).
 * - replica (`server: raft`): a Raft node whose state machine holds the leases (lock-machine.ts),
 *   and the lock clients' requests it handed to Raft, by Raft request id, to answer them.
 * - client: the leases it believes it holds, each valid until a time on its own clock, and the
 *   requests it is serving (an answer from the server or the store names one).
 */
import type { NodeId } from '../../core/ids.js';
import type { StoreEntry } from '../../core/lock-ops.js';
import type { Micros } from '../../core/time.js';
import type { RaftState } from '../raft/index.js';
import { DurableLog } from '../shared/durable-log.js';

/** What a server fsync releases: a grant to answer. */
export interface PendingGrant {
  readonly lock: string;
  readonly to: string;
  readonly rid: number;
  readonly token: number;
  readonly ttlUs: Micros;
}

/** What a store fsync releases: a verdict to answer. */
export interface PendingVerdict {
  readonly to: string;
  readonly rid: number;
  readonly accepted: boolean;
  readonly highest: number;
}

export interface Lease {
  readonly owner: string;
  readonly token: number;
  expiresUs: Micros;
  /** Its token is in the log: only then may anyone hear of it. */
  durable: boolean;
}

export interface ServerState {
  readonly role: 'server';
  readonly log: DurableLog<PendingGrant>;
  readonly leases: Map<string, Lease>;
  nextToken: number;
  /** Restarted: no grant before this time (server clock). 0 on first boot. */
  quietUntilUs: Micros;
}

export interface StoreState {
  readonly role: 'store';
  readonly log: DurableLog<PendingVerdict>;
  readonly values: Map<string, string>;
  readonly highest: Map<string, number>;
  readonly entries: StoreEntry[];
}

/** A lock client's request a replica handed to Raft: whom to answer, and what it asked. */
interface Call {
  readonly to: NodeId;
  readonly rid: number;
}

export interface ReplicaState {
  readonly role: 'replica';
  raft: RaftState;
  /** Raft request id → the lock client's request it serves. */
  readonly calls: Map<number, Call>;
  nextCall: number;
}

/** A lease as its holder sees it: valid until `validUntilUs` on the holder's own clock. */
interface HeldLease {
  readonly lock: string;
  token: number;
  validUntilUs: Micros;
}

/** A client request waiting for an answer from the server or the store, or for its work. */
export type Serving =
  | {
      readonly kind: 'acquire' | 'renew';
      readonly lock: string;
      readonly owner: string;
      /** When it asked, on its own clock: the lease runs from here, not from the answer. */
      readonly sentUs: Micros;
      readonly ttlUs: Micros;
      /** `server: raft`: sends so far (retries go to the next replica). */
      tries: number;
    }
  | {
      readonly kind: 'release';
      readonly lock: string;
      readonly owner: string;
      tries: number;
    }
  | {
      readonly kind: 'write';
      readonly lock: string;
      readonly owner: string;
      readonly token: number;
      readonly value: string;
    };

export interface ClientState {
  readonly role: 'client';
  /** The lock server, or with `server: raft` the replica it believes leads. */
  leader: NodeId;
  readonly held: Map<string, HeldLease>;
  readonly serving: Map<number, Serving>;
}

export type LockState = ServerState | ReplicaState | StoreState | ClientState;

/** The coverage mark a failed fsync of a server's or a store's log emits. */
const FSYNC_FAILED = 'lock.fsync-failed';

export const freshServer = (): ServerState => ({
  role: 'server',
  log: new DurableLog(FSYNC_FAILED, 'log'),
  leases: new Map(),
  nextToken: 1,
  quietUntilUs: 0,
});

export const freshStore = (): StoreState => ({
  role: 'store',
  log: new DurableLog(FSYNC_FAILED, 'log'),
  values: new Map(),
  highest: new Map(),
  entries: [],
});

export const freshReplica = (raft: RaftState): ReplicaState => ({
  role: 'replica',
  raft,
  calls: new Map(),
  nextCall: 1,
});

export const freshClient = (leader: NodeId): ClientState => ({
  role: 'client',
  leader,
  held: new Map(),
  serving: new Map(),
});
