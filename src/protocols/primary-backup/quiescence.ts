/**
 * Quiescence, as CockroachDB's quiesced ranges: a group with nothing to replicate stops
 * heartbeating, so a node holding dozens of idle groups sends and takes nothing for them.
 *
 * - The primary, at a heartbeat when every entry is committed, on every backup's disk, and no
 *   client waits, sends `Replicate` with `quiesce` to each backup not yet quiet.
 * - A backup whose log matches the primary's to its end and knows the whole log committed goes
 *   quiet: it cancels its election timer and answers `ReplicateOk` with `quiesced`.
 * - Once every backup is quiet, the primary lets its heartbeat timer lapse.
 * - An append wakes the group: the primary heartbeats again, and its `Replicate` (without
 *   `quiesce`) re-arms each backup's election timer as any heartbeat does.
 *
 * A quiet backup cannot notice its primary die, so quiescence needs a host that watches the
 * members' nodes (the option is an embedder's, not a scenario's): it fires `WAKE_TIMER` at a
 * quiet backup whose primary's node failed or restarted (the backup arms its election timer),
 * and at a quiet primary when a member's node returns or restarts (it heartbeats again, so
 * the returning backup hears it before its own election timer fires). A quiet backup counts
 * as hearing its primary (failure-detector.ts): its host would have woken it otherwise.
 *
 * Leaves out quiescing a group with a lagging member: the primary keeps heartbeating it, as
 * CockroachDB keeps a range with a behind follower awake.
 */
import type { NodeId } from '../../core/ids.js';
import type { NodeContext, TimerName } from '../../core/protocol.js';
import { electionTimer } from './failure-detector.js';
import type { PbMessageOf } from './messages.js';
import type { PbConfig } from './pb-config.js';
import type { PbEffect, PbState } from './pb-state.js';

/** The timer name a host fires to wake a quiet group member (never armed by the node itself). */
export const WAKE_TIMER: TimerName = 'wake';

/** Whether a primary has nothing in flight: all committed, on every backup, nobody waiting. */
function idle(s: PbState): boolean {
  if (s.role.kind !== 'primary') return false;
  const end = s.log.length;
  if (s.commitIndex !== end || s.role.waiting.size > 0) return false;
  for (const p of s.peers) if (s.role.matchIndex.get(p) !== end) return false;
  return true;
}

/**
 * The primary's heartbeat under quiescence: the backups still to go quiet, or none once every
 * one is (the timer is then not re-armed). Returns the backups to send `Replicate` to and
 * whether with `quiesce`.
 */
export function heartbeatTargets(s: PbState): { to: readonly NodeId[]; quiesce: boolean } {
  if (s.role.kind !== 'primary') return { to: [], quiesce: false };
  if (!idle(s)) {
    s.role.quiet.clear();
    return { to: s.peers, quiesce: false };
  }
  const quiet = s.role.quiet;
  const to = s.peers.filter((p) => !quiet.has(p));
  if (to.length === 0) s.role.heartbeating = false;
  return { to, quiesce: true };
}

/** An append: the group is busy again, and a quiet primary heartbeats once more. */
export function wakeOnAppend(cfg: PbConfig, s: PbState, fx: PbEffect[]): void {
  if (s.role.kind !== 'primary' || !cfg.quiesce) return;
  s.role.quiet.clear();
  if (s.role.heartbeating) return;
  s.role.heartbeating = true;
  fx.push({ type: 'setTimer', name: 'heartbeat', afterUs: cfg.heartbeatUs });
}

/**
 * A backup, after taking a `Replicate` with nothing to append: goes quiet when asked to and its
 * log is the primary's, whole, committed and durable. Returns whether it did.
 */
export function quietBackup(
  s: PbState,
  m: PbMessageOf<'Replicate'>,
  verified: number,
  fx: PbEffect[],
): boolean {
  const end = s.log.length;
  if (m.quiesce !== true || s.role.kind !== 'backup' || verified !== end) return false;
  if (m.commitIndex !== end || s.commitIndex !== end || s.durableIndex < end) return false;
  s.quiesced = true;
  fx.push({ type: 'cancelTimer', name: 'election' });
  return true;
}

/** A backup's `ReplicateOk`: counts it quiet when it said so at the log's end, else not. */
export function noteQuiet(s: PbState, from: NodeId, m: PbMessageOf<'ReplicateOk'>): void {
  if (s.role.kind !== 'primary') return;
  if (m.quiesced === true && m.matchIndex === s.log.length) s.role.quiet.add(from);
  else s.role.quiet.delete(from);
}

/**
 * The host woke this node: a quiet backup arms its election timer; a primary that stopped
 * heartbeating starts again (and asks the backups to go quiet anew). Returns whether a primary
 * must heartbeat now (primary.ts does, to keep the modules one way).
 */
export function onWake(cfg: PbConfig, s: PbState, ctx: NodeContext, fx: PbEffect[]): boolean {
  if (s.role.kind === 'primary') {
    s.role.quiet.clear();
    if (s.role.heartbeating) return false;
    s.role.heartbeating = true;
    return true;
  }
  unquiesce(cfg, s, ctx, fx);
  return false;
}

/** A quiet backup that must watch for a primary again (woken, or moved to a newer epoch). */
export function unquiesce(cfg: PbConfig, s: PbState, ctx: NodeContext, fx: PbEffect[]): void {
  if (!s.quiesced) return;
  s.quiesced = false;
  fx.push(electionTimer(cfg, ctx));
}

/** The primary a quiet backup follows (for its host's wake rule), or undefined. */
export function quietPrimaryOf(state: unknown): NodeId | undefined {
  const s = state as PbState;
  return s.quiesced && s.role.kind === 'backup' ? (s.role.primary ?? undefined) : undefined;
}

/** Whether a node is a primary that stopped heartbeating (its whole group quiet). */
export function isQuietPrimary(state: unknown): boolean {
  const s = state as PbState;
  return s.role.kind === 'primary' && !s.role.heartbeating;
}
