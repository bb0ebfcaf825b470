/**
 * A storage node: it hosts one primary/backup node per shard replica it holds, each the
 * primary-backup protocol's own node embedded under the namespace `s<shard>e<epoch>`, whose
 * group is the shard's replica set in that configuration epoch. It learns the shard map from
 * the manager leader, asking every heartbeat (`MapRequest` names the version it holds and the
 * groups it runs, which is also the leader's liveness input), and adopts a newer map:
 *
 * - a group of a configuration the map no longer names stops for good (a superseded epoch, or
 *   a shard moved away): it takes no message, timer or request again, and its files stay as
 *   the frozen source of a state transfer;
 * - a group of epoch 1 starts fresh, or from its files after a restart;
 * - a group of a later epoch starts from a copy of an older epoch's files (transfer.ts): its
 *   own when this node survived from the older epoch, a survivor's otherwise;
 * - the files of superseded groups nothing will read again are deleted (reconcile.ts).
 *
 * Routing: a client request for a key goes to the group of the key's shard (by the ring, or
 * under `sharding: range` the range in this node's map that holds the key) when this node
 * runs it (the group's primary answers; a backup redirects to it, as primary/backup does);
 * otherwise the node answers `fail wrong-shard` naming a replica of the shard, `fail
 * migrating` while the group's copy is being written, `fail no-shard-map` before it has a map.
 * The simulator's clients are generic and follow hints, so the map lives on the nodes.
 */
import type { KvInput, KvOutput } from '../../core/history.js';
import type { NodeId } from '../../core/ids.js';
import type { ClientRequest, DiskCompletion, NodeContext } from '../../core/protocol.js';
import {
  EmbeddedNode,
  SteppedNodes,
  SubNodeTags,
  namespacesIn,
} from '../../components/sub-node/embedded-node.js';
import { redirect } from '../shared/redirect.js';
import { capacityOf } from './capacity.js';
import type { ClusterConfig } from './cluster-config.js';
import { createLoadMeter, type LoadMeter, loadReport, served } from './load-meter.js';
import type {
  ClusterEffect,
  ClusterMessage,
  RangeSize,
  TransferChunkMsg,
  TransferFile,
} from './messages.js';
import { BYTES_MOVED, SHARD_STOPPED, STANDBY_BYTES_MOVED } from './recovery-metrics.js';
import { filesToShip, watchServing } from './recovery-strategy.js';
import { catchUpFrom, caughtUpFiles, suffixFor } from './standby.js';
import { appliedData, isPrimary, type LogPosition } from '../primary-backup/index.js';
import { configHolding } from './range-map.js';
import { groupNamespace, parseNamespace } from '../../core/configuration-id.js';
import { measureRange } from './range-split.js';
import { deleteGroupFiles, obsoleteNamespaces } from './reconcile.js';
import type { ShardMap } from './shard-map.js';
import {
  createPacing,
  dropInbox,
  isSending,
  type Pacing,
  receiveChunk,
  sendPaced,
} from './paced-transfer.js';
import { primaryMark, runningMark, storageNodeMark } from '../../core/placement-marks.js';
import { createPeerLiveness, onPeerTick, type PeerLiveness } from './peer-liveness.js';
import {
  type Copy,
  copiedFrom,
  copyDone,
  otherMembers,
  readGroupFiles,
  writeCopy,
  writeMarker,
} from './transfer.js';

export const STORAGE_TICK = 'storage-tick';
/** Marks of the shard groups: one name per mark, whatever the shard (`pb.role.primary`). */
const GROUP_MARK_PREFIX = 'pb.';
/** Heartbeats without an answer after which the node asks the next manager. */
const UNANSWERED_MAX = 3;

type Group = EmbeddedNode<unknown, KvOutput>;

export interface StorageState {
  readonly kind: 'storage';
  readonly tags: SubNodeTags;
  map: ShardMap | undefined;
  /** Running groups, by namespace. */
  readonly groups: Map<string, Group>;
  /** Groups that stepped since their invariants were last checked (checkGroups). */
  readonly stepped: SteppedNodes;
  /** Their namespaces sorted, as each heartbeat reports them; dropped when one starts or stops. */
  running: readonly string[] | undefined;
  /** Groups being started from a copy, by namespace. */
  readonly copies: Map<string, Copy>;
  /** Namespaces of stopped groups: never run again on this node. */
  readonly stopped: Set<string>;
  /** Namespaces of the groups whose primary this node is, as last marked. */
  readonly leads: Set<string>;
  /** The manager asked next (the leader, once one is named). */
  manager: NodeId;
  /** Managers asked in turn while none is named leader. */
  probe: number;
  /** Heartbeats sent since the manager last answered. */
  unanswered: number;
  /** Groups of a moved shard's new epoch not yet serving (recovery-strategy.ts). */
  readonly serving: Map<string, { readonly shard: number; readonly commitAtStart: number }>;
  /** Under `balance: load`: requests served per shard (load-meter.ts). */
  readonly load: LoadMeter | undefined;
  /** Under `migrationBytesPerSec`: transfers sent and received in chunks (paced-transfer.ts). */
  readonly pacing: Pacing | undefined;
  /** Under `quiesce`: what this node heard from the other storage nodes (peer-liveness.ts). */
  readonly peers: PeerLiveness | undefined;
}

