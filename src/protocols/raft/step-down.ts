/**
 * Leaving a role for follower. Figure 2's rule for all servers: a message of a newer term makes
 * the node a follower in that term, with no vote yet (persisted before it says anything). A
 * leader also steps down when it has not heard from a majority for an election timeout
 * (check-quorum, thesis §6.2), so a leader cut off from the cluster stops serving.
 *
 * A deposed leader answers its waiting requests: writes `info` (they may still commit under the
 * next leader), reads `fail` (an unanswered read changed nothing).
 *
 * Left out: stepping down on purpose (leader transfer). Kept apart from elections.ts because
 * every role's module steps down: elections, leader and follower modules all import this one,
 * and none of them has to import another in a circle.
 */
import type { NodeId } from '../../core/ids.js';
import type { NodeContext } from '../../core/protocol.js';
import type { RaftEffect, RaftMessage } from './messages.js';
import { persistMeta } from './meta.js';
import type { RaftConfig } from './raft-config.js';
import type { Leader, RaftState } from './raft-state.js';
import { electionTimer } from './timers.js';

/**
 * A newer term makes us a follower of it (of the sender, for AppendEntries and InstallSnapshot).
 * PreVote carries a proposed term, not a real one, and RequestVote's term is adopted only if the
 * vote is not refused for stickiness (elections.ts).
 */
export function adoptTerm(
  cfg: RaftConfig,
  s: RaftState,
  from: NodeId,
  m: RaftMessage,
  ctx: NodeContext,
  fx: RaftEffect[],
): void {
  const adopts = m.type !== 'PreVote' && m.type !== 'RequestVote' && m.type !== 'PreVoteReply';
  if (adopts && m.term > s.term)
    becomeFollower(
      cfg,
      s,
      m.term,
      m.type === 'AppendEntries' || m.type === 'InstallSnapshot' ? from : null,
      ctx,
      fx,
    );
}

/** Moves to `term` (if newer) as a follower; a leader steps down. Persists a new term. */
export function becomeFollower(
  cfg: RaftConfig,
  s: RaftState,
  term: number,
  leader: NodeId | null,
  ctx: NodeContext,
  fx: RaftEffect[],
  persist = true,
): void {
  if (s.role.kind === 'leader') stepDown(cfg, s, s.role, ctx, fx);
  if (term > s.term) {
    s.term = term;
    s.votedFor = null;
    if (persist) persistMeta(s, fx);
  }
  if (s.role.kind !== 'follower' || s.role.leader !== leader) {
    s.verifiedIndex = Math.min(s.verifiedIndex, s.commitIndex);
    s.leaderProbe = 0;
  }
  s.role = { kind: 'follower', leader };
}

/** A deposed leader answers its waiting requests and becomes a follower of nobody yet. */
function stepDown(
  cfg: RaftConfig,
  s: RaftState,
  l: Leader,
  ctx: NodeContext,
  fx: RaftEffect[],
): void {
  for (const requestId of l.waiting.values())
    fx.push({ type: 'reply', requestId, outcome: { type: 'info', code: 'deposed' } });
  for (const r of l.reads)
    fx.push({
      type: 'reply',
      requestId: r.requestId,
      outcome: { type: 'fail', code: 'not-leader' },
    });
  fx.push({ type: 'cancelTimer', name: 'heartbeat' });
  fx.push(electionTimer(cfg, ctx));
  s.role = { kind: 'follower', leader: null };
}

/**
 * §6.2: a leader that has not heard from a majority within an election timeout steps down.
 * Returns whether it is still leader.
 */
export function checkQuorum(
  cfg: RaftConfig,
  s: RaftState,
  l: Leader,
  ctx: NodeContext,
  fx: RaftEffect[],
): boolean {
  if (!cfg.checkQuorum || ctx.now - l.since < cfg.electionTimeoutUs) return true;
  let active = 1;
  for (const p of s.peers)
    if (ctx.now - (l.lastAckUs.get(p) ?? 0) < cfg.electionTimeoutUs) active++;
  if (active >= cfg.quorum) return true;
  fx.push({ type: 'mark', name: 'raft.check-quorum-step-down' });
  stepDown(cfg, s, l, ctx, fx);
  return false;
}
