/**
 * The node contract (DESIGN §3). A node is a deterministic state machine: everything it may
 * observe comes in through handler arguments, everything it does goes out as an ordered list of
 * effects the host applies. Nothing else is allowed to reach it: no clock but `ctx.now`, no
 * randomness but `ctx.random`, no disk but `ctx.disk` and the disk effects.
 *
 * Ordering obligations live in the effect list: a protocol that must persist before it
 * acknowledges emits `diskWrite` and `diskSync`, waits for `onDiskDone`, then emits `reply`.
 * The window between them is exactly where a crash can strike.
 */
import type { BackupTool } from './backup-tool.js';
import type { DiskReader } from './disk-reader.js';
import type { KvInput, KvOutput } from './history.js';
import type { ClientId, NodeId } from './ids.js';
import type { Prng } from './prng.js';
import type { Replicas } from './replica-set.js';
import type { Micros } from './time.js';

export type TimerName = string;

export type { DiskReader, DiskReadResult } from './disk-reader.js';

export interface NodeContext {
  readonly node: NodeId;
  /**
   * The other members of the cluster, sorted. Fixed for a protocol that does not take membership
   * changes; for one that does, the members as the operator's configuration says now (a node
   * that joined is in, one that left is out), read afresh in every handler.
   */
  readonly peers: readonly NodeId[];
  /** This node's clock reading, skewed and drifting as the scenario says. */
  readonly now: Micros;
  /** This node's own random stream (forked as `node:<id>`). */
  readonly random: Prng;
  readonly disk: DiskReader;
}

export interface ClientRequest<In> {
  /** This attempt's id: replies name it. A retry is a new attempt with a new id. */
  readonly id: number;
  readonly client: ClientId;
  /**
   * The operation's number, increasing per client and the same on every attempt of it, so a
   * server can keep client sessions and apply a retried command once (Raft thesis §6.3).
   */
  readonly seq: number;
  readonly op: In;
}

export type Outcome<O> =
  | { readonly type: 'ok'; readonly value: O }
  /** Definitely did not happen; `hint` may name the node to try instead. */
  | { readonly type: 'fail'; readonly code: string; readonly hint?: NodeId }
  /** May or may not have happened. */
  | { readonly type: 'info'; readonly code: string };

export type DiskOp = 'write' | 'sync' | 'syncDir' | 'rename' | 'delete';

export interface DiskCompletion {
  readonly op: DiskOp;
  readonly file: string;
  /** The protocol's own correlation tag from the effect. */
  readonly tag: number;
  readonly ok: boolean;
  readonly error?: string;
}

export type Effect<M, O> =
  | { readonly type: 'send'; readonly to: NodeId; readonly msg: M }
  /** Arms a timer; a pending timer of the same name is replaced. */
  | { readonly type: 'setTimer'; readonly name: TimerName; readonly afterUs: Micros }
  | { readonly type: 'cancelTimer'; readonly name: TimerName }
  /**
   * Writes bytes at `offset`, or at the end of the file with `append`; creates the file if
   * needed. With `quiet`, `onDiskDone` is not called when the write completes (a failed write is
   * still reported): for protocols that wait only for the fsync after it, which saves one event
   * per write.
   */
  | {
      readonly type: 'diskWrite';
      readonly file: string;
      readonly offset: number | 'append';
      readonly data: Uint8Array;
      readonly tag: number;
      readonly quiet?: boolean;
    }
  /** fsync(file): makes its earlier writes durable. Its name needs `diskSyncDir` too. */
  | { readonly type: 'diskSync'; readonly file: string; readonly tag: number }
  /** fsync of the directory: makes creates, renames and deletes durable. */
  | { readonly type: 'diskSyncDir'; readonly tag: number }
  | {
      readonly type: 'diskRename';
      readonly from: string;
      readonly to: string;
      readonly tag: number;
    }
  | { readonly type: 'diskDelete'; readonly file: string; readonly tag: number }
  | { readonly type: 'reply'; readonly requestId: number; readonly outcome: Outcome<O> }
  /** A named coverage mark, shown in traces; a value feeds the run's metrics. */
  | { readonly type: 'mark'; readonly name: string; readonly value?: number };

