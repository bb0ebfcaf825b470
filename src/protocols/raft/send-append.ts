/**
 * What a leader sends each follower (Figure 2, AppendEntries): up to `batchMax` entries from
 * `nextIndex`, which advances optimistically past what was sent so the next batch follows at
 * once; InstallSnapshot instead when `nextIndex` fell inside the snapshot (§7). Every message
 * carries the current heartbeat round (`probe`), which the follower echoes: ReadIndex counts
 * those echoes to confirm leadership (read-index.ts).
 *
 * Left out: flow control beyond `batchMax` (no window of messages in flight per follower).
 */
import type { NodeId } from '../../core/ids.js';
import { snapshotToSend } from './lsm-storage.js';
import type { RaftEffect } from './messages.js';
import { send } from './meta.js';
import type { RaftConfig } from './raft-config.js';
import type { Leader, RaftState } from './raft-state.js';

/** AppendEntries from nextIndex, or InstallSnapshot when that is compacted away. */
export function sendAppend(
  cfg: RaftConfig,
  s: RaftState,
  l: Leader,
  to: NodeId,
  probe: number,
  fx: RaftEffect[],
): void {
  const next = l.nextIndex.get(to) ?? s.log.lastIndex + 1;
  const snapshot = next <= s.log.snapshotIndex ? snapshotToSend(s) : undefined;
  if (snapshot !== undefined) {
    send(s, to, { type: 'InstallSnapshot', term: s.term, snapshot, probe }, fx);
    l.nextIndex.set(to, snapshot.index + 1);
    return;
  }
  const prevLogIndex = Math.max(next - 1, s.log.snapshotIndex);
  const entries = s.log.slice(prevLogIndex + 1, cfg.batchMax);
  send(
    s,
    to,
    {
      type: 'AppendEntries',
      term: s.term,
      prevLogIndex,
      prevLogTerm: s.log.termAt(prevLogIndex) as number,
      entries,
      leaderCommit: s.commitIndex,
      probe,
    },
    fx,
  );
  l.nextIndex.set(to, prevLogIndex + entries.length + 1);
}

/** The heartbeat round: one AppendEntries to every follower. */
export function broadcast(cfg: RaftConfig, s: RaftState, l: Leader, fx: RaftEffect[]): void {
  for (const p of s.peers) {
    // A heartbeat also retransmits what a follower has not confirmed, in case it was lost. A
    // follower that has confirmed nothing yet is probed where nextIndex stands instead: its
    // answer (or refusal, with a conflict index) is what tells us where to start.
    const match = l.matchIndex.get(p) ?? 0;
    if (match > 0) l.nextIndex.set(p, match + 1);
    sendAppend(cfg, s, l, p, l.probe, fx);
  }
}