export function bootStorage(
  cfg: ClusterConfig,
  ctx: NodeContext,
  fx: ClusterEffect[],
): StorageState {
  fx.push({ type: 'setTimer', name: STORAGE_TICK, afterUs: 1 });
  const zone = cfg.locality.get(ctx.node)?.zone ?? 'default';
  fx.push({ type: 'mark', name: storageNodeMark(zone), value: capacityOf(cfg.options, ctx.node) });
  return {
    kind: 'storage',
    tags: new SubNodeTags(),
    map: undefined,
    groups: new Map(),
    stepped: new SteppedNodes(),
    running: undefined,
    copies: new Map(),
    stopped: new Set(),
    leads: new Set(),
    manager: cfg.managers[0] as NodeId,
    probe: 0,
    unanswered: 0,
    serving: new Map(),
    load: createLoadMeter(cfg),
    pacing:
      cfg.options.migrationBytesPerSec === undefined
        ? undefined
        : createPacing(cfg.options.migrationBytesPerSec),
    peers: createPeerLiveness(cfg, ctx),
  };
}

/** Every heartbeat: tell the manager what runs here, and ask for copies still awaited. */
export function onStorageTick(
  cfg: ClusterConfig,
  s: StorageState,
  ctx: NodeContext,
  fx: ClusterEffect[],
): void {
  fx.push({ type: 'setTimer', name: STORAGE_TICK, afterUs: cfg.heartbeatUs });
  if (++s.unanswered > UNANSWERED_MAX) onNotLeader(cfg, s, undefined);
  s.running ??= [...s.groups.keys()].sort();
  const running = s.running;
  const version = s.map?.version ?? 0;
  const range = cfg.options.sharding === 'range';
  // Only what the options ask for (spreading `false` builds no object: most report neither).
  const msg: ClusterMessage = {
    type: 'MapRequest',
    version,
    running,
    ...(s.load !== undefined && { load: loadReport(s.load) }),
    ...(range && { sizes: rangeSizes(s) }),
  };
  fx.push({ type: 'send', to: s.manager, msg });
  if (s.peers !== undefined) onPeerTick(cfg, s.peers, s, ctx, fx);
  for (const [ns, copy] of s.copies) {
    if (copy.phase !== 'awaiting') continue;
    const c = configOf(s, ns);
    if (c === undefined) continue;
    const after = catchUpFrom(ctx, copy);
    for (const to of otherMembers(c.replicas, ctx.node))
      fx.push({ type: 'send', to, msg: { type: 'TransferRequest', ns, ...after } });
  }
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

/** The leader answered; with a newer map, stop superseded groups and start the new ones. */
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
  const current = new Set<string>();
  for (const c of map.shards)
    if (c?.replicas.includes(ctx.node)) current.add(groupNamespace(c.shard, c.epoch));
  for (const ns of [...s.groups.keys(), ...s.copies.keys()]) {
    if (current.has(ns)) continue;
    if (s.groups.has(ns) && keptRunning(cfg, ns, current)) continue; // named bugs
    stopGroup(s, ns, fx);
    s.copies.delete(ns);
    s.stopped.add(ns);
    fx.push({ type: 'mark', name: 'cluster.group-stopped' });
    const stopped = parseNamespace(ns);
    if (stopped !== undefined) fx.push({ type: 'mark', name: SHARD_STOPPED, value: stopped.shard });
  }
  // Read once: nothing below changes the disk (writes and deletes are effects, applied after).
  const listing = ctx.disk.list();
  const namespaces = namespacesIn(listing);
  const onDisk = new Set(namespaces);
  for (const ns of [...current].sort()) {
    if (s.groups.has(ns) || s.copies.has(ns)) continue;
    const { shard, epoch } = parseNamespace(ns) as { shard: number; epoch: number };
    if (epoch === 1) startGroup(cfg, s, ns, onDisk.has(ns), ctx, fx);
    else if (copyDone(ctx, ns)) startGroup(cfg, s, ns, true, ctx, fx);
    else {
      // The right half of a split copies the shard it was split from (range-split.ts).
      const from = configOf(s, ns)?.splitFrom ?? shard;
      const own = previousOnDisk(ctx, onDisk, from, epoch);
      // Named bug unclean-transfer: a promoted standby's own files trusted as a voter's.
      const lags =
        !cfg.bugs.uncleanTransfer && configOf(s, ns)?.laggards?.includes(ctx.node) === true;
      startCopy(cfg, s, ns, lags ? undefined : own, ctx, fx, lags ? own : undefined);
    }
  }
  reconcile(s, map, namespaces, listing, ctx, fx);
}

