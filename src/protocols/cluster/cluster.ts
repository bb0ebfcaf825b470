/**
 * The cluster protocol's nodes: the first `managers` nodes are managers (the placement driver,
 * its state on an embedded Raft group: manager.ts), the rest storage nodes (one embedded
 * primary/backup node per shard replica: storage.ts). This file wires the node contract's
 * handlers to the two roles and routes what belongs to an inner node (an envelope, a timer
 * under a namespace, a disk completion by tag) to it.
 */
import { assert } from '../../core/assert.js';
import type { KvInput, KvOutput } from '../../core/history.js';
import type { NodeId } from '../../core/ids.js';
import type { Locality } from '../../core/protocol-definition.js';
import type { NodeContext, Protocol, Step } from '../../core/protocol.js';
import { SubTimerNames } from '../../components/sub-node/embedded-node.js';
import { redirect } from '../shared/redirect.js';
import {
  type ClusterConfig,
  type ClusterOptions,
  createClusterConfig,
  storageMembers,
} from './cluster-config.js';
import {
  bootManager,
  MANAGER_NS,
  MANAGER_TICK,
  type ManagerState,
  onManagerMembership,
  onManagerTick,
  onMapRequest,
  onRaftReplies,
} from './manager.js';
import { type ClusterEffect, type ClusterMessage, isEnvelope } from './messages.js';
import { onPaceTimer, TRANSFER_PACE } from './paced-transfer.js';
import { onPeerHeartbeat } from './peer-liveness.js';
import { noteServing } from './recovery-strategy.js';
import {
  bootStorage,
  checkGroups,
  onMapReply,
  onNotLeader,
  onStorageDiskDone,
  onStorageRequest,
  onStorageTick,
  onTransfer,
  onTransferChunk,
  onTransferRequest,
  replicaHint,
  STORAGE_TICK,
  type StorageState,
  watchPrimary,
} from './storage.js';

export type ClusterState = ManagerState | StorageState;
type ClusterStep = Step<ClusterState, ClusterMessage, KvOutput>;

