/**
 * The learner (Paxos Made Simple §2.3, §3): it learns which command each slot chose and applies
 * the log to the state machine in slot order, never past a gap.
 *
 * - From the leader's `Accept` and `Commit`: the leader says its log is chosen up to `chosenTo`;
 *   an acceptance of this leader's ballot for such a slot is the chosen command (a ballot
 *   proposes one command per slot).
 * - From `Learn`: chosen slots the leader resends to a follower that lags (catch-up).
 * - From a snapshot (`InstallSnapshot`, or a Promise), when the slots it lacks were compacted.
 *
 * Applying a slot answers the client the leader holds for it. Every `snapshotEvery` applied
 * slots the learner folds them into a snapshot and the WAL is rewritten from it (Paxos Made
 * Live §5.5), which also drops the acceptances of those slots: they are chosen, and a new
 * leader finds their commands in the snapshot instead.
 */
import { MARKS } from '../../core/marks.js';
import type { NodeContext } from '../../core/protocol.js';
import type { Command, MessageOf, MultiPaxosEffect, Snapshot } from './messages.js';
import type { MultiPaxosConfig } from './multi-paxos-config.js';
import type { MultiPaxosState } from './multi-paxos-state.js';
import { serveReads } from './reads.js';
import { SessionKv } from './session-kv.js';
import { startCompaction } from './wal.js';

/** Learns that `slot` chose `command` (once). */
export function learn(s: MultiPaxosState, slot: number, command: Command): void {
  if (slot <= s.applied || s.chosen.has(slot)) return;
  s.chosen.set(slot, command);
  s.learned.push([slot, command]);
}

/** The leader of `ballot` says its log is chosen up to `chosenTo`: learn what we accepted. */
export function learnUpTo(s: MultiPaxosState, ballot: number, chosenTo: number): void {
  for (let slot = s.applied + 1; slot <= chosenTo; slot++) {
    if (s.chosen.has(slot)) continue;
    const a = s.accepted.get(slot);
    if (a === undefined || a.ballot !== ballot) return;
    learn(s, slot, a.command);
  }
}

/** Applies chosen slots in order; the leader answers each one's client and its reads. */
export function applyChosen(
  cfg: MultiPaxosConfig,
  s: MultiPaxosState,
  ctx: NodeContext,
  fx: MultiPaxosEffect[],
): void {
  const start = s.applied;
  for (let c = s.chosen.get(s.applied + 1); c !== undefined; c = s.chosen.get(s.applied + 1)) {
    s.applied++;
    const output = s.sm.apply(c);
    if (s.role.kind !== 'leader') continue;
    const requestId = s.role.waiting.get(s.applied);
    if (requestId !== undefined) {
      s.role.waiting.delete(s.applied);
      fx.push({ type: 'reply', requestId, outcome: { type: 'ok', value: output } });
    }
    const t = s.role.proposedAt.get(s.applied);
    if (t !== undefined) {
      s.role.proposedAt.delete(s.applied);
      fx.push({ type: 'mark', name: MARKS.replicationLagUs, value: ctx.now - t });
    }
  }
  if (s.applied === start) return;
  if (s.role.kind === 'leader') serveReads(cfg, s, s.role, ctx, fx);
  maybeSnapshot(cfg, s, fx);
}

/** Snapshots the applied prefix once `snapshotEvery` slots were applied since the last one. */
function maybeSnapshot(cfg: MultiPaxosConfig, s: MultiPaxosState, fx: MultiPaxosEffect[]): void {
  const from = s.snapshot?.index ?? 0;
  if (s.compaction !== undefined || s.applied - from < cfg.snapshotEvery) return;
  s.snapshot = s.sm.toSnapshot(s.applied);
  forgetUpTo(s, s.applied);
  startCompaction(s, fx);
}

/** Chosen slots up to `index` live on in the snapshot only. */
function forgetUpTo(s: MultiPaxosState, index: number): void {
  for (const slot of s.chosen.keys()) if (slot <= index) s.chosen.delete(slot);
  for (const slot of s.accepted.keys()) if (slot <= index) s.accepted.delete(slot);
}

/** Adopts a snapshot ahead of what this node applied, and rewrites the WAL from it. */
export function installSnapshot(
  s: MultiPaxosState,
  snapshot: Snapshot,
  fx: MultiPaxosEffect[],
): void {
  if (snapshot.index <= s.applied) return;
  s.sm = SessionKv.fromSnapshot(snapshot);
  s.applied = snapshot.index;
  s.snapshot = snapshot;
  forgetUpTo(s, snapshot.index);
  fx.push({ type: 'mark', name: 'multi-paxos.snapshot-installed' });
  startCompaction(s, fx);
}

export function onLearn(
  cfg: MultiPaxosConfig,
  s: MultiPaxosState,
  m: MessageOf<'Learn'>,
  ctx: NodeContext,
  fx: MultiPaxosEffect[],
): void {
  for (const [slot, command] of m.chosen) learn(s, slot, command);
  applyChosen(cfg, s, ctx, fx);
}

export function onInstallSnapshot(
  cfg: MultiPaxosConfig,
  s: MultiPaxosState,
  m: MessageOf<'InstallSnapshot'>,
  ctx: NodeContext,
  fx: MultiPaxosEffect[],
): void {
  installSnapshot(s, m.snapshot, fx);
  applyChosen(cfg, s, ctx, fx);
}
