/**
 * Booting. A first boot creates the `wal` with the boot record of life 1 and fsyncs it and the
 * directory; a restart replays the WAL (wal.ts) and appends the next life's boot record. Either
 * way the node sends nothing and refuses clients until that record is durable, so no two lives
 * that spoke share a number: peers can tell a restarted replica, which may have lost deltas it
 * had acknowledged, and send it their whole state again (delta-buffer.ts).
 *
 * A restarted node's own buffer is empty and it knows no peer's acknowledgements, so the first
 * thing it ships each peer is its whole state: the full-state fallback after a restart.
 */
import type { NodeContext } from '../../core/protocol.js';
import type { CrdtConfig } from './crdt-config.js';
import { type CrdtEffect, type CrdtState, freshState } from './crdt-state.js';
import { appendWal, bootDurable, replayWal } from './wal.js';

/** Tags the first boot's directory fsync; every other disk effect takes `nextTag`. */
export const DIR_TAG = 0;

export const GOSSIP_TIMER = 'gossip';

export function armGossip(cfg: CrdtConfig, fx: CrdtEffect[]): void {
  fx.push({ type: 'setTimer', name: GOSSIP_TIMER, afterUs: cfg.intervalUs });
}

export function firstBoot(cfg: CrdtConfig, ctx: NodeContext, fx: CrdtEffect[]): CrdtState {
  const s = freshState(cfg, ctx);
  s.boot = 1;
  s.dirSynced = false;
  appendWal(s, [{ t: 'boot', boot: s.boot }], fx);
  fx.push({ type: 'diskSyncDir', tag: DIR_TAG });
  armGossip(cfg, fx);
  return s;
}

export function recover(cfg: CrdtConfig, ctx: NodeContext, fx: CrdtEffect[]): CrdtState {
  if (ctx.disk.size('wal') === undefined) return firstBoot(cfg, ctx, fx);
  const s = freshState(cfg, ctx);
  s.boot = replayWal(cfg, s, ctx, fx) + 1;
  s.working = s.replica;
  s.workingApplied = s.applied;
  appendWal(s, [{ t: 'boot', boot: s.boot }], fx);
  fx.push({ type: 'mark', name: 'crdt.recovered' });
  armGossip(cfg, fx);
  return s;
}

/** The node may speak once its boot record (and, first time, the WAL's name) is durable. */
export function checkReady(s: CrdtState, fx: CrdtEffect[]): void {
  if (s.ready || !s.dirSynced || !bootDurable(s)) return;
  s.ready = true;
  fx.push({ type: 'mark', name: 'crdt.ready' });
}
