/**
 * A manager node: the placement driver, its state (the shard map) kept in the managers' Raft
 * group, Raft's own node embedded under the namespace `mgr`. The outer node talks to its Raft
 * only as a client would: every tick it reads the `shardmap` key (a ReadIndex read, so an ok
 * answer means this node led the group when it answered), folds it, and serves the folded map
 * to storage nodes. A read that fails names the leader, which storage nodes are pointed to.
 *
 * The leader also judges storage nodes' liveness from their heartbeats (liveness.ts) and, for
 * each shard with a replica on a node it declared dead, appends a new configuration epoch
 * (repair.ts); with nothing to repair, under `sharding: range` it splits the ranges grown past
 * their threshold (range-split.ts); then it rebalances (rebalance.ts): drops a moved shard's
 * extra replica, moves a crowded zone's replica to a zone that has room, drains leaving nodes
 * and evens out full ones, and under `balance: load` busy ones too (load-balance.ts). It
 * plans from the storage members `membership-view.ts` gives, and measures each join or leave
 * (membership.ts). A change is appended under a client session of this boot (a retried
 * append lands once) and names the epoch it supersedes, so one made from a stale map is
 * fenced in the fold. An empty map gets the initial placement the same way.
 */
import type { KvInput, KvOutput } from '../../core/history.js';
import type { NodeId } from '../../core/ids.js';
import type { ClientRequest, MembershipChange, NodeContext } from '../../core/protocol.js';
import {
  EmbeddedNode,
  type InnerReply,
  SubNodeTags,
} from '../../components/sub-node/embedded-node.js';
import { type ClusterConfig, storageMembers } from './cluster-config.js';
import {
  DATA_MOVED,
  DATA_MOVED_IDEAL,
  DECLARED_DEAD,
  DRAINED_US,
  UNDER_REPLICATED_US,
} from './cluster-metrics.js';
import { FALSE_SUSPICION } from './detector-metrics.js';
import { initialPlacement } from './initial-placement.js';
import { Liveness } from './liveness.js';
import {
  createLoadView,
  LOAD_MOVE,
  type LoadView,
  noteLoad,
  proposeLoadMove,
} from './load-balance.js';
import type { ClusterEffect, ClusterMessage, MapRequest, RangeSize } from './messages.js';
import { MembershipWatch } from './membership.js';
import { MembershipView } from './membership-view.js';
import { createPlanMemo, notePlanned, noteRunning, type PlanMemo, stillIdle } from './plan-memo.js';
import { proposeRebalance } from './rebalance.js';
import { SPLIT_MARK } from './range-metrics.js';
import { noteSize, noteSplitsDone, proposeSplits, type SplitsUnderWay } from './range-split.js';
import { proposeRepair } from './repair.js';
import {
  changeRecords,
  type FoldedLog,
  foldShardMap,
  placesAll,
  SHARD_MAP_KEY,
  type ShardChange,
  type ShardMap,
} from './shard-map.js';
import { votersOf } from './standby.js';
import { groupNamespace } from '../../core/configuration-id.js';
import { epochMark, proposedMark } from '../../core/placement-marks.js';

export const MANAGER_NS = 'mgr';
export const MANAGER_TICK = 'manager-tick';
/** A request to the manager's own Raft not answered in this long is given up on. */
const PENDING_MAX_US = 1_000_000;

/** What the leader knows only while it leads. */
interface Leadership {
  readonly liveness: Liveness;
  /** Shards in a new epoch not yet running on every live replica, and since when. */
  readonly moving: Map<number, number>;
  /** When each shard was first seen with a replica on a dead node. */
  readonly underSince: Map<number, number>;
  /** The groups each storage node last said it runs, with the map version it held. */
  readonly running: Map<NodeId, Running>;
  /** For each rebalance move under way, the replica to drop once the added one runs. */
  readonly drops: Map<number, NodeId>;
  /** Configurations marked as in effect while leading (`s3e2`), for the placement checker. */
  readonly announced: Set<string>;
  /** The map whose configurations were last marked: every read of an unchanged map is one. */
  announcedMap: ShardMap | undefined;
  /** Under `balance: load`: the storage nodes' load reports (load-balance.ts). */
  readonly load: LoadView | undefined;
  /** `sharding: range`: each shard's size as its primary last reported it (range-split.ts). */
  readonly sizes: Map<number, RangeSize>;
  /** `sharding: range`: splits in effect whose halves do not all run yet. */
  readonly splits: SplitsUnderWay;
  /** What the last pass planned from, so a tick with nothing new plans nothing (plan-memo.ts). */
  readonly plan: PlanMemo;
  /** The group names of a map's configurations, by shard: built once per map, not per lookup. */
  names: { readonly map: ShardMap; readonly names: readonly (string | undefined)[] } | undefined;
}

