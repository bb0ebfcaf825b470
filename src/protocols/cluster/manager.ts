/**
 * A manager node: the placement driver, its state (the shard map) kept in the managers' Raft
 * group, Raft's own node embedded under the namespace `mgr`. The outer node talks to its Raft
 * only as a client would: every tick it reads the `shardmap` key (a ReadIndex read, so an ok
 * answer means this node led the group when it answered), folds it, and serves the folded map
 * to storage nodes. A read that fails names the leader, which storage nodes are pointed to.
 *
 * The leader also judges storage nodes' liveness from their heartbeats (liveness.ts) and, for
 * each shard with a replica on a node it declared dead, appends a new configuration epoch
 * (repair.ts). A change is appended under a client session of this boot (a retried append
 * lands once) and names the epoch it supersedes, so one made from a stale map is fenced in the
 * fold. An empty map gets the initial placement the same way.
 */
import type { KvInput, KvOutput } from '../../core/history.js';
import type { NodeId } from '../../core/ids.js';
import type { ClientRequest, NodeContext } from '../../core/protocol.js';
import {
  EmbeddedNode,
  type InnerReply,
  SubNodeTags,
} from '../../components/sub-node/embedded-node.js';
import type { ClusterConfig } from './cluster-config.js';
import { DECLARED_DEAD, UNDER_REPLICATED_US } from './cluster-metrics.js';
import { initialPlacement } from './initial-placement.js';
import { Liveness } from './liveness.js';
import type { ClusterEffect, ClusterMessage } from './messages.js';
import { proposeRepair } from './repair.js';
import {
  changeRecords,
  foldShardMap,
  placesAll,
  SHARD_MAP_KEY,
  type ShardChange,
  type ShardMap,
} from './shard-map.js';
import { groupNamespace } from './storage.js';
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
  readonly running: Map<NodeId, { readonly version: number; readonly groups: Set<string> }>;
  /** Configurations marked as in effect while leading (`s3e2`), for the placement checker. */
  readonly announced: Set<string>;
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
  pending:
    | { readonly id: number; readonly sinceUs: number; readonly changes: readonly ShardChange[] }
    | undefined;
  /** The map as this node last read it while leading; undefined when it does not lead. */
  map: ShardMap | undefined;
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
    map: undefined,
    leadership: undefined,
    leader: undefined,
  };
  const replies = recover ? s.raft.recover(ctx, fx) : s.raft.init(ctx, fx);
  onRaftReplies(cfg, s, replies, ctx, fx);
  fx.push({ type: 'setTimer', name: MANAGER_TICK, afterUs: cfg.heartbeatUs });
  return s;
}

/** Every heartbeat: judge liveness, propose repairs, or read the map through Raft. */
export function onManagerTick(
  cfg: ClusterConfig,
  s: ManagerState,
  ctx: NodeContext,
  fx: ClusterEffect[],
): void {
  fx.push({ type: 'setTimer', name: MANAGER_TICK, afterUs: cfg.heartbeatUs });
  if (s.leadership !== undefined && s.map !== undefined) judge(s.leadership, s.map, ctx, fx);
  if (s.pending !== undefined && ctx.now - s.pending.sinceUs < PENDING_MAX_US) return;
  const repair =
    s.leadership !== undefined && s.map !== undefined
      ? proposeRepair(
          cfg,
          s.map,
          (n) => s.leadership?.liveness.isLive(n) ?? true,
          s.leadership.moving,
          (n, shard, epoch) =>
            s.leadership?.running.get(n)?.groups.has(groupNamespace(shard, epoch)) ?? false,
        )
      : undefined;
  if (repair === undefined || repair.changes.length === 0) {
    submit(cfg, s, { f: 'get', key: SHARD_MAP_KEY }, [], ctx, fx);
    return;
  }
  for (const d of repair.decisions)
    fx.push({ type: 'mark', name: `cluster.re-replicate ${d.explanation}` });
  const live = cfg.storage.filter((n) => s.leadership?.liveness.isLive(n) ?? true);
  markProposals(repair.changes, live, fx);
  const value = changeRecords(repair.changes);
  submit(cfg, s, { f: 'append', key: SHARD_MAP_KEY, value }, repair.changes, ctx, fx);
}