export function createCluster(
  options: ClusterOptions,
  nodes: readonly NodeId[],
  localities: readonly Locality[] | undefined,
  bugs: ReadonlySet<string> | undefined,
  spares: readonly NodeId[] | undefined,
): Protocol<ClusterState, ClusterMessage, KvInput, KvOutput> {
  const cfg = createClusterConfig(options, nodes, localities, bugs, spares);
  const isManager = (ctx: NodeContext) => cfg.managers.includes(ctx.node);
  const labels = new EnvelopeLabels();
  const timers = new SubTimerNames();
  const boot = (ctx: NodeContext, recover: boolean): ClusterStep => {
    const fx: ClusterEffect[] = [];
    const s = isManager(ctx) ? bootManager(cfg, ctx, recover, fx) : bootStorage(cfg, ctx, fx);
    return { state: s, effects: fx };
  };
  return {
    name: 'cluster',
    init: (ctx) => boot(ctx, false),
    onRecover: (ctx) => boot(ctx, true),

    onMessage(s, from, m, ctx) {
      const fx: ClusterEffect[] = [];
      if (isEnvelope(m)) onEnvelope(cfg, s, from, m.sub, m.msg, ctx, fx);
      else if (s.kind === 'manager') {
        if (m.type === 'MapRequest') onMapRequest(s, from, m, ctx, fx);
      } else if (m.type === 'MapReply') onMapReply(cfg, s, from, m.map, ctx, fx);
      else if (m.type === 'NotLeader') onNotLeader(cfg, s, m.leader);
      else if (m.type === 'TransferRequest')
        onTransferRequest(cfg, s, from, m.ns, m.after, ctx, fx);
      else if (m.type === 'Transfer') onTransfer(s, m.ns, m.files, ctx, fx);
      else if (m.type === 'TransferChunk') onTransferChunk(s, from, m, ctx, fx);
      else if (m.type === 'PeerHeartbeat') {
        // One that woke no group stepped none: nothing can have started serving.
        if (s.peers !== undefined && onPeerHeartbeat(s.peers, s, from, m.boot, ctx, fx))
          noteServing(s, fx);
        return { state: s, effects: fx };
      }
      if (s.kind === 'storage') noteServing(s, fx, isEnvelope(m) ? m.sub : undefined);
      return { state: s, effects: fx };
    },

    onMembership(s, change, ctx) {
      if (s.kind === 'manager') onManagerMembership(cfg, s, change, ctx);
      return { state: s, effects: [] };
    },

    onTimer(s, name, ctx) {
      const fx: ClusterEffect[] = [];
      const sub = timers.of(name);
      if (sub !== undefined) {
        const inner = s.kind === 'manager' ? s.raft : s.groups.get(sub.ns);
        const replies = inner?.timer(sub.name, ctx, fx) ?? [];
        if (s.kind === 'manager') onRaftReplies(cfg, s, replies, ctx, fx);
        else watchPrimary(s, sub.ns, fx);
      } else if (s.kind === 'manager' && name === MANAGER_TICK) onManagerTick(cfg, s, ctx, fx);
      else if (s.kind === 'storage' && name === STORAGE_TICK) onStorageTick(cfg, s, ctx, fx);
      else if (s.kind === 'storage' && name === TRANSFER_PACE && s.pacing !== undefined)
        onPaceTimer(s.pacing, ctx, fx);
      if (s.kind === 'storage') noteServing(s, fx, sub?.ns);
      return { state: s, effects: fx };
    },

    onRequest(s, req, ctx) {
      const fx: ClusterEffect[] = [];
      if (s.kind === 'storage') onStorageRequest(cfg, s, req, ctx, fx);
      else {
        const hint = replicaHint(storageMembers(cfg, ctx.peers), req.id);
        fx.push(redirect(req.id, 'not-storage', hint));
      }
      return { state: s, effects: fx };
    },

    onDiskDone(s, done, ctx) {
      const fx: ClusterEffect[] = [];
      if (s.kind === 'storage') {
        noteServing(s, fx, onStorageDiskDone(cfg, s, done, ctx, fx));
      } else {
        const who = s.tags.take(done.tag);
        assert(who?.ns === MANAGER_NS, () => `${ctx.node}: a completion nobody asked for`);
        onRaftReplies(cfg, s, s.raft.diskDone(done, who.tag, ctx, fx), ctx, fx);
      }
      return { state: s, effects: fx };
    },

    checkInvariants(s, ctx) {
      if (s.kind === 'manager') s.raft.checkInvariants(ctx);
      else checkGroups(s, ctx);
    },

    describeMessage: (m) => (isEnvelope(m) ? labels.of(m.sub, describeInner(m.msg)) : m.type),

    describeState: (s) =>
      s.kind === 'manager'
        ? { role: 'manager', leads: s.map !== undefined, mapVersion: s.map?.version ?? null }
        : { role: 'storage', mapVersion: s.map?.version ?? null, groups: s.groups.size },
  };
}

/**
 * `sub:Type` labels, one kept string per pair for the run: the host folds a message's label
 * into the trace hash through a map, and a fresh concatenation per delivery costs that map a
 * string hash each time.
 */
class EnvelopeLabels {
  private readonly bySub = new Map<string, Map<string, string>>();

  of(sub: string, inner: string): string {
    let byType = this.bySub.get(sub);
    if (byType === undefined) {
      byType = new Map();
      this.bySub.set(sub, byType);
    }
    let label = byType.get(inner);
    if (label === undefined) {
      label = `${sub}:${inner}`;
      byType.set(inner, label);
    }
    return label;
  }
}

/** An inner message's own label (`AppendEntries`, `Replicate`), as its protocol names it. */
function describeInner(msg: unknown): string {
  const t = (msg as { readonly type?: unknown }).type;
  return typeof t === 'string' ? t : '?';
}

/** A message for an inner node: the manager's Raft, or one of the shard groups here. */
function onEnvelope(
  cfg: ClusterConfig,
  s: ClusterState,
  from: NodeId,
  ns: string,
  msg: unknown,
  ctx: NodeContext,
  fx: ClusterEffect[],
): void {
  if (s.kind === 'manager') {
    if (ns === MANAGER_NS) onRaftReplies(cfg, s, s.raft.message(from, msg, ctx, fx), ctx, fx);
    return;
  }
  // A group not started here yet (its map not yet heard): dropped, as a lost message; the
  // primary sends again with its next heartbeat.
  s.groups.get(ns)?.message(from, msg, ctx, fx);
  watchPrimary(s, ns, fx);
}
