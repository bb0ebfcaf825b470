/**
 * A Multi-Paxos node's state. Every node plays the three roles of Paxos Made Simple (§2.1, §3):
 *
 * - acceptor: one `promised` ballot for every slot at once (a Prepare covers all open slots),
 *   and per slot the proposal it `accepted`. Both reach the disk before the node answers
 *   (§2.4; Paxos Made Live §5), in the `wal` file (wal.ts).
 * - learner: the `chosen` slots, applied to the state machine in slot order up to `applied`;
 *   slots up to the `snapshot` are folded into it and forgotten.
 * - proposer: the role, a discriminated union, so a leader's proposals exist only on a leader.
 *
 * The round counter behind this node's ballots is durable too (paxos/ballot.ts). Everything
 * else is volatile: chosen slots are learned again from the leader after a crash.
 */
import type { NodeId } from '../../core/ids.js';
import type { Micros } from '../../core/time.js';
import { WalWriter } from '../shared/wal-writer.js';
import type { Command, MultiPaxosMessage, Snapshot } from './messages.js';
import { SessionKv } from './session-kv.js';

/** An acceptance: the ballot and the command accepted for a slot. */
interface Acceptance {
  readonly ballot: number;
  readonly command: Command;
}

/** A command the leader proposed for a slot, and the acceptors that accepted it. */
interface Proposal {
  readonly command: Command;
  readonly accepts: Set<NodeId>;
}

/** A read waiting at the leader for its round (quorum) or its lease, and its slot applied. */
interface PendingRead {
  readonly requestId: number;
  readonly key: string;
  /** The last slot proposed when the read arrived: it is answered once that is applied. */
  readonly slot: number;
  /** The heartbeat round a majority must answer before the read is answered. */
  readonly probe: number;
}

type Role =
  | { readonly kind: 'follower' }
  /** Waiting for the round behind `ballot` to be durable, then phase 1. */
  | {
      readonly kind: 'candidate';
      readonly ballot: number;
      prepared: boolean;
      readonly promises: Map<NodeId, Extract<MultiPaxosMessage, { type: 'Promise' }>>;
    }
  | {
      readonly kind: 'leader';
      readonly ballot: number;
      readonly since: Micros;
      /** The next slot to propose a command in. */
      nextSlot: number;
      /** The last slot phase 1 found open: reads wait until it is applied. */
      readonly barrier: number;
      readonly proposals: Map<number, Proposal>;
      /** Slot → the client request waiting for it to be applied. */
      readonly waiting: Map<number, number>;
      /** Slot → local time it was proposed, for the replication-lag measure. */
      readonly proposedAt: Map<number, Micros>;
      readonly reads: PendingRead[];
      probe: number;
      /** Heartbeat round → the local time it was sent (lease reads count from it). */
      readonly probeSentUs: Map<number, Micros>;
      /** The highest round each follower answered, and when it last answered anything. */
      readonly probeAcked: Map<NodeId, number>;
      readonly lastAckUs: Map<NodeId, Micros>;
      /** Lease reads are served until this local time. */
      leaseUntilUs: Micros;
    };

export type Leader = Extract<Role, { readonly kind: 'leader' }>;
export type Candidate = Extract<Role, { readonly kind: 'candidate' }>;

/** What one WAL write holds back until its fsync completes (persist before replying). */
export interface Held {
  readonly sends: { readonly to: NodeId; readonly msg: MultiPaxosMessage }[];
  /** The round reservation it records (0: none). */
  round: number;
}

/** A WAL rewrite in progress: `wal.next` = the whole acceptor state and the snapshot. */
interface Compaction {
  readonly syncTag: number;
  /** The directory fsync after the rename; undefined until the new file is durable. */
  dirTag: number | undefined;
  readonly endBytes: number;
  readonly endCrc: number;
  /** Everything held back when it started: it makes all of it durable. */
  readonly held: Held;
  readonly snapshot: Snapshot | undefined;
}

export type WalRecord =
  | readonly ['p', number]
  | readonly ['b', number]
  | readonly ['a', number, number, Command]
  | readonly ['s', Snapshot];

export interface MultiPaxosState {
  readonly id: NodeId;
  /** This node's place among the nodes (ballot order). */
  readonly place: number;
  ready: boolean;
  role: Role;
  /** The leader this node last heard from (a redirect's hint), and when, on its own clock. */
  leader: NodeId | null;
  /** Until this local time the acceptor promises nobody but `leaseHolder` (the lease). */
  leaseUntilUs: Micros;
  leaseHolder: NodeId | null;
  /** The highest ballot a leader's Accept or Commit carried: a lower leader has lost. */
  heardBallot: number;

  // Acceptor.
  promised: number;
  readonly accepted: Map<number, Acceptance>;

  // Learner.
  readonly chosen: Map<number, Command>;
  applied: number;
  sm: SessionKv;
  snapshot: Snapshot | undefined;
  /** Restarted and not yet caught up with a leader. */
  recovering: boolean;
  /** Ghost data for the observer: the slots learned in this step. Cleared at each step's start. */
  readonly learned: [number, Command][];
  /** Ghost data for the observer's validity check: the last command a client asked for here. */
  lastRequested: string | null;

  // Proposer.
  round: number;
  roundWritten: number;
  roundDurable: number;

  // Storage.
  wal: WalWriter;
  /** Records this step changed, written at its end; replies that wait for them. */
  outRecords: WalRecord[];
  out: Held;
  /** WAL sync tag → what waits for it. */
  readonly held: Map<number, Held>;
  compaction: Compaction | undefined;
  nextTag: number;
}

export function freshState(id: NodeId, place: number): MultiPaxosState {
  return {
    id,
    place,
    ready: false,
    role: { kind: 'follower' },
    leader: null,
    leaseUntilUs: 0,
    leaseHolder: null,
    heardBallot: 0,
    promised: 0,
    accepted: new Map(),
    chosen: new Map(),
    applied: 0,
    sm: new SessionKv(),
    snapshot: undefined,
    recovering: false,
    learned: [],
    lastRequested: null,
    round: 0,
    roundWritten: 0,
    roundDurable: 0,
    wal: new WalWriter('wal'),
    outRecords: [],
    out: emptyHeld(),
    held: new Map(),
    compaction: undefined,
    nextTag: 1,
  };
}

export const emptyHeld = (): Held => ({ sends: [], round: 0 });
