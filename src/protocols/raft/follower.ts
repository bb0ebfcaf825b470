/**
 * A follower's side of log replication: Figure 2's AppendEntries receiver. It refuses a stale
 * term; it checks that its log holds `prevLogIndex` with `prevLogTerm` (the consistency check
 * that, by induction, makes the logs match up to there), answering a mismatch with the first
 * index of the conflicting term so the leader skips the term in one round (§5.3); it truncates
 * only from the first entry that conflicts, never on a message that merely ends early (it may be
 * stale and reordered); and it commits at most what it verified: min(leaderCommit, the last
 * index this message vouches for).
 *
 * New entries are acknowledged once they are durable (disk-completions.ts), so a leader never
 * counts an entry a crash could still take from this node.
 */
import { assert } from '../../core/assert.js';
import type { NodeId } from '../../core/ids.js';
import { MARKS } from '../../core/marks.js';
import type { NodeContext } from '../../core/protocol.js';
import { applyCommitted } from './commit.js';
import type { Entry, MessageOf, RaftEffect } from './messages.js';
import { send } from './meta.js';
import type { RaftConfig } from './raft-config.js';
import type { RaftState } from './raft-state.js';
import { becomeFollower } from './step-down.js';
import { electionTimer } from './timers.js';
import { appendEntry, truncateLog } from './wal.js';

export function onAppendEntries(
  cfg: RaftConfig,
  s: RaftState,
  from: NodeId,
  m: MessageOf<'AppendEntries'>,
  ctx: NodeContext,
  fx: RaftEffect[],
): void {
  if (m.term < s.term) return refuseAppend(s, from, 0, m.probe, fx);
  if (s.role.kind === 'leader') return; // a second leader in this term: the observer reports it
  if (s.role.kind !== 'follower' || s.role.leader !== from)
    becomeFollower(cfg, s, m.term, from, ctx, fx);
  s.lastHeardUs = ctx.now;
  // The bug: the timeout keeps running from whenever it was last armed, so a follower of a live
  // leader stands for election anyway.
  if (!cfg.bugs.timerNotResetOnAppend) fx.push(electionTimer(cfg, ctx));
  // Entries inside our snapshot are committed, so they match the leader's: skip them.
  let prevLogIndex = m.prevLogIndex;
  let prevLogTerm = m.prevLogTerm;
  let entries = m.entries;
  if (prevLogIndex < s.log.snapshotIndex) {
    entries = entries.filter((e) => e.index > s.log.snapshotIndex);
    prevLogIndex = s.log.snapshotIndex;
    prevLogTerm = s.log.snapshotTerm;
  }
  if (s.log.termAt(prevLogIndex) !== prevLogTerm)
    return refuseAppend(s, from, conflictIndex(s, prevLogIndex), m.probe, fx);
  acceptEntries(cfg, s, from, m, prevLogIndex, entries, ctx, fx);
}

/** The log matched at `prevLogIndex`: take the entries, commit what they verify, answer. */
function acceptEntries(
  cfg: RaftConfig,
  s: RaftState,
  from: NodeId,
  m: MessageOf<'AppendEntries'>,
  prevLogIndex: number,
  entries: readonly Entry[],
  ctx: NodeContext,
  fx: RaftEffect[],
): void {
  const grew = appendNew(s, from, entries, fx);
  const lastNew = prevLogIndex + entries.length;
  if (cfg.bugs.truncateOnStaleAppend && s.log.lastIndex > lastNew) {
    // The bug: treat the end of this (possibly stale, reordered) message as the end of the log.
    const at = Math.max(lastNew, s.commitIndex) + 1;
    if (at <= s.log.lastIndex) truncateLog(s, at);
  }
  s.verifiedIndex = Math.min(Math.max(s.verifiedIndex, lastNew), s.log.lastIndex);
  if (m.probe > s.leaderProbe) s.leaderProbe = m.probe;
  const verified = cfg.bugs.commitPastVerified ? s.log.lastIndex : lastNew;
  const commit = Math.min(m.leaderCommit, verified);
  if (commit > s.commitIndex) {
    s.commitIndex = commit;
    applyCommitted(cfg, s, ctx, fx);
  }
  if (s.recovering && s.commitIndex >= m.leaderCommit) {
    s.recovering = false;
    fx.push({ type: 'mark', name: MARKS.caughtUp });
  }
  // New entries are answered once they are durable (onDurable, carrying the probe); answering
  // now as well would only repeat the old matchIndex.
  if (!(grew && s.durableIndex < lastNew)) acknowledgeAppend(s, from, m.probe, fx);
}

/** Appends what the log lacks, truncating from the first conflict; returns whether it changed. */
function appendNew(
  s: RaftState,
  from: NodeId,
  entries: readonly Entry[],
  fx: RaftEffect[],
): boolean {
  let grew = false;
  for (const e of entries) {
    const have = s.log.termAt(e.index);
    if (have === e.term) continue;
    grew = true;
    if (have !== undefined) {
      assert(
        e.index > s.commitIndex,
        () => `${s.id}: AppendEntries from ${from} would overwrite committed index ${e.index}`,
      );
      truncateLog(s, e.index);
      fx.push({ type: 'mark', name: 'raft.conflict-truncated' });
    }
    appendEntry(s, e);
  }
  return grew;
}

/** Where the leader should retry (§5.3): past our end, or the conflicting term's first index. */
function conflictIndex(s: RaftState, prevLogIndex: number): number {
  if (prevLogIndex > s.log.lastIndex) return s.log.lastIndex + 1;
  const t = s.log.termAt(prevLogIndex);
  let i = prevLogIndex;
  while (i - 1 > Math.max(s.commitIndex, s.log.snapshotIndex) && s.log.termAt(i - 1) === t) i--;
  return Math.max(i, 1);
}

function refuseAppend(
  s: RaftState,
  to: NodeId,
  conflict: number,
  probe: number,
  fx: RaftEffect[],
): void {
  send(
    s,
    to,
    {
      type: 'AppendEntriesReply',
      term: s.term,
      success: false,
      matchIndex: 0,
      conflictIndex: conflict,
      probe,
    },
    fx,
  );
}

/** Success, reporting the prefix that both matches the leader's log and is durable here. */
export function acknowledgeAppend(s: RaftState, to: NodeId, probe: number, fx: RaftEffect[]): void {
  send(
    s,
    to,
    {
      type: 'AppendEntriesReply',
      term: s.term,
      success: true,
      matchIndex: Math.min(s.verifiedIndex, s.durableIndex),
      conflictIndex: 0,
      probe,
    },
    fx,
  );
}