/** Declares nodes dead, and notes shards whose new epoch now runs on every live replica. */
function judge(l: Leadership, map: ShardMap, ctx: NodeContext, fx: ClusterEffect[]): void {
  for (const d of l.liveness.check(ctx.now)) {
    fx.push({ type: 'mark', name: DECLARED_DEAD, value: d.silentUs });
    for (const c of map.shards)
      if (c?.replicas.includes(d.node) && !l.underSince.has(c.shard))
        l.underSince.set(c.shard, ctx.now);
  }
  for (const [shard] of l.moving) {
    const c = map.shards[shard];
    if (c === undefined) continue;
    const ns = groupNamespace(shard, c.epoch);
    const runs = (n: NodeId) => {
      const r = l.running.get(n);
      return r !== undefined && r.version >= map.version && r.groups.has(ns);
    };
    if (!c.replicas.every((n) => !l.liveness.isLive(n) || runs(n))) continue;
    l.moving.delete(shard);
    const since = l.underSince.get(shard);
    l.underSince.delete(shard);
    if (since !== undefined)
      fx.push({ type: 'mark', name: UNDER_REPLICATED_US, value: ctx.now - since });
  }
}

/** A storage node's heartbeat: the leader answers, with its map when it is newer. */
export function onMapRequest(
  s: ManagerState,
  from: NodeId,
  version: number,
  running: readonly string[],
  ctx: NodeContext,
  fx: ClusterEffect[],
): void {
  if (s.leadership !== undefined) {
    s.leadership.liveness.heard(from, ctx.now);
    s.leadership.running.set(from, { version, groups: new Set(running) });
  }
  const msg: ClusterMessage =
    s.map === undefined
      ? { type: 'NotLeader', leader: s.leader }
      : { type: 'MapReply', map: s.map.version > version ? s.map : undefined };
  fx.push({ type: 'send', to: from, msg });
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
    const { changes } = s.pending;
    s.pending = undefined;
    if (r.outcome.type !== 'ok') {
      if (r.outcome.type === 'fail') s.leader = r.outcome.hint;
      stepDown(s);
      continue;
    }
    s.leader = ctx.node;
    s.map = foldShardMap(r.outcome.value);
    if (s.leadership === undefined) {
      s.leadership = {
        liveness: new Liveness(cfg.liveness, cfg.storage, ctx.now),
        moving: new Map(),
        underSince: new Map(),
        running: new Map(),
        announced: new Set(),
      };
      fx.push({ type: 'mark', name: 'cluster.manager-leads' });
    }
    for (const c of changes)
      if (s.map.shards[c.shard]?.epoch === c.epoch) s.leadership.moving.set(c.shard, ctx.now);
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
  for (const c of changes) fx.push({ type: 'mark', name: proposedMark(c, c.replicas, live) });
}

/** Marks each configuration of the map not yet marked in this leadership as in effect. */
function announce(l: Leadership, map: ShardMap, fx: ClusterEffect[]): void {
  for (const c of map.shards) {
    if (c === undefined || l.announced.has(groupNamespace(c.shard, c.epoch))) continue;
    l.announced.add(groupNamespace(c.shard, c.epoch));
    fx.push({ type: 'mark', name: epochMark(c, c.replicas) });
  }
}

function stepDown(s: ManagerState): void {
  s.map = undefined;
  s.leadership = undefined;
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
): void {
  const id = -++s.nextRequest;
  const seq = op.f === 'get' ? 0 : ++s.seq;
  const req: ClientRequest<KvInput> = { id, client: s.session, seq, op };
  s.pending = { id, sinceUs: ctx.now, changes };
  onRaftReplies(cfg, s, s.raft.submit(req, ctx, fx), ctx, fx);
}