/** A storage node's last report: its map version, its groups, and the list they came in. */
interface Running {
  readonly version: number;
  readonly groups: ReadonlySet<string>;
  /** The report's list: the node sends the same (immutable) one while its groups stay. */
  readonly list: readonly string[];
}

interface Pending {
  readonly id: number;
  readonly sinceUs: number;
  readonly changes: readonly ShardChange[];
  /** The drops of the rebalance moves among `changes`, by shard. */
  readonly drops: ReadonlyMap<number, NodeId>;
}

export interface ManagerState {
  readonly kind: 'manager';
  readonly tags: SubNodeTags;
  readonly raft: EmbeddedNode<unknown, KvOutput>;
  /** This boot's client session with the Raft group. */
  readonly session: string;
  seq: number;
  nextRequest: number;
  /** The request in flight to the Raft group, when it was made, and the changes it appends. */
  pending: Pending | undefined;
  readonly membership: MembershipWatch;
  /** The storage members this manager plans from (membership-view.ts). */
  readonly view: MembershipView;
  /** The map as this node last read it while leading; undefined when it does not lead. */
  map: ShardMap | undefined;
  /** The log last folded and its map: a read that finds the log unchanged folds nothing. */
  folded: FoldedLog | undefined;
  leadership: Leadership | undefined;
  /** The leader as Raft last named it. */
  leader: NodeId | undefined;
}

export function bootManager(
  cfg: ClusterConfig,
  ctx: NodeContext,
  recover: boolean,
  fx: ClusterEffect[],
): ManagerState {
  const tags = new SubNodeTags();
  const s: ManagerState = {
    kind: 'manager',
    tags,
    raft: new EmbeddedNode(cfg.createManager(), MANAGER_NS, cfg.managers, tags),
    session: `${MANAGER_NS}-${ctx.node}-${ctx.random.int(1, 1_000_000_000)}`,
    seq: 0,
    nextRequest: 0,
    pending: undefined,
    membership: new MembershipWatch(),
    view: new MembershipView(cfg),
    map: undefined,
    folded: undefined,
    leadership: undefined,
    leader: undefined,
  };
  const replies = recover ? s.raft.recover(ctx, fx) : s.raft.init(ctx, fx);
  onRaftReplies(cfg, s, replies, ctx, fx);
  fx.push({ type: 'setTimer', name: MANAGER_TICK, afterUs: cfg.heartbeatUs });
  return s;
}

/** Every heartbeat: judge liveness, propose repairs or moves, or read the map through Raft. */
export function onManagerTick(
  cfg: ClusterConfig,
  s: ManagerState,
  ctx: NodeContext,
  fx: ClusterEffect[],
): void {
  fx.push({ type: 'setTimer', name: MANAGER_TICK, afterUs: cfg.heartbeatUs });
  const l = s.leadership;
  const map = s.map;
  const members = s.view.storage(ctx.peers);
  if (l !== undefined && map !== undefined) {
    for (const n of members) l.liveness.track(n, ctx.now);
    judge(l, map, ctx, fx);
    noteSplitsDone(l.splits, l.moving, ctx.now, fx);
    noteDrained(s, l, map, ctx, fx);
  }
  if (s.pending !== undefined && ctx.now - s.pending.sinceUs < PENDING_MAX_US) return;
  if (l !== undefined && map !== undefined && plan({ cfg, s, l, map, members, ctx, fx })) return;
  submit(cfg, s, { f: 'get', key: SHARD_MAP_KEY }, [], ctx, fx);
}

/**
 * The leader's pass, skipped when nothing it reads changed since it last proposed nothing
 * (plan-memo.ts); false when it proposes nothing, and then a join or leave whose moves are all
 * done is measured.
 */
