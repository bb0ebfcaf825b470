/**
 * A leader's side of log replication (Figure 2, "Leaders"). On taking office it sets every
 * follower's nextIndex just past its own log and appends a no-op of its term, whose commit
 * carries the earlier terms' entries (§5.4.2) and lets reads start (§6.4). It appends client
 * commands, sends them on (send-append.ts), and handles the replies: a refusal moves nextIndex
 * back to the conflict index the follower named (§5.3), a success raises matchIndex and may
 * commit (commit.ts). Each heartbeat first checks that a majority still answers (§6.2).
 *
 * Left out: leader transfer and membership changes (thesis §3.10, §4).
 */
import type { NodeId } from '../../core/ids.js';
import { MARKS } from '../../core/marks.js';
import type { NodeContext } from '../../core/protocol.js';
import { advanceCommit } from './commit.js';
import type { MessageOf, RaftCommand, RaftEffect } from './messages.js';
import type { RaftConfig } from './raft-config.js';
import { digestOf } from './raft-log.js';
import type { Leader, RaftState } from './raft-state.js';
import { serveReads } from './read-index.js';
import { broadcast, sendAppend } from './send-append.js';
import { checkQuorum } from './step-down.js';
import { heartbeatTimer } from './timers.js';
import { appendEntry } from './wal.js';

export function becomeLeader(
  cfg: RaftConfig,
  s: RaftState,
  ctx: NodeContext,
  fx: RaftEffect[],
): void {
  const nextIndex = new Map<NodeId, number>();
  const matchIndex = new Map<NodeId, number>();
  const lastAckUs = new Map<NodeId, number>();
  const probeAcked = new Map<NodeId, number>();
  for (const p of s.peers) {
    nextIndex.set(p, s.log.lastIndex + 1);
    matchIndex.set(p, 0);
    lastAckUs.set(p, ctx.now);
    probeAcked.set(p, 0);
  }
  const noopIndex = s.log.lastIndex + 1;
  const l: Leader = {
    kind: 'leader',
    since: ctx.now,
    nextIndex,
    matchIndex,
    lastAckUs,
    probeAcked,
    probe: 0,
    noopIndex,
    waiting: new Map(),
    reads: [],
    appendedAt: new Map(),
  };
  s.role = l;
  fx.push({ type: 'mark', name: MARKS.promoted });
  fx.push({ type: 'cancelTimer', name: 'election' });
  fx.push(heartbeatTimer(cfg));
  appendAsLeader(cfg, s, l, { cmd: { f: 'noop' } }, ctx, fx);
}

/** Appends a command of this term to the log and sends it on; returns its index. */
export function appendAsLeader(
  cfg: RaftConfig,
  s: RaftState,
  l: Leader,
  c: RaftCommand,
  ctx: NodeContext,
  fx: RaftEffect[],
): number {
  const index = s.log.lastIndex + 1;
  const digest = digestOf(`${s.term}|${JSON.stringify(c.cmd)}|${c.client ?? ''}|${c.seq ?? ''}`);
  appendEntry(s, { term: s.term, index, digest, ...c });
  l.appendedAt.set(index, ctx.now);
  for (const p of s.peers) sendAppend(cfg, s, l, p, l.probe, fx);
  if (cfg.bugs.ackBeforeFsync) advanceCommit(cfg, s, l, ctx, fx);
  return index;
}

/** A follower answered AppendEntries or InstallSnapshot. */
export function onAppendReply(
  cfg: RaftConfig,
  s: RaftState,
  from: NodeId,
  m: MessageOf<'AppendEntriesReply' | 'InstallSnapshotReply'>,
  ctx: NodeContext,
  fx: RaftEffect[],
): void {
  if (m.term !== s.term || s.role.kind !== 'leader') return;
  const l = s.role;
  l.lastAckUs.set(from, ctx.now);
  if (m.probe > (l.probeAcked.get(from) ?? 0)) l.probeAcked.set(from, m.probe);
  if (m.type === 'AppendEntriesReply' && !m.success) {
    l.nextIndex.set(
      from,
      Math.max((l.matchIndex.get(from) ?? 0) + 1, Math.min(m.conflictIndex, s.log.lastIndex + 1)),
    );
    sendAppend(cfg, s, l, from, l.probe, fx);
    serveReads(cfg, s, l, fx);
    return;
  }
  if (m.matchIndex > (l.matchIndex.get(from) ?? 0)) l.matchIndex.set(from, m.matchIndex);
  if ((l.nextIndex.get(from) ?? 1) <= m.matchIndex) l.nextIndex.set(from, m.matchIndex + 1);
  advanceCommit(cfg, s, l, ctx, fx);
  if (s.role === l && (l.nextIndex.get(from) ?? 1) <= s.log.lastIndex)
    sendAppend(cfg, s, l, from, l.probe, fx);
}

/** The heartbeat timer fired: unless check-quorum deposes us, start the next round. */
export function onHeartbeat(
  cfg: RaftConfig,
  s: RaftState,
  l: Leader,
  ctx: NodeContext,
  fx: RaftEffect[],
): void {
  if (!checkQuorum(cfg, s, l, ctx, fx)) return;
  l.probe++;
  broadcast(cfg, s, l, fx);
  fx.push(heartbeatTimer(cfg));
}
