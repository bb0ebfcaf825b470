/**
 * A manager node: the placement driver, its state (the shard map) kept in the managers' Raft
 * group, Raft's own node embedded under the namespace `mgr`. The outer node talks to its Raft
 * only as a client would: every tick it reads the `shardmap` key (a ReadIndex read, so an ok
 * answer means this node led the group when it answered), folds it, and serves the folded map
 * to storage nodes. A manager whose read finds no map appends the initial placement, with a
 * client session of its own boot, so a retried append lands once. A read that fails names the
 * leader, which storage nodes are pointed to.
 *
 * Left out (next slices): liveness of storage nodes (heartbeat timestamps into a phi-accrual
 * detector), and the changes a leader appends when it declares a node dead.
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
import { initialPlacement } from './initial-placement.js';
import type { ClusterEffect, ClusterMessage } from './messages.js';
import {
  changeRecords,
  foldShardMap,
  placesAll,
  SHARD_MAP_KEY,
  type ShardMap,
} from './shard-map.js';

export const MANAGER_NS = 'mgr';
export const MANAGER_TICK = 'manager-tick';
/** A request to the manager's own Raft not answered in this long is given up on. */
const PENDING_MAX_US = 1_000_000;

export interface ManagerState {
  readonly kind: 'manager';
  readonly tags: SubNodeTags;
  readonly raft: EmbeddedNode<unknown, KvOutput>;
  /** This boot's client session with the Raft group. */
  readonly session: string;
  seq: number;
  nextRequest: number;
  /** The request in flight to the Raft group, and when it was made. */
  pending: { readonly id: number; readonly sinceUs: number } | undefined;
  /** The map as this node last read it while leading; undefined when it does not lead. */
  map: ShardMap | undefined;
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
    leader: undefined,
  };
  const replies = recover ? s.raft.recover(ctx, fx) : s.raft.init(ctx, fx);
  onRaftReplies(cfg, s, replies, ctx, fx);
  fx.push({ type: 'setTimer', name: MANAGER_TICK, afterUs: cfg.heartbeatUs });
  return s;
}

/** Every heartbeat: read the map through Raft, unless a request is still in flight. */
export function onManagerTick(
  cfg: ClusterConfig,
  s: ManagerState,
  ctx: NodeContext,
  fx: ClusterEffect[],
): void {
  fx.push({ type: 'setTimer', name: MANAGER_TICK, afterUs: cfg.heartbeatUs });
  if (s.pending !== undefined && ctx.now - s.pending.sinceUs < PENDING_MAX_US) return;
  submit(cfg, s, { f: 'get', key: SHARD_MAP_KEY }, ctx, fx);
}

/** A storage node's heartbeat: the leader answers, with its map when it is newer. */
export function onMapRequest(
  s: ManagerState,
  from: NodeId,
  version: number,
  fx: ClusterEffect[],
): void {
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
    s.pending = undefined;
    if (r.outcome.type !== 'ok') {
      s.map = undefined;
      if (r.outcome.type === 'fail') s.leader = r.outcome.hint;
      continue;
    }
    s.leader = ctx.node;
    s.map = foldShardMap(r.outcome.value);
    if (!placesAll(s.map, cfg.options.shards)) placeAll(cfg, s, ctx, fx);
  }
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
  const value = changeRecords(plan.changes);
  s.map = undefined;
  submit(cfg, s, { f: 'append', key: SHARD_MAP_KEY, value }, ctx, fx);
}

function submit(
  cfg: ClusterConfig,
  s: ManagerState,
  op: KvInput,
  ctx: NodeContext,
  fx: ClusterEffect[],
): void {
  const id = -++s.nextRequest;
  const seq = op.f === 'get' ? 0 : ++s.seq;
  const req: ClientRequest<KvInput> = { id, client: s.session, seq, op };
  s.pending = { id, sinceUs: ctx.now };
  onRaftReplies(cfg, s, s.raft.submit(req, ctx, fx), ctx, fx);
}