/** Deletes the groups of superseded epochs nothing will read again (reconcile.ts). */
function reconcile(
  s: StorageState,
  map: ShardMap,
  onDisk: readonly string[],
  listing: readonly string[],
  ctx: NodeContext,
  fx: ClusterEffect[],
): void {
  for (const ns of obsoleteNamespaces(map, ctx.node, onDisk)) {
    const files = deleteGroupFiles(listing, ns, () => s.tags.own(), fx);
    if (files > 0) fx.push({ type: 'mark', name: 'cluster.group-deleted', value: files });
  }
}

/** Starts a group's primary/backup node: from its files, or fresh. */
function startGroup(
  cfg: ClusterConfig,
  s: StorageState,
  ns: string,
  fromDisk: boolean,
  ctx: NodeContext,
  fx: ClusterEffect[],
): void {
  const c = configOf(s, ns);
  if (c === undefined) return;
  const inner = cfg.createShardGroup(c.replicas, c.standby ?? [], c.epoch);
  const g: Group = new EmbeddedNode(inner, ns, c.replicas, s.tags, {
    markPrefix: GROUP_MARK_PREFIX,
    stepped: s.stepped,
  });
  s.groups.set(ns, g);
  s.running = undefined;
  if (fromDisk) g.recover(ctx, fx);
  else g.init(ctx, fx);
  watchServing(s, ns, c.shard, c.epoch);
  const p = parseNamespace(ns);
  if (p !== undefined) fx.push({ type: 'mark', name: runningMark(p), value: 1 });
  watchPrimary(s, ns, fx);
}

/**
 * After an event: the invariants of the running groups that stepped, in the order the node
 * holds its groups (the first to fail is the one reported). Most events step one group.
 */
export function checkGroups(s: StorageState, ctx: NodeContext): void {
  const stepped = s.stepped;
  if (stepped.size === 1) {
    const g = stepped.at(0);
    if (s.groups.get(g.ns) === g) g.checkInvariants(ctx);
  } else if (stepped.size > 1) for (const g of s.groups.values()) g.checkInvariants(ctx);
  stepped.clear();
}

/** A group stops running here (its files stay): marked, for the placement checker. */
function stopGroup(s: StorageState, ns: string, fx: ClusterEffect[]): void {
  const p = parseNamespace(ns);
  if (!s.groups.delete(ns)) return;
  s.running = undefined;
  if (p !== undefined) {
    if (s.leads.delete(ns)) fx.push({ type: 'mark', name: primaryMark(p), value: 0 });
    fx.push({ type: 'mark', name: runningMark(p), value: 0 });
  }
}

/**
 * After a step of group `ns`: marks when this node became its primary or stopped being it, as
 * primary/backup's own summary of its state says (the placement checker's primary rule).
 */
export function watchPrimary(s: StorageState, ns: string, fx: ClusterEffect[]): void {
  const g = s.groups.get(ns);
  const leads = g?.state !== undefined && isPrimary(g.state);
  if (leads === s.leads.has(ns)) return;
  const p = parseNamespace(ns);
  if (p === undefined) return;
  if (leads) s.leads.add(ns);
  else s.leads.delete(ns);
  fx.push({ type: 'mark', name: primaryMark(p), value: leads ? 1 : 0 });
}

/**
 * The source of this node's own copy into epoch `epoch`: its files of the epoch just before,
 * whole (epoch 1's own, or a copy that finished), or none. Only that epoch will do: a node
 * holding files of an earlier one was left out of the epochs between, so its files miss what
 * they acknowledged, and a group started from them could elect its stale log and truncate the
 * others' (found by a fuzz sweep with random crashes and partitions: an acknowledged append
 * lost).
 */
