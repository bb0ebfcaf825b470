/**
 * A follower's side of InstallSnapshot (extended paper §7, Figure 13): the leader sends its
 * snapshot to a follower whose nextIndex fell inside it. A snapshot the follower has already
 * committed past changes nothing and is answered at once. Otherwise the follower keeps the
 * entries after the snapshot if its log holds the snapshot's last entry (same index and term),
 * and discards its whole log if not; it adopts the snapshot's state machine and answers once
 * the snapshot is durable (the rewrite in snapshots.ts, answered in disk-completions.ts).
 *
 * Left out: chunking (the whole snapshot travels in one message).
 */
import type { NodeId } from '../../core/ids.js';
import type { NodeContext } from '../../core/protocol.js';
import { installInStore, logBase } from './lsm-storage.js';
import type { MessageOf, RaftEffect, Snapshot } from './messages.js';
import { send } from './meta.js';
import type { RaftConfig } from './raft-config.js';
import type { RaftState } from './raft-state.js';
import { startCompaction } from './snapshots.js';
import { becomeFollower } from './step-down.js';
import { electionTimer } from './timers.js';

export function onInstallSnapshot(
  cfg: RaftConfig,
  s: RaftState,
  from: NodeId,
  m: MessageOf<'InstallSnapshot'>,
  ctx: NodeContext,
  fx: RaftEffect[],
): void {
  if (m.term < s.term) return answerSnapshot(s, from, 0, m.probe, fx);
  if (s.role.kind === 'leader') return;
  if (s.role.kind !== 'follower' || s.role.leader !== from)
    becomeFollower(cfg, s, m.term, from, ctx, fx);
  s.lastHeardUs = ctx.now;
  fx.push(electionTimer(cfg, ctx));
  const snap = m.snapshot;
  if (snap.index <= s.commitIndex) {
    s.verifiedIndex = Math.max(s.verifiedIndex, Math.min(snap.index, s.log.lastIndex));
    answerSnapshot(s, from, Math.min(snap.index, s.durableIndex), m.probe, fx);
    return;
  }
  // Busy with a rewrite or an install: the leader sends it again with its next heartbeat.
  if (s.compaction !== undefined || s.pendingInstall !== undefined) return;
  fx.push({ type: 'mark', name: 'raft.snapshot-installed' });
  installSnapshot(cfg, s, m);
  const replyTo = { to: from, term: s.term };
  if (s.store === undefined) startCompaction(s, snap, fx, replyTo);
  else {
    // Nothing goes to the old WAL until the rewrite: what it would vouch for is void.
    s.wal.voidPending();
    const seq = installInStore(s.store, snap, fx);
    s.pendingInstall = { snapshot: s.snapshot as Snapshot, replyTo, seq };
  }
}

/** Adopts the snapshot's log base and state machine, keeping the entries after it if they match. */
function installSnapshot(cfg: RaftConfig, s: RaftState, m: MessageOf<'InstallSnapshot'>): void {
  const snap = m.snapshot;
  if (s.log.termAt(snap.index) === snap.term && s.log.chainAt(snap.index) !== undefined)
    s.log.compactTo(snap.index);
  else {
    // Our log conflicts with the snapshot: only its committed prefix is known to match what
    // is on disk until the rewrite (startCompaction) lands.
    s.log.resetTo(snap.index, snap.term, snap.chain);
    s.durableIndex = Math.min(s.durableIndex, s.commitIndex);
  }
  if (s.store === undefined) s.sm = cfg.stateMachine.fromSnapshot(snap);
  s.snapshot = s.store === undefined ? snap : logBase(snap);
  s.commitIndex = s.lastApplied = snap.index;
  s.verifiedIndex = Math.max(snap.index, Math.min(s.verifiedIndex, s.log.lastIndex));
}

/** InstallSnapshotReply: `matchIndex` is what is both the leader's and durable here. */
export function answerSnapshot(
  s: RaftState,
  to: NodeId,
  matchIndex: number,
  probe: number,
  fx: RaftEffect[],
): void {
  send(s, to, { type: 'InstallSnapshotReply', term: s.term, matchIndex, probe }, fx);
}
