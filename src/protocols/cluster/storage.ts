/**
 * A storage node: it hosts one primary/backup node per shard replica it holds, each the
 * primary-backup protocol's own node embedded under the namespace `s<shard>e<epoch>`, whose
 * group is the shard's replica set in that configuration epoch. It learns the shard map from
 * the manager leader, asking every heartbeat (`MapRequest` names the version it holds), and
 * starts the groups the map gives it: from their files when its disk has them (a restart),
 * fresh otherwise.
 *
 * Routing: a client request for a key goes to the group of the key's shard when this node
 * hosts it (the group's primary answers; a backup redirects to it, as primary/backup does);
 * otherwise the node answers `fail wrong-shard` naming a replica of the shard, so the client
 * retries there. Without a map yet it answers `fail no-shard-map`. The client's library is the
 * simulator's generic one, which follows hints; the map lives on the nodes.
 *
 * Left out (next slices): new epochs (a group of the new replica set seeded by state transfer
 * from a healthy replica, the old group retired), heartbeats as the manager's liveness input.
 */
import type { KvInput, KvOutput } from '../../core/history.js';
import type { NodeId } from '../../core/ids.js';
import type { ClientRequest, DiskCompletion, NodeContext } from '../../core/protocol.js';
import {
  EmbeddedNode,
  SubNodeTags,
  subNamespaces,
} from '../../components/sub-node/embedded-node.js';
import { redirect } from '../shared/redirect.js';
import { type ClusterConfig, shardOf } from './cluster-config.js';
import type { ClusterEffect } from './messages.js';
import type { ShardMap } from './shard-map.js';

export const STORAGE_TICK = 'storage-tick';
/** Marks of the shard groups: one name per mark, whatever the shard (`pb.role.primary`). */
const GROUP_MARK_PREFIX = 'pb.';

export interface StorageState {
  readonly kind: 'storage';
  readonly tags: SubNodeTags;
  map: ShardMap | undefined;
  /** By namespace. */
  readonly groups: Map<string, EmbeddedNode<unknown, KvOutput>>;
  /** Namespaces with files on this disk at boot: those groups recover instead of starting. */
  readonly onDisk: ReadonlySet<string>;
  /** The manager asked next (the leader, once one is named). */
  manager: NodeId;
  /** Managers asked in turn while none is named leader. */
  probe: number;
  /** Heartbeats sent since the manager last answered. */
  unanswered: number;
}

/** Heartbeats without an answer after which the node asks the next manager. */
const UNANSWERED_MAX = 3;

const groupNamespace = (shard: number, epoch: number): string => `s${shard}e${epoch}`;

export function bootStorage(
  cfg: ClusterConfig,
  ctx: NodeContext,
  fx: ClusterEffect[],
): StorageState {
  fx.push({ type: 'setTimer', name: STORAGE_TICK, afterUs: 1 });
  return {
    kind: 'storage',
    tags: new SubNodeTags(),
    map: undefined,
    groups: new Map(),
    onDisk: new Set(subNamespaces(ctx.disk)),
    manager: cfg.managers[0] as NodeId,
    probe: 0,
    unanswered: 0,
  };
}

/** Every heartbeat: ask the manager for a newer map. */
export function onStorageTick(cfg: ClusterConfig, s: StorageState, fx: ClusterEffect[]): void {
  fx.push({ type: 'setTimer', name: STORAGE_TICK, afterUs: cfg.heartbeatUs });
  if (++s.unanswered > UNANSWERED_MAX) onNotLeader(cfg, s, undefined);
  fx.push({
    type: 'send',
    to: s.manager,
    msg: { type: 'MapRequest', version: s.map?.version ?? 0 },
  });
}

/** A manager is not the leader: ask the one it names, or the next manager in turn. */
export function onNotLeader(cfg: ClusterConfig, s: StorageState, leader: NodeId | undefined): void {
  s.unanswered = 0;
  if (leader !== undefined && leader !== s.manager) s.manager = leader;
  else {
    s.probe = (s.probe + 1) % cfg.managers.length;
    s.manager = cfg.managers[s.probe] as NodeId;
  }
}

/** The leader answered; with a newer map, start the groups it gives this node. */
export function onMapReply(
  cfg: ClusterConfig,
  s: StorageState,
  from: NodeId,
  map: ShardMap | undefined,
  ctx: NodeContext,
  fx: ClusterEffect[],
): void {
  s.manager = from;
  s.unanswered = 0;
  if (map === undefined || (s.map !== undefined && map.version <= s.map.version)) return;
  s.map = map;
  for (const c of map.shards) {
    if (c === undefined || !c.replicas.includes(ctx.node)) continue;
    const ns = groupNamespace(c.shard, c.epoch);
    if (s.groups.has(ns)) continue;
    const g = new EmbeddedNode<unknown, KvOutput>(
      cfg.createShardGroup(c.replicas),
      ns,
      c.replicas,
      s.tags,
      { markPrefix: GROUP_MARK_PREFIX },
    );
    s.groups.set(ns, g);
    if (s.onDisk.has(ns)) g.recover(ctx, fx);
    else g.init(ctx, fx);
  }
}

/** A client's request: served by the shard's group here, or redirected to a replica of it. */
export function onStorageRequest(
  cfg: ClusterConfig,
  s: StorageState,
  req: ClientRequest<KvInput>,
  ctx: NodeContext,
  fx: ClusterEffect[],
): void {
  const c = s.map?.shards[shardOf(cfg, req.op.key)];
  if (c === undefined) {
    fx.push(redirect(req.id, 'no-shard-map', undefined));
    return;
  }
  const g = s.groups.get(groupNamespace(c.shard, c.epoch));
  if (g !== undefined) g.request(req, ctx, fx);
  else fx.push(redirect(req.id, 'wrong-shard', replicaHint(c.replicas, req.id)));
}

/** A replica to try: spread over the set by request id, so no one replica takes every retry. */
export function replicaHint(replicas: readonly NodeId[], requestId: number): NodeId | undefined {
  return replicas.length === 0 ? undefined : replicas[requestId % replicas.length];
}

export function onGroupDiskDone(
  s: StorageState,
  done: DiskCompletion,
  ctx: NodeContext,
  fx: ClusterEffect[],
): void {
  const who = s.tags.take(done.tag);
  if (who !== undefined) s.groups.get(who.ns)?.diskDone(done, who.tag, ctx, fx);
}