/**
 * An operator changed the cluster's membership (a scenario's `join:` or `leave:`), as the admin
 * command of a real system (`nodetool decommission`, `cockroach node decommission`) would. Every
 * member is told, the leaving node included; `members` is the cluster after the change, sorted.
 * A node that joins is not told: it boots (`init`) with the members already in `ctx.peers`. A
 * node that leaves keeps running for its drain period, then stops for good.
 */
export interface MembershipChange {
  readonly type: 'join' | 'leave';
  readonly node: NodeId;
  readonly members: readonly NodeId[];
}

export interface Step<S, M, O> {
  readonly state: S;
  readonly effects: readonly Effect<M, O>[];
}

/**
 * The defaults let a user write `Protocol` for a kv protocol: state and messages as `unknown`
 * (each handler, a method, may name its own types) and the kv workload's operations.
 */
export interface Protocol<S = unknown, M = unknown, In = KvInput, Out = KvOutput> {
  readonly name: string;
  /** First boot, on an empty disk. */
  init(ctx: NodeContext): Step<S, M, Out>;
  /** Restart after a crash; `ctx.disk` holds what survived. */
  onRecover(ctx: NodeContext): Step<S, M, Out>;
  onMessage(s: S, from: NodeId, msg: M, ctx: NodeContext): Step<S, M, Out>;
  onTimer(s: S, timer: TimerName, ctx: NodeContext): Step<S, M, Out>;
  onRequest(s: S, req: ClientRequest<In>, ctx: NodeContext): Step<S, M, Out>;
  onDiskDone(s: S, done: DiskCompletion, ctx: NodeContext): Step<S, M, Out>;
  /**
   * A membership change, for a protocol whose definition says `membership: true` (the scenario
   * layer refuses `join:`, `leave:` and spares for any other).
   */
  onMembership?(s: S, change: MembershipChange, ctx: NodeContext): Step<S, M, Out>;
  /** Asserts internal invariants after each step (throws AssertionError). */
  checkInvariants?(s: S, ctx: NodeContext): void;
  /** A short label for a message in traces and diagrams (e.g. `AppendEntries`). */
  describeMessage?(msg: M): string;
  /**
   * A node's state in a few named values for people (a report's time travel): role, term or
   * epoch, log and commit indexes, how much of the log is durable. Called only when a trace is
   * written; never part of the trace hash.
   */
  describeState?(s: S): StateSummary;
  /**
   * A fresh observer for one run, for properties no single node can check (election safety,
   * log matching…): it sees every node's state after every step, from outside the cluster.
   */
  createObserver?(): ClusterObserver<S>;
  /**
   * Backups and restore, for a protocol with a storage engine whose definition says
   * `backups: true` (the scenario layer refuses backup, disaster and restore for any other).
   */
  readonly backups?: BackupTool<S>;
}

export type StateSummary = Readonly<Record<string, string | number | boolean | null>>;

/**
 * Watches the whole cluster from outside, as TigerBeetle's VOPR state checker does: after each
 * step of node `node` the host hands it that node's state (undefined once the node crashed). It
 * may read the state but never change what the protocol does; a finding is a property violated
 * at a time, reported once per property (the first), with the steps it looked at.
 */
export interface ClusterObserver<S> {
  observe(node: NodeId, state: S | undefined, now: Micros): void;
  results(): readonly ObservedProperty[];
  /**
   * For a protocol that replicates a data type: every replica's state as the run ends, for the
   * convergence checker (replica-set.ts). Called once, after the last step.
   */
  replicas?(): Replicas;
}

export interface ObservedProperty {
  /** The property's name from the papers, e.g. `election-safety`. */
  readonly name: string;
  /** How many times it was checked (a property checked 0 times proves nothing). */
  readonly checks: number;
  readonly violation?: { readonly atUs: Micros; readonly node: NodeId; readonly message: string };
}

/**
 * A protocol of any state, message and operation types, as the host and the registries hold
 * them: TypeScript has no existential types, so the host sees handlers through this.
 */
// biome-ignore lint/suspicious/noExplicitAny: the host is generic over every protocol's types
export type AnyProtocol = Protocol<any, any, any, any>;

/** Shorthand for handlers with nothing to do. */
export const NO_EFFECTS: readonly never[] = Object.freeze([]);