function previousOnDisk(
  ctx: NodeContext,
  onDisk: ReadonlySet<string>,
  shard: number,
  epoch: number,
): string | undefined {
  const ns = groupNamespace(shard, epoch - 1);
  return onDisk.has(ns) && (epoch - 1 === 1 || copyDone(ctx, ns)) ? ns : undefined;
}

/** Begins a group's copy: of this node's own older files, or awaits a survivor's. */
function startCopy(
  cfg: ClusterConfig,
  s: StorageState,
  ns: string,
  from: string | undefined,
  ctx: NodeContext,
  fx: ClusterEffect[],
  base?: string,
): void {
  const copy: Copy = {
    from,
    ...(base !== undefined ? { base } : {}),
    phase: 'awaiting',
    outstanding: 0,
    tags: new Set(),
  };
  s.copies.set(ns, copy);
  const awaited = base !== undefined ? 'cluster.standby-catch-up' : 'cluster.transfer-awaited';
  fx.push({ type: 'mark', name: from === undefined ? awaited : 'cluster.transfer-own' });
  // A former standby's own group stops for good too: its files are what it catches up from.
  if (base !== undefined) {
    stopGroup(s, base, fx);
    s.stopped.add(base);
  }
  if (from === undefined) return;
  // The source group stops for good before its files are read: it acknowledges nothing more.
  if (!cfg.bugs.oldGroupsRun && !cfg.bugs.copyDropsWrites) {
    stopGroup(s, from, fx);
    s.stopped.add(from);
  }
  const files = readGroupFiles(ctx, from);
  if (files === undefined) {
    s.copies.set(ns, { ...copy, from: undefined });
    return;
  }
  writeCopy(ns, files, copy, () => s.tags.own(), fx);
}

/** Another member of a new epoch asks for files: send the frozen ones this node copied. */
export function onTransferRequest(
  cfg: ClusterConfig,
  s: StorageState,
  from: NodeId,
  ns: string,
  after: LogPosition | undefined,
  ctx: NodeContext,
  fx: ClusterEffect[],
): void {
  const source = s.copies.get(ns)?.from ?? copiedFrom(ctx, ns);
  if (source === undefined) return;
  if (s.pacing !== undefined && isSending(s.pacing, from, ns)) return;
  const files = readGroupFiles(ctx, source);
  const suffix = files === undefined ? undefined : suffixFor(files, after, fx);
  const ship = suffix ?? (files === undefined ? undefined : filesToShip(cfg, files, fx));
  if (ship === undefined) return;
  if (s.pacing !== undefined) sendPaced(s.pacing, from, ns, source, ship, ctx, fx);
  else fx.push({ type: 'send', to: from, msg: { type: 'Transfer', ns, files: ship } });
}

/** A chunk of a paced transfer: once every chunk of one sender's is here, as a `Transfer`. */
export function onTransferChunk(
  s: StorageState,
  from: NodeId,
  m: TransferChunkMsg,
  ctx: NodeContext,
  fx: ClusterEffect[],
): void {
  const p = s.pacing;
  if (p === undefined) return;
  dropInbox(p, (ns) => s.copies.get(ns)?.phase === 'awaiting');
  if (s.copies.get(m.ns)?.phase !== 'awaiting') return;
  const files = receiveChunk(p, from, m);
  if (files !== undefined) onTransfer(s, m.ns, files, ctx, fx);
}

/** A survivor's files for a group this node awaits: write them, then start from them. */
export function onTransfer(
  s: StorageState,
  ns: string,
  files: readonly TransferFile[],
  ctx: NodeContext,
  fx: ClusterEffect[],
): void {
  const copy = s.copies.get(ns);
  if (copy === undefined || copy.phase !== 'awaiting') return;
  const toWrite = caughtUpFiles(ctx, copy, files);
  if (toWrite === undefined) return;
  fx.push({ type: 'mark', name: 'cluster.transfer-received' });
  const bytes = files.reduce((n, f) => n + f.name.length + f.data.length, 0);
  const standby = configOf(s, ns)?.standby?.includes(ctx.node) === true;
  fx.push({ type: 'mark', name: standby ? STANDBY_BYTES_MOVED : BYTES_MOVED, value: bytes });
  writeCopy(ns, toWrite, copy, () => s.tags.own(), fx);
}

