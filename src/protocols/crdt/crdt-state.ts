/**
 * A crdt replica's state. Two copies of the data type's state live here: `replica`, which holds
 * this node's own updates once durable and everything merged from peers — it is what reads see
 * and what gossip ships — and `working`, which also holds the updates still waiting for their
 * fsync, so that the next update is applied on top of them (its delta must see theirs). An
 * update reaches `replica`, the delta buffer and the client's reply together, when its WAL record
 * is durable: a dot never leaves the node before a crash can no longer take it back.
 *
 * Beside the data type's state the node keeps its own bookkeeping of which updates it has
 * applied (`applied`, a version vector over update dots), which is what the convergence checker
 * holds the state to (core/replica-set.ts).
 *
 * State is mutated in place and returned: the host owns it and drops it on a crash.
 */
import type { ClientId, NodeId } from '../../core/ids.js';
import type { Effect, NodeContext } from '../../core/protocol.js';
import { HLC_ZERO, type Hlc } from '../../components/clocks/hybrid-logical-clock.js';
import { VectorClock } from '../../components/clocks/vector-clock.js';
import { WalWriter } from '../shared/wal-writer.js';
import type { CrdtConfig } from './crdt-config.js';
import { DeltaBuffer } from './delta-buffer.js';
import type { CrdtMessage } from './messages.js';
import type { WalRecord } from './wal-record.js';

/** An update this node took from a client: what the convergence checker's spec needs of it. */
export interface TakenUpdate {
  /** Its dot is (this node, counter). */
  readonly counter: number;
  readonly opId: number;
  readonly client: ClientId;
  /** The data type's operation. */
  readonly op: unknown;
  /** Every update applied here when it was taken, itself included. */
  readonly seen: VectorClock;
  /** For LWW: the hybrid logical clock reading it was stamped with. */
  readonly timestamp?: Hlc;
}

/** An update applied to `working` whose WAL record is not durable yet. */
interface PendingUpdate {
  readonly requestId: number;
  readonly update: TakenUpdate;
  readonly delta: unknown;
  /** Already answered (only with the named bug `crdt.ack-before-fsync`). */
  replied: boolean;
}

/** One WAL write not yet known durable: rewritten from here if its fsync fails. */
interface UnsyncedWrite {
  readonly records: readonly WalRecord[];
  readonly endBytes: number;
}

export interface CrdtState {
  readonly id: NodeId;
  readonly peers: readonly NodeId[];
  /** This life's number: durable before the node sends or answers anything. */
  boot: number;
  /** The boot record is durable (and, on a first boot, the WAL's name too). */
  ready: boolean;
  dirSynced: boolean;
  replica: unknown;
  applied: VectorClock;
  working: unknown;
  workingApplied: VectorClock;
  /** This node's durable updates, in counter order. */
  readonly taken: TakenUpdate[];
  /** Updates taken here so far, durable or not: the next one's counter is one more. */
  counter: number;
  readonly pending: PendingUpdate[];
  hlc: Hlc;
  readonly buffer: DeltaBuffer;
  /** The newest boot heard from each peer. */
  readonly peerBoot: Map<NodeId, number>;
  /** What this life has merged of each peer's buffer: the peer's boot and its newest position. */
  readonly received: Map<NodeId, { readonly boot: number; readonly upTo: number }>;
  readonly wal: WalWriter;
  readonly unsynced: UnsyncedWrite[];
  nextTag: number;
}

export type CrdtEffect = Effect<CrdtMessage, unknown>;

/** A node before it has read its disk: an empty replica. */
export function freshState(cfg: CrdtConfig, ctx: NodeContext): CrdtState {
  const empty = cfg.type.empty();
  return {
    id: ctx.node,
    peers: ctx.peers,
    boot: 0,
    ready: false,
    dirSynced: true,
    replica: empty,
    applied: VectorClock.EMPTY,
    working: empty,
    workingApplied: VectorClock.EMPTY,
    taken: [],
    counter: 0,
    pending: [],
    hlc: HLC_ZERO,
    buffer: new DeltaBuffer((a, b) => cfg.type.merge(a, b), cfg.bufferMax),
    peerBoot: new Map(),
    received: new Map(),
    wal: new WalWriter('wal'),
    unsynced: [],
    nextTag: 1,
  };
}
