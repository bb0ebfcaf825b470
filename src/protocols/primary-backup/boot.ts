/**
 * Booting. A first boot formats the disk: a first `meta` slot, an empty `wal`, and a directory
 * fsync so both files survive a crash; the node takes part only once that fsync completes. A
 * restart reads back the epoch, the vote and the log (a disk with either file missing never
 * finished its first boot, and starts over), and counts as recovering until it has caught up
 * with a primary (backup.ts marks `recovery.caught-up`).
 *
 * A node that took checkpoints starts from the newest (checkpoint.ts), then replays the WAL.
 *
 * Under `storage: lsm` the engine is opened too, and its applied mark is where applying resumes
 * (lsm-storage.ts).
 *
 * Leaves out the commit point: it is not persisted, so a restarted node relearns it from the
 * primary and replays its kv store as entries commit again.
 */
import type { NodeContext } from '../../core/protocol.js';
import { loadCheckpoint } from './checkpoint.js';
import { electionTimer } from './failure-detector.js';
import { openStore, resumeFromStore } from './lsm-storage.js';
import { persistMeta, readMeta } from './meta.js';
import type { PbConfig } from './pb-config.js';
import { freshState, type PbEffect, type PbState } from './pb-state.js';
import { readWal } from './wal.js';

/** Tags the first boot's empty `wal` write and directory fsync; all else takes `nextTag`. */
export const INIT_TAG = 0;

export function firstBoot(cfg: PbConfig, ctx: NodeContext, fx: PbEffect[]): PbState {
  const s = freshState(ctx);
  openStore(cfg, s, ctx, fx);
  persistMeta(s, fx);
  fx.push({ type: 'diskWrite', file: 'wal', offset: 0, data: new Uint8Array(0), tag: INIT_TAG });
  fx.push({ type: 'diskSyncDir', tag: INIT_TAG });
  return s;
}

/** The first boot's directory fsync completed: the node starts watching for a primary. */
export function onFirstBootDurable(
  cfg: PbConfig,
  s: PbState,
  ctx: NodeContext,
  fx: PbEffect[],
): void {
  // An engine image that could not be recovered: the node takes no part.
  if (cfg.lsm !== undefined && s.store === undefined) return;
  s.ready = true;
  fx.push(electionTimer(cfg, ctx));
}

export function recover(cfg: PbConfig, ctx: NodeContext, fx: PbEffect[]): PbState {
  if (ctx.disk.size('wal') === undefined || ctx.disk.size('meta') === undefined)
    return firstBoot(cfg, ctx, fx);
  const s = freshState(ctx);
  readMeta(s, ctx);
  if (!openStore(cfg, s, ctx, fx)) return s;
  loadCheckpoint(s, ctx, fx);
  readWal(s, ctx, fx);
  resumeFromStore(s, fx);
  s.durableIndex = s.log.length;
  s.ready = true;
  s.recovering = true;
  fx.push(electionTimer(cfg, ctx));
  return s;
}