/** A client's request: served by the shard's group here, or redirected. */
export function onStorageRequest(
  cfg: ClusterConfig,
  s: StorageState,
  req: ClientRequest<KvInput>,
  ctx: NodeContext,
  fx: ClusterEffect[],
): void {
  const c = s.map === undefined ? undefined : configHolding(cfg, s.map, req.op.key);
  if (c === undefined) {
    fx.push(redirect(req.id, 'no-shard-map', undefined));
    return;
  }
  const ns = groupNamespace(c.shard, c.epoch);
  const g = s.groups.get(ns);
  const copy = s.copies.get(ns);
  // Named bug copy-drops-writes: the old group serves while its copy is written.
  const serving = cfg.bugs.copyDropsWrites ? s.groups.get(copy?.from ?? '') : undefined;
  if (g !== undefined) {
    if (s.load !== undefined && s.leads.has(ns)) served(s.load, c.shard);
    g.request(req, ctx, fx);
    watchPrimary(s, ns, fx);
  } else if (serving !== undefined) serving.request(req, ctx, fx);
  else if (copy !== undefined) fx.push(redirect(req.id, 'migrating', undefined));
  else fx.push(redirect(req.id, 'wrong-shard', replicaHint(c.replicas, req.id)));
}

/** A replica to try: spread over the set by request id, so no one replica takes every retry. */
export function replicaHint(replicas: readonly NodeId[], requestId: number): NodeId | undefined {
  return replicas.length === 0 ? undefined : replicas[requestId % replicas.length];
}

/**
 * A disk completion: a group's (by its tag), or one of this node's copies. Returns the group
 * it stepped, if that was all it did.
 */
export function onStorageDiskDone(
  cfg: ClusterConfig,
  s: StorageState,
  done: DiskCompletion,
  ctx: NodeContext,
  fx: ClusterEffect[],
): string | undefined {
  const who = s.tags.take(done.tag);
  if (who !== undefined) {
    s.groups.get(who.ns)?.diskDone(done, who.tag, ctx, fx);
    watchPrimary(s, who.ns, fx);
    return who.ns;
  }
  for (const [ns, copy] of s.copies) {
    if (!copy.tags.delete(done.tag)) continue;
    if (!done.ok) restartCopy(cfg, s, ns, copy, ctx, fx);
    else if (done.op === 'write' || --copy.outstanding > 0) return undefined;
    else if (copy.phase === 'files') writeMarker(ns, copy, () => s.tags.own(), fx);
    else {
      s.copies.delete(ns);
      if (cfg.bugs.copyDropsWrites) stopSource(s, copy.from);
      fx.push({ type: 'mark', name: 'cluster.transfer-done' });
      startGroup(cfg, s, ns, true, ctx, fx);
    }
    return undefined;
  }
  return undefined;
}

/** A failed write or fsync of a copy: the pages are gone, write it all again (fsyncgate). */
function restartCopy(
  cfg: ClusterConfig,
  s: StorageState,
  ns: string,
  copy: Copy,
  ctx: NodeContext,
  fx: ClusterEffect[],
): void {
  s.copies.delete(ns);
  startCopy(cfg, s, ns, copy.from, ctx, fx, copy.base);
}

/**
 * Named bugs: whether a group the new map supersedes keeps running. fixed-timeout-two-primaries
 * keeps every one; copy-drops-writes keeps one whose shard this node copies into a new epoch,
 * until that copy is done (stopSource).
 */
function keptRunning(cfg: ClusterConfig, ns: string, current: ReadonlySet<string>): boolean {
  if (cfg.bugs.oldGroupsRun) return true;
  const shard = parseNamespace(ns)?.shard;
  return cfg.bugs.copyDropsWrites && [...current].some((c) => parseNamespace(c)?.shard === shard);
}

/** Named bug copy-drops-writes: the copy is done, the group it came from stops only now. */
function stopSource(s: StorageState, from: string | undefined): void {
  if (from === undefined || !s.groups.delete(from)) return;
  s.running = undefined;
  s.stopped.add(from);
}

/** `sharding: range`: the size of each range whose group this node leads (range-split.ts). */
function rangeSizes(s: StorageState): RangeSize[] {
  const out: RangeSize[] = [];
  for (const ns of [...s.leads].sort()) {
    const c = configOf(s, ns);
    const state = s.groups.get(ns)?.state;
    const data = state === undefined ? undefined : appliedData(state);
    if (c?.range === undefined || data === undefined) continue;
    out.push({ shard: c.shard, epoch: c.epoch, ...measureRange(data, c.range) });
  }
  return out;
}

function configOf(s: StorageState, ns: string) {
  const p = parseNamespace(ns);
  if (p === undefined) return undefined;
  const c = s.map?.shards[p.shard];
  return c !== undefined && c.epoch === p.epoch ? c : undefined;
}
