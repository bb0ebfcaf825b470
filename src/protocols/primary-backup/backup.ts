/**
 * A backup: it follows the primary of the newest epoch it knows. On `Replicate` it fences older
 * epochs, checks that its log matches the primary's at the previous entry (else it answers
 * `ReplicateNack` with a hint), truncates a conflicting suffix, appends the new entries to its
 * WAL and learns the commit point. It answers `ReplicateOk` only once the entries are durable,
 * because the primary counts an acknowledgement as a copy that survives a crash.
 *
 * Leaves out suspecting the primary (failure-detector.ts) and standing for election
 * (failover.ts).
 */
import { assert } from '../../core/assert.js';
import type { NodeId } from '../../core/ids.js';
import { MARKS } from '../../core/marks.js';
import type { NodeContext } from '../../core/protocol.js';
import { applyCommitted, rollBack } from './commit.js';
import { adoptEpoch } from './epoch.js';
import { electionTimer } from './failure-detector.js';
import type { Entry, PbMessageOf } from './messages.js';
import type { PbConfig } from './pb-config.js';
import { epochAt, type PbEffect, type PbState } from './pb-state.js';
import { quietBackup } from './quiescence.js';
import { persistLog, type WalRecord } from './wal.js';

export function onReplicate(
  cfg: PbConfig,
  s: PbState,
  from: NodeId,
  m: PbMessageOf<'Replicate'>,
  ctx: NodeContext,
  fx: PbEffect[],
): void {
  // Fencing: a primary of an older epoch was deposed and must not get a write acknowledged.
  if (m.epoch < s.epoch && !cfg.bugs.unfencedEpochs) {
    sendNack(s, from, 0, fx);
    return;
  }
  follow(cfg, s, from, m.epoch, ctx, fx);
  if (m.prevIndex > s.log.length || epochAt(s, m.prevIndex) !== m.prevEpoch) {
    sendNack(s, from, conflictHint(s, m.prevIndex), fx);
    return;
  }
  const records = appendEntries(cfg, s, m.entries, fx);
  const verified = m.prevIndex + m.entries.length;
  s.verifiedIndex = verified;
  if (records.length > 0) persistLog(s, records, fx);
  learnCommit(s, m.commitIndex, verified, fx);
  if (records.length === 0 || cfg.bugs.ackBeforeFsync) {
    const matchIndex = cfg.bugs.ackBeforeFsync ? verified : Math.min(verified, s.durableIndex);
    const quiet = records.length === 0 && quietBackup(s, m, verified, fx);
    sendOk(s, from, matchIndex, fx, quiet);
  }
}

/** The WAL became durable further: now, and not before, tell the primary. */
export function acknowledgeDurable(cfg: PbConfig, s: PbState, fx: PbEffect[]): void {
  if (s.role.kind !== 'backup' || s.role.primary === null || cfg.bugs.ackBeforeFsync) return;
  sendOk(s, s.role.primary, Math.min(s.verifiedIndex, s.durableIndex), fx);
}

/** Heard from a primary: take its epoch, follow it, and re-arm the failure detector. */
function follow(
  cfg: PbConfig,
  s: PbState,
  from: NodeId,
  epoch: number,
  ctx: NodeContext,
  fx: PbEffect[],
): void {
  adoptEpoch(cfg, s, epoch, ctx, fx);
  if (s.role.kind === 'backup') s.role.primary = from;
  else s.role = { kind: 'backup', primary: from };
  s.lastHeardUs = ctx.now;
  s.quiesced = false;
  fx.push(electionTimer(cfg, ctx));
}

/**
 * Where the primary should resend from after a mismatch at `prevIndex`: back past the whole
 * conflicting epoch in one step rather than one entry per round trip, never below the commit
 * point.
 */
function conflictHint(s: PbState, prevIndex: number): number {
  let hint = Math.min(s.log.length, prevIndex - 1);
  const conflictEpoch = epochAt(s, hint);
  while (hint > 0 && epochAt(s, hint) === conflictEpoch && hint > s.commitIndex) hint--;
  return hint;
}

/** Appends the entries it lacks, truncating a conflicting suffix; returns the WAL records. */
function appendEntries(
  cfg: PbConfig,
  s: PbState,
  entries: readonly Entry[],
  fx: PbEffect[],
): WalRecord[] {
  const records: WalRecord[] = [];
  for (const e of entries) {
    const existing = s.log[e.index - 1];
    if (existing !== undefined && existing.epoch === e.epoch) continue;
    if (existing !== undefined) truncateFrom(cfg, s, e.index, records, fx);
    s.log.push(e);
    records.push({ t: 'e', e });
  }
  return records;
}

/** Drops the log from `index` on, in memory and (by a marker record) in the WAL. */
function truncateFrom(
  cfg: PbConfig,
  s: PbState,
  index: number,
  records: WalRecord[],
  fx: PbEffect[],
): void {
  if (index <= s.commitIndex) {
    // Only async replication can get here: the old primary committed on its own disk alone,
    // and the new primary never had the entry. The write is lost; roll back.
    assert(cfg.mode === 'async', () => `${s.id} asked to overwrite committed index ${index}`);
    rollBack(s, index - 1, fx);
    fx.push({ type: 'mark', name: 'pb.committed-entries-rolled-back' });
  }
  s.log.length = index - 1;
  // Syncs in flight may vouch for entries that are no longer the ones in the log.
  s.wal.voidPending();
  s.durableIndex = Math.min(s.durableIndex, index - 1);
  records.push({ t: 'trunc', from: index });
}

/** Learns the primary's commit point, as far as this log is verified to match the primary's. */
function learnCommit(s: PbState, commitIndex: number, verified: number, fx: PbEffect[]): void {
  const commit = Math.min(commitIndex, verified);
  if (commit > s.commitIndex) {
    s.commitIndex = commit;
    applyCommitted(s, fx);
  }
  if (s.recovering && s.commitIndex >= commitIndex) {
    s.recovering = false;
    fx.push({ type: 'mark', name: MARKS.caughtUp });
  }
}

function sendOk(s: PbState, to: NodeId, matchIndex: number, fx: PbEffect[], quiet = false): void {
  const msg = { type: 'ReplicateOk' as const, epoch: s.epoch, matchIndex };
  fx.push({ type: 'send', to, msg: quiet ? { ...msg, quiesced: true as const } : msg });
}

function sendNack(s: PbState, to: NodeId, hintIndex: number, fx: PbEffect[]): void {
  fx.push({ type: 'send', to, msg: { type: 'ReplicateNack', epoch: s.epoch, hintIndex } });
}