function plan(tick: LeaderTick): boolean {
  const { cfg, s, l, map, members, fx } = tick;
  const inputs = { map, members, dead: l.liveness.dead, moving: l.moving, drops: l.drops };
  const memo = cfg.options.sharding === 'range' || l.load !== undefined ? undefined : l.plan;
  const skip = memo !== undefined && stillIdle(memo, inputs);
  const proposed = !skip && propose(tick);
  if (memo !== undefined && !skip) notePlanned(memo, inputs, !proposed);
  if (!proposed && l.moving.size === 0) noteSettled(s, map, fx);
  return proposed;
}

/** What a leader's tick plans with: the node, its leadership, the map it read, the members. */
interface LeaderTick {
  readonly cfg: ClusterConfig;
  readonly s: ManagerState;
  readonly l: Leadership;
  readonly map: ShardMap;
  readonly members: readonly NodeId[];
  readonly ctx: NodeContext;
  readonly fx: ClusterEffect[];
}

/** The leader's changes, repairs first, then moves; false when there are none. */
function propose({ cfg, s, l, map, members, ctx, fx }: LeaderTick): boolean {
  const isLive = (n: NodeId) => l.liveness.isLive(n);
  const names = namesOf(l, map);
  const runs = (n: NodeId, shard: number, epoch: number) => {
    const ns = map.shards[shard]?.epoch === epoch ? names[shard] : undefined;
    return l.running.get(n)?.groups.has(ns ?? groupNamespace(shard, epoch)) ?? false;
  };
  const repair = proposeRepair(cfg, map, isLive, l.moving, runs, (n) => members.includes(n));
  if (repair.changes.length > 0) {
    for (const d of repair.decisions)
      fx.push({ type: 'mark', name: `cluster.re-replicate ${d.explanation}` });
    append(cfg, s, repair.changes, new Map(), ctx, fx);
    return true;
  }
  for (const shard of l.drops.keys())
    if ((map.shards[shard]?.replicas.length ?? 0) <= cfg.options.replicasMax) l.drops.delete(shard);
  if (cfg.options.sharding === 'range') {
    const splits = proposeSplits(cfg, { map, sizes: l.sizes, isLive, moving: l.moving, runs });
    for (const e of splits.explanations) fx.push({ type: 'mark', name: `cluster.split ${e}` });
    for (const b of splits.bytes) fx.push({ type: 'mark', name: SPLIT_MARK, value: b });
    if (splits.changes.length > 0) {
      append(cfg, s, splits.changes, new Map(), ctx, fx);
      return true;
    }
  }
  const view = { map, members, isLive, moving: l.moving, drops: l.drops, runs };
  let moves = proposeRebalance(cfg, view);
  if (moves.changes.length === 0 && l.load !== undefined) {
    moves = proposeLoadMove(cfg, l.load, view, ctx.now);
    if (moves.changes.length > 0) fx.push({ type: 'mark', name: LOAD_MOVE });
  }
  if (moves.changes.length > 0) {
    for (const e of moves.explanations) fx.push({ type: 'mark', name: `cluster.rebalance ${e}` });
    append(cfg, s, moves.changes, moves.drops, ctx, fx);
    return true;
  }
  return false;
}

function append(
  cfg: ClusterConfig,
  s: ManagerState,
  changes: readonly ShardChange[],
  drops: ReadonlyMap<number, NodeId>,
  ctx: NodeContext,
  fx: ClusterEffect[],
): void {
  const live = cfg.storage.filter((n) => s.leadership?.liveness.isLive(n) ?? true);
  markProposals(changes, live, fx);
  const value = changeRecords(changes);
  submit(cfg, s, { f: 'append', key: SHARD_MAP_KEY, value }, changes, ctx, fx, drops);
}

/** A leaving node that holds no replica any more: drained, and no longer judged. */
function noteDrained(
  s: ManagerState,
  l: Leadership,
  map: ShardMap,
  ctx: NodeContext,
  fx: ClusterEffect[],
): void {
  for (const d of s.membership.drainedNow(map, ctx.now)) {
    l.liveness.forget(d.node);
    fx.push({ type: 'mark', name: DRAINED_US, value: d.afterUs });
    fx.push({ type: 'mark', name: `cluster.drained ${d.node}: every replica moved off` });
  }
}

