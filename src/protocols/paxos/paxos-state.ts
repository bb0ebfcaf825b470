/**
 * A Paxos node's state. Every node plays all three roles of Paxos Made Simple (§2.1):
 *
 * - acceptor: per key, the register's `promised` ballot, the highest proposal it `accepted` for
 *   the instance in progress, and the last `committed` value it learned (§2.3). All three reach
 *   the disk before the node answers anyone (§2.4: "an acceptor must remember this information
 *   even if it fails and then restarts").
 * - proposer: one `Attempt` per client request it is serving, each with its current ballot and
 *   the phase it is in (the phase as a discriminated union, so promises exist only in phase 1).
 * - learner: the `committed` value is what the node learned.
 *
 * The round counter behind this node's ballots is durable too (ballot.ts). The rest is volatile
 * and lost in a crash: a client waiting on a lost attempt times out with an unknown outcome.
 */
import type { NodeId } from '../../core/ids.js';
import type { Micros } from '../../core/time.js';
import { WalWriter } from '../shared/wal-writer.js';
import type { CasOp, Committed, MessageOf, PaxosMessage, Proposal } from './messages.js';

/** One key's acceptor and learner state. */
export interface Register {
  promised: number;
  accepted: Proposal | null;
  committed: Committed;
}

type Phase =
  /** Waiting for the round counter behind `ballot` to be durable. */
  | { readonly kind: 'ballot' }
  /** Phase 1: Prepare sent, collecting promises. */
  | { readonly kind: 'prepare'; readonly promises: Map<NodeId, MessageOf<'Promise'>> }
  /** Phase 2: Accept sent, collecting acceptances; `finishing` when it re-proposes another's. */
  | {
      readonly kind: 'accept';
      readonly proposal: Proposal;
      readonly finishing: boolean;
      readonly accepts: Set<NodeId>;
      readonly nacks: Set<NodeId>;
    }
  /** Lost a ballot: waiting a random while before trying a higher one. */
  | { readonly kind: 'backoff' };

/** A proposer serving one client request. */
export interface Attempt {
  readonly requestId: number;
  readonly op: CasOp;
  ballot: number;
  phase: Phase;
  /** Ballots tried so far. */
  tries: number;
  /** An Accept with this request's own value went out: giving up is then an unknown outcome. */
  proposedOwn: boolean;
  /** No new ballot after this time (the node's clock): the request gives up. */
  readonly deadlineUs: Micros;
}

/** What one WAL write holds back until its fsync completes (persist before replying). */
export interface HeldForSync {
  /** Keys whose register the write records (written again if the fsync fails). */
  readonly keys: Set<string>;
  /** The round counter it records (0: none). */
  round: number;
  /** Acceptor replies that may leave only once the write is durable. */
  readonly sends: { readonly to: NodeId; readonly msg: PaxosMessage }[];
  /** Attempts (by request id) whose Prepare waits for the round counter. */
  readonly prepares: number[];
}

export interface PaxosState {
  readonly id: NodeId;
  /** This node's place among the nodes (ballot.ts). */
  readonly place: number;
  ready: boolean;
  readonly registers: Map<string, Register>;
  /** The highest round this node used or saw (its next ballot's round is one more). */
  round: number;
  /** The end of the block of rounds reserved in the WAL as last written, and as made durable. */
  roundWritten: number;
  roundDurable: number;
  /** Attempts by client request id, and by their current ballot. */
  readonly attempts: Map<number, Attempt>;
  readonly byBallot: Map<number, Attempt>;
  wal: WalWriter;
  /** WAL sync tag → what waits for it. */
  readonly held: Map<number, HeldForSync>;
  /** What this step changed and holds back, written at its end (wal.ts `flushWal`). */
  out: HeldForSync;
  /** Keys whose register learned a value not yet written: they ride along with the next write. */
  readonly lazy: Set<string>;
  nextTag: number;
  /** Ghost data for the observer's validity check: the last value a client asked to write here. */
  lastRequested: number | null;
}

export function freshState(id: NodeId, place: number): PaxosState {
  return {
    id,
    place,
    ready: false,
    registers: new Map(),
    round: 0,
    roundWritten: 0,
    roundDurable: 0,
    attempts: new Map(),
    byBallot: new Map(),
    wal: new WalWriter('wal'),
    held: new Map(),
    out: emptyHold(),
    lazy: new Set(),
    nextTag: 1,
    lastRequested: null,
  };
}

/** A key's register, created empty (nothing promised, nothing accepted, instance 0: null). */
export function registerOf(s: PaxosState, key: string): Register {
  let r = s.registers.get(key);
  if (r === undefined) {
    r = { promised: 0, accepted: null, committed: { instance: 0, value: null } };
    s.registers.set(key, r);
  }
  return r;
}

export const emptyHold = (): HeldForSync => ({
  keys: new Set(),
  round: 0,
  sends: [],
  prepares: [],
});
