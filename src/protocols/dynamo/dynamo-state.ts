/**
 * A dynamo node's state. `store` holds the versions of each key this node keeps that are durable
 * (what it answers reads with and ships); `working` also holds those still waiting for their
 * fsync, so the next write to a key builds on them. `hints` and `workingHints` are the same for
 * the versions it keeps on behalf of an unreachable home node under a sloppy quorum, until
 * hinted handoff delivers them. `floors` keeps, per key, the clock of
 * a collected tombstone. `puts` and `gets` are the requests it coordinates.
 *
 * State is mutated in place and returned: the host owns it and drops it on a crash.
 */
import type { NodeId } from '../../core/ids.js';
import type { Effect, NodeContext } from '../../core/protocol.js';
import { HLC_ZERO, type Hlc } from '../../components/clocks/hybrid-logical-clock.js';
import type { VectorClock } from '../../components/clocks/vector-clock.js';
import { WalWriter } from '../shared/wal-writer.js';
import type { DynamoMessage } from './messages.js';
import type { Version, Versions } from './versions.js';
import type { WalRecord } from './wal-record.js';

/**
 * A client's put, its delete (a write of a tombstone), or, under `resolution: crdt`, its update
 * of the key's CRDT state (`op`, the type's operation), as the coordinator takes it.
 */
export type WriteInput =
  | { readonly f: 'update'; readonly key: string; readonly op: unknown }
  | {
      readonly f: 'put';
      readonly key: string;
      readonly value: string;
      readonly context: readonly string[];
    }
  | { readonly f: 'delete'; readonly key: string; readonly context: readonly string[] };

/** What a WAL write lets the node do once it is durable. */
export type AfterSync =
  | { readonly a: 'coordinate'; readonly rid: number }
  | { readonly a: 'ack'; readonly to: NodeId; readonly rid: number }
  | {
      readonly a: 'handed-off';
      readonly to: NodeId;
      readonly key: string;
      readonly versions: Versions;
    };

/** One WAL write not yet known durable: applied to `store` and acted on once it is. */
interface UnsyncedWrite {
  readonly seq: number;
  readonly records: readonly WalRecord[];
  readonly after: readonly AfterSync[];
  readonly endBytes: number;
}

/** A put this node coordinates (Dynamo §4.5: the write's state machine). */
export interface PendingPut {
  readonly rid: number;
  readonly requestId: number;
  /** The client's operation number: the history's id of the put. */
  readonly seq: number;
  readonly key: string;
  readonly version: Version;
  /** The versions shipped to the replicas: the coordinator's own, with the write in them. */
  versions: Versions;
  /** Replicas (home or fallback) that have the write durably. */
  readonly acks: Set<NodeId>;
  /** Fallbacks already asked to stand in for a home node. */
  readonly fallbacks: Set<NodeId>;
  replied: boolean;
}

/** A get this node coordinates. */
export interface PendingGet {
  readonly rid: number;
  readonly requestId: number;
  readonly seq: number;
  readonly key: string;
  readonly replies: Map<NodeId, Versions>;
  readonly asked: Set<NodeId>;
  replied: boolean;
  /** The resolved versions the client got: what read repair ships. */
  resolved: Versions | undefined;
  /** A write waiting for this read of the key's timestamps (LWW by HLC), not a client's get. */
  readonly then: WriteInput | undefined;
}

export interface DynamoState {
  readonly id: NodeId;
  ready: boolean;
  readonly store: Map<string, Versions>;
  readonly working: Map<string, Versions>;
  readonly hints: Map<NodeId, Map<string, Versions>>;
  readonly workingHints: Map<NodeId, Map<string, Versions>>;
  /** Per key, the clock of a collected tombstone: versions it covers are gone for good. */
  readonly floors: Map<string, VectorClock>;
  hlc: Hlc;
  readonly wal: WalWriter;
  readonly unsynced: UnsyncedWrite[];
  nextSeq: number;
  nextTag: number;
  readonly puts: Map<number, PendingPut>;
  readonly gets: Map<number, PendingGet>;
}

export type DynamoEffect = Effect<DynamoMessage, unknown>;

export function freshState(ctx: NodeContext): DynamoState {
  return {
    id: ctx.node,
    ready: false,
    store: new Map(),
    working: new Map(),
    hints: new Map(),
    workingHints: new Map(),
    floors: new Map(),
    hlc: HLC_ZERO,
    wal: new WalWriter('wal'),
    unsynced: [],
    nextSeq: 1,
    nextTag: 1,
    puts: new Map(),
    gets: new Map(),
  };
}

/** The versions of `key` in a map of maps (hints by home node), or none. */
export const hinted = (
  m: Map<NodeId, Map<string, Versions>>,
  home: NodeId,
  key: string,
): Versions => m.get(home)?.get(key) ?? [];

export function setHinted(
  m: Map<NodeId, Map<string, Versions>>,
  home: NodeId,
  key: string,
  vs: Versions | undefined,
): void {
  let byKey = m.get(home);
  if (byKey === undefined) {
    if (vs === undefined) return;
    byKey = new Map();
    m.set(home, byKey);
  }
  if (vs === undefined) {
    byKey.delete(key);
    if (byKey.size === 0) m.delete(home);
  } else byKey.set(key, vs);
}

/** A fresh request id: random, so a reply meant for an earlier life is not taken for a new one. */
export function newRid(s: DynamoState, ctx: NodeContext): number {
  for (;;) {
    const rid = ctx.random.int(1, 0x3fffffff);
    if (!s.puts.has(rid) && !s.gets.has(rid)) return rid;
  }
}