/** Nothing moves: the join or leave being measured is done; how much data it moved. */
function noteSettled(s: ManagerState, map: ShardMap, fx: ClusterEffect[]): void {
  const done = s.membership.settled(map);
  if (done === undefined) return;
  fx.push({ type: 'mark', name: DATA_MOVED, value: done.moved.moved });
  fx.push({ type: 'mark', name: DATA_MOVED_IDEAL, value: Math.round(done.moved.ideal) });
  fx.push({ type: 'mark', name: `cluster.data-moved ${done.text}` });
}

/**
 * A join or leave, told to every manager; the leader measures what it moves. Under
 * `cluster.stale-manager-view` a follower drops it (membership-view.ts).
 */
export function onManagerMembership(
  cfg: ClusterConfig,
  s: ManagerState,
  change: MembershipChange,
  ctx: NodeContext,
): void {
  if (!s.view.told(change, s.leadership !== undefined)) return;
  const after = storageMembers(cfg, change.members).length;
  s.membership.told(change, s.leadership === undefined ? undefined : s.map, after, ctx.now);
}

/** Declares nodes dead, and notes shards whose new epoch now runs on every live replica. */
function judge(l: Leadership, map: ShardMap, ctx: NodeContext, fx: ClusterEffect[]): void {
  for (const d of l.liveness.check(ctx.now)) {
    fx.push({ type: 'mark', name: DECLARED_DEAD, value: d.silentUs });
    for (const c of map.shards)
      if (c?.replicas.includes(d.node) && !l.underSince.has(c.shard))
        l.underSince.set(c.shard, ctx.now);
  }
  const names = namesOf(l, map);
  for (const [shard] of l.moving) {
    const c = map.shards[shard];
    if (c === undefined) continue;
    const ns = names[shard] ?? groupNamespace(shard, c.epoch);
    const runs = (n: NodeId) => {
      const r = l.running.get(n);
      return r !== undefined && r.version >= map.version && r.groups.has(ns);
    };
    const since = l.underSince.get(shard);
    // Fully replicated once every live voter runs it (a standby still being filled aside).
    if (since !== undefined && votersOf(c).every((n) => !l.liveness.isLive(n) || runs(n))) {
      l.underSince.delete(shard);
      fx.push({ type: 'mark', name: UNDER_REPLICATED_US, value: ctx.now - since });
    }
    if (!c.replicas.every((n) => !l.liveness.isLive(n) || runs(n))) continue;
    l.moving.delete(shard);
  }
}

/** A storage node's heartbeat: the leader answers, with its map when it is newer. */
export function onMapRequest(
  s: ManagerState,
  from: NodeId,
  { version, running, load, sizes }: MapRequest,
  ctx: NodeContext,
  fx: ClusterEffect[],
): void {
  if (s.leadership !== undefined) {
    for (const r of sizes ?? []) noteSize(s.leadership.sizes, r);
    const wrong = s.leadership.liveness.heard(from, ctx.now, version > 0);
    if (wrong !== undefined)
      fx.push({ type: 'mark', name: FALSE_SUSPICION, value: wrong.falselyDeadUs });
    const before = s.leadership.running.get(from);
    const groups =
      before?.list === running
        ? before.groups
        : noteRunning(s.leadership.plan, before?.groups, running);
    s.leadership.running.set(from, { version, groups, list: running });
    if (s.leadership.load !== undefined && load !== undefined)
      noteLoad(s.leadership.load, from, load);
  }
  const msg: ClusterMessage =
    s.map === undefined
      ? { type: 'NotLeader', leader: s.leader }
      : { type: 'MapReply', map: s.map.version > version ? s.map : undefined };
  fx.push({ type: 'send', to: from, msg });
}

/** The map the log read from Raft folds to; every tick reads it, and it rarely changes. */
function readMap(s: ManagerState, log: string | null): ShardMap {
  if (s.folded?.log !== log) s.folded = { log, map: foldShardMap(log, s.folded) };
  return s.folded.map;
}

