/**
 * Primary/backup replication of a key-value store, in two modes.
 *
 * - `sync`: the primary acknowledges a command only once it is durable on itself and on every
 *   backup. Reads go through the log too, so they are linearizable. A dead backup blocks writes
 *   until it returns: that is the price of synchronous replication, and the lesson it teaches.
 * - `async`: the primary acknowledges once the command is durable on its own disk and ships it
 *   to backups in the background; reads are served from the primary's memory. A primary crash or
 *   partition can lose acknowledged writes when a backup that never received them takes over.
 *
 * Failover: backups watch the primary's heartbeats (`Replicate`); one that hears nothing for a
 * randomized timeout suspects the primary and stands for a new epoch, and a majority elects the
 * most up-to-date candidate (last log epoch, then index), as in Viewstamped Replication's view
 * change and Raft. Votes are persisted before they are sent; entries are fsynced before they are
 * acknowledged; a new primary commits a no-op of its epoch before earlier entries count. Epochs
 * fence old primaries: a backup rejects `Replicate` from an older epoch.
 *
 * This file only wires the handlers of the node contract to the modules that implement each
 * concern (README, "Files"); it holds no protocol rule of its own beyond routing.
 */
import { assert } from '../../core/assert.js';
import type { KvInput, KvOutput } from '../../core/history.js';
import type { NodeId } from '../../core/ids.js';
import type {
  DiskCompletion,
  NodeContext,
  Protocol,
  Step,
  TimerName,
} from '../../core/protocol.js';
import { acknowledgeDurable, onReplicate } from './backup.js';
import { firstBoot, INIT_TAG, onFirstBootDurable, recover } from './boot.js';
import { maybeCheckpoint, onCheckpointDone } from './checkpoint.js';
import { advanceCommit } from './commit.js';
import { onMetaSynced, onRequestVote, onVote, startCandidacy } from './failover.js';
import { onFsyncFailed } from './fsync-failure.js';
import type { PbMessage } from './messages.js';
import { LSM_SYNC_TIMER, onSyncTimer } from './lsm-storage.js';
import { createPbConfig, type PbConfig, type PbOptions } from './pb-config.js';
import type { PbEffect, PbState } from './pb-state.js';
import { onClientRequest, onHeartbeat, onReplicateNack, onReplicateOk } from './primary.js';
import { describePbState } from './describe-state.js';
import { onWake, WAKE_TIMER } from './quiescence.js';

// index.ts takes the options type from here, with createPrimaryBackup.
export type { PbOptions } from './pb-config.js';

type PbStep = Step<PbState, PbMessage, KvOutput>;

const step = (s: PbState, fx: PbEffect[]): PbStep => ({ state: s, effects: fx });

export function createPrimaryBackup(
  options: PbOptions,
  bugs: ReadonlySet<string>,
  nodes: readonly NodeId[],
): Protocol<PbState, PbMessage, KvInput, KvOutput> {
  const cfg = createPbConfig(options, bugs, nodes);
  return {
    name: 'primary-backup',

    init(ctx) {
      const fx: PbEffect[] = [];
      return step(firstBoot(cfg, ctx, fx), fx);
    },

    onRecover(ctx) {
      const fx: PbEffect[] = [];
      return step(recover(cfg, ctx, fx), fx);
    },

    onMessage(s, from, m, ctx) {
      const fx: PbEffect[] = [];
      if (s.ready) routeMessage(cfg, s, from, m, ctx, fx);
      maybeCheckpoint(cfg, s, fx);
      return step(s, fx);
    },

    onTimer(s, timer, ctx) {
      const fx: PbEffect[] = [];
      if (timer === LSM_SYNC_TIMER) onSyncTimer(cfg, s, fx);
      else if (s.ready) routeTimer(cfg, s, timer, ctx, fx);
      return step(s, fx);
    },

    onRequest(s, req, ctx) {
      const fx: PbEffect[] = [];
      onClientRequest(cfg, s, req, ctx, fx);
      return step(s, fx);
    },

    onDiskDone(s, done, ctx) {
      const fx: PbEffect[] = [];
      routeDiskDone(cfg, s, done, ctx, fx);
      maybeCheckpoint(cfg, s, fx);
      return step(s, fx);
    },

    checkInvariants,

    describeMessage: (m) => m.type,

    describeState: describePbState,
  };
}

function routeMessage(
  cfg: PbConfig,
  s: PbState,
  from: NodeId,
  m: PbMessage,
  ctx: NodeContext,
  fx: PbEffect[],
): void {
  switch (m.type) {
    case 'Replicate':
      return onReplicate(cfg, s, from, m, ctx, fx);
    case 'ReplicateOk':
      return onReplicateOk(cfg, s, from, m, ctx, fx);
    case 'ReplicateNack':
      return onReplicateNack(cfg, s, from, m, ctx, fx);
    case 'RequestVote':
      return onRequestVote(cfg, s, from, m, ctx, fx);
    case 'Vote':
      return onVote(cfg, s, from, m, ctx, fx);
  }
}

function routeTimer(
  cfg: PbConfig,
  s: PbState,
  timer: TimerName,
  ctx: NodeContext,
  fx: PbEffect[],
): void {
  if (timer === 'heartbeat' && s.role.kind === 'primary') onHeartbeat(cfg, s, fx);
  else if (timer === 'election' && s.role.kind !== 'primary') startCandidacy(cfg, s, ctx, fx);
  else if (timer === WAKE_TIMER && cfg.quiesce && onWake(cfg, s, ctx, fx)) onHeartbeat(cfg, s, fx);
}

/**
 * Write completions change nothing: only an fsync (or the first boot's directory fsync) makes
 * something durable that the node was waiting for.
 */
function routeDiskDone(
  cfg: PbConfig,
  s: PbState,
  done: DiskCompletion,
  ctx: NodeContext,
  fx: PbEffect[],
): void {
  if (s.store?.owns(done.tag) === true) return s.store.onDiskDone(done, fx);
  if (done.tag === INIT_TAG && done.op === 'syncDir') return onFirstBootDurable(cfg, s, ctx, fx);
  if (onCheckpointDone(s, done, fx)) return;
  if (done.op !== 'sync') return;
  if (!done.ok) return onFsyncFailed(cfg, s, done, fx);
  if (s.wal.owns(done.tag)) return onWalSynced(cfg, s, done, fx);
  onMetaSynced(cfg, s, done.tag, ctx, fx);
}

/**
 * A WAL fsync completed: the log is durable up to what it vouches for (never past the log as it
 * is now). A primary may commit more; a backup acknowledges.
 */
function onWalSynced(cfg: PbConfig, s: PbState, done: DiskCompletion, fx: PbEffect[]): void {
  const r = s.wal.synced(done.tag, true);
  if (r.kind !== 'durable') return;
  const index = Math.min(r.mark, s.log.length);
  if (index <= s.durableIndex) return;
  s.durableIndex = index;
  if (s.role.kind === 'primary') advanceCommit(cfg, s, fx);
  else acknowledgeDurable(cfg, s, fx);
}

/** `applied ≤ commitIndex ≤ log length`, checked by the host after every step. */
function checkInvariants(s: PbState): void {
  assert(
    s.commitIndex <= s.log.length,
    () => `${s.id}: commitIndex ${s.commitIndex} beyond log ${s.log.length}`,
  );
  assert(s.applied <= s.commitIndex, () => `${s.id}: applied beyond commitIndex`);
}
