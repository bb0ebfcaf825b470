/**
 * Storage nodes watching one another, so that shard groups may go quiet (`quiesce`: primary/
 * backup's quiescence.ts). A quiet group sends nothing, so its backups cannot notice their
 * primary die; instead every heartbeat each storage node sends every other storage member one
 * `PeerHeartbeat` naming its boot, one message per pair for all the groups they share, and
 * wakes groups by what it hears (CockroachDB wakes quiesced ranges from node liveness, and
 * coalesces its ranges' heartbeats per node pair the same way):
 *
 * - a peer silent for longer than a group's election timeout (and three heartbeats) is
 *   suspected: each quiet backup here whose primary is on it is woken, arms its election
 *   timer, and stands if nothing is heard (as it would have, had the group kept heartbeating);
 * - a suspected peer heard again, or a peer heard with a new boot (it restarted), wakes each
 *   quiet primary here whose group it is a member of, which heartbeats again, so the returning
 *   backup hears it before its own election timer fires; a restarted peer also wakes the quiet
 *   backups that followed it (its groups there start as backups, without a primary).
 *
 * The rules read only what a node heard itself: nothing the manager decides. The manager's own
 * detector (liveness.ts) is separate and slower, for moving replicas, not for failover inside a
 * configuration.
 */
import type { NodeId } from '../../core/ids.js';
import type { NodeContext } from '../../core/protocol.js';
import type { EmbeddedNode } from '../../components/sub-node/embedded-node.js';
import { isQuietPrimary, quietPrimaryOf, WAKE_TIMER } from '../primary-backup/index.js';
import { type ClusterConfig, storageMembers } from './cluster-config.js';
import type { ClusterEffect } from './messages.js';

/** Heartbeats a peer may miss before it is suspected, whatever the groups' election timeout. */
const MISSED_MAX = 3;

export interface PeerLiveness {
  /** This node's boot, as its peers tell one incarnation from the next: the boot's time. */
  readonly boot: number;
  /** Each peer's last heartbeat here: when, and the boot it named. */
  readonly heard: Map<NodeId, { readonly at: number; readonly boot: number }>;
  readonly suspected: Set<NodeId>;
  /**
   * The storage members among the host's peers, kept while the host hands the same peer list:
   * it hands a new list when membership changes, and none is ever changed in place.
   */
  members: { readonly of: readonly NodeId[]; readonly list: readonly NodeId[] } | undefined;
}

/** What the wake rules need of a storage node: its running groups, by namespace. */
interface GroupHost {
  readonly groups: ReadonlyMap<string, EmbeddedNode<unknown, unknown>>;
}

export const createPeerLiveness = (
  cfg: ClusterConfig,
  ctx: NodeContext,
): PeerLiveness | undefined =>
  cfg.options.quiesce
    ? { boot: ctx.now, heard: new Map(), suspected: new Set(), members: undefined }
    : undefined;

/** How long a peer may stay silent before it is suspected. */
function silenceUs(cfg: ClusterConfig): number {
  return Math.max(cfg.options.shard.electionTimeoutMs * 1000, MISSED_MAX * cfg.heartbeatUs);
}

/** Every heartbeat: one `PeerHeartbeat` to each other storage member; suspect the silent. */
export function onPeerTick(
  cfg: ClusterConfig,
  l: PeerLiveness,
  host: GroupHost,
  ctx: NodeContext,
  fx: ClusterEffect[],
): void {
  const limit = silenceUs(cfg);
  for (const p of storagePeers(cfg, l, ctx.peers)) {
    if (p === ctx.node) continue;
    fx.push({ type: 'send', to: p, msg: { type: 'PeerHeartbeat', boot: l.boot } });
    const last = l.heard.get(p)?.at ?? l.boot;
    if (ctx.now - last <= limit || l.suspected.has(p)) continue;
    l.suspected.add(p);
    wakeFollowers(host, p, ctx, fx);
  }
}

/** The storage members among `peers`, worked out again only when the list is a new one. */
function storagePeers(cfg: ClusterConfig, l: PeerLiveness, peers: readonly NodeId[]) {
  if (l.members?.of !== peers) l.members = { of: peers, list: storageMembers(cfg, peers) };
  return l.members.list;
}

/**
 * A peer's heartbeat: a returning or restarted peer wakes the groups that must hear it.
 * Returns whether it woke any (stepped a group).
 */
export function onPeerHeartbeat(
  l: PeerLiveness,
  host: GroupHost,
  from: NodeId,
  boot: number,
  ctx: NodeContext,
  fx: ClusterEffect[],
): boolean {
  const before = l.heard.get(from);
  const restarted = before !== undefined && before.boot !== boot;
  const returned = l.suspected.delete(from);
  l.heard.set(from, { at: ctx.now, boot });
  if (restarted) wakeFollowers(host, from, ctx, fx);
  if (restarted || returned) wakePrimaries(host, from, ctx, fx);
  return restarted || returned;
}

/** Wakes each quiet backup here whose primary is on `peer`. */
function wakeFollowers(host: GroupHost, peer: NodeId, ctx: NodeContext, fx: ClusterEffect[]) {
  for (const g of host.groups.values())
    if (g.state !== undefined && quietPrimaryOf(g.state) === peer) g.timer(WAKE_TIMER, ctx, fx);
}

/** Wakes each quiet primary here whose group has `peer` as a member. */
function wakePrimaries(host: GroupHost, peer: NodeId, ctx: NodeContext, fx: ClusterEffect[]) {
  for (const g of host.groups.values())
    if (g.state !== undefined && g.members.includes(peer) && isQuietPrimary(g.state))
      g.timer(WAKE_TIMER, ctx, fx);
}