/** What the embedded Raft answered to this node's own requests. */
export function onRaftReplies(
  cfg: ClusterConfig,
  s: ManagerState,
  replies: readonly InnerReply<KvOutput>[],
  ctx: NodeContext,
  fx: ClusterEffect[],
): void {
  for (const r of replies) {
    if (s.pending?.id !== r.requestId) continue;
    const { changes, drops } = s.pending;
    s.pending = undefined;
    if (r.outcome.type !== 'ok') {
      if (r.outcome.type === 'fail') s.leader = r.outcome.hint;
      stepDown(s);
      continue;
    }
    s.leader = ctx.node;
    s.map = readMap(s, r.outcome.value);
    if (s.leadership === undefined) {
      s.leadership = {
        liveness: new Liveness(cfg.liveness, s.view.storage(ctx.peers), ctx.now),
        moving: new Map(),
        underSince: new Map(),
        running: new Map(),
        drops: new Map(),
        announced: new Set(),
        announcedMap: undefined,
        load: createLoadView(cfg, ctx.now),
        sizes: new Map(),
        splits: new Map(),
        plan: createPlanMemo(),
        names: undefined,
      };
      fx.push({ type: 'mark', name: 'cluster.manager-leads' });
    }
    for (const c of changes) {
      if (s.map.shards[c.shard]?.epoch !== c.epoch) continue;
      s.leadership.moving.set(c.shard, ctx.now);
      const drop = drops.get(c.shard);
      if (drop !== undefined) s.leadership.drops.set(c.shard, drop);
      if (c.split === undefined) continue;
      s.leadership.moving.set(c.split.right, ctx.now);
      s.leadership.splits.set(c.shard, { right: c.split.right, sinceUs: ctx.now });
    }
    announce(s.leadership, s.map, fx);
    if (!placesAll(s.map, cfg.options.shards)) placeAll(cfg, s, ctx, fx);
  }
}

/** Each configuration proposed, with the storage nodes counted live when it was planned. */
function markProposals(
  changes: readonly ShardChange[],
  live: readonly NodeId[],
  fx: ClusterEffect[],
): void {
  for (const c of changes) {
    fx.push({ type: 'mark', name: proposedMark(c, c.replicas, live) });
    const right = c.split === undefined ? undefined : { shard: c.split.right, epoch: c.epoch };
    if (right !== undefined) fx.push({ type: 'mark', name: proposedMark(right, c.replicas, live) });
  }
}

/** Marks each configuration of the map not yet marked in this leadership as in effect. */
function announce(l: Leadership, map: ShardMap, fx: ClusterEffect[]): void {
  if (l.announcedMap === map) return;
  l.announcedMap = map;
  const names = namesOf(l, map);
  map.shards.forEach((c, i) => {
    if (c === undefined) return;
    const ns = names[i] ?? groupNamespace(c.shard, c.epoch);
    if (l.announced.has(ns)) return;
    l.announced.add(ns);
    fx.push({ type: 'mark', name: epochMark(c, c.replicas) });
  });
}

/** Each shard's group name in `map` (its current epoch's), by index, built once per map. */
function namesOf(l: Leadership, map: ShardMap): readonly (string | undefined)[] {
  if (l.names?.map === map) return l.names.names;
  const names = map.shards.map((c, i) => (c?.shard === i ? groupNamespace(i, c.epoch) : undefined));
  l.names = { map, names };
  return names;
}

function stepDown(s: ManagerState): void {
  s.map = undefined;
  s.leadership = undefined;
  s.membership.stepDown();
}

/** The map is empty: append the initial placement, each decision's reason in the trace. */
function placeAll(
  cfg: ClusterConfig,
  s: ManagerState,
  ctx: NodeContext,
  fx: ClusterEffect[],
): void {
  const plan = initialPlacement(cfg);
  for (const d of plan.decisions)
    fx.push({ type: 'mark', name: `cluster.placed ${d.explanation}` });
  markProposals(plan.changes, cfg.storage, fx);
  const value = changeRecords(plan.changes);
  submit(cfg, s, { f: 'append', key: SHARD_MAP_KEY, value }, [], ctx, fx);
}

function submit(
  cfg: ClusterConfig,
  s: ManagerState,
  op: KvInput,
  changes: readonly ShardChange[],
  ctx: NodeContext,
  fx: ClusterEffect[],
  drops: ReadonlyMap<number, NodeId> = new Map(),
): void {
  const id = -++s.nextRequest;
  const seq = op.f === 'get' ? 0 : ++s.seq;
  const req: ClientRequest<KvInput> = { id, client: s.session, seq, op };
  s.pending = { id, sinceUs: ctx.now, changes, drops };
  onRaftReplies(cfg, s, s.raft.submit(req, ctx, fx), ctx, fx);
}
