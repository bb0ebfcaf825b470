/**
 * Leader election (§5.2, §5.4.1) with the thesis's two guards against disruption. PreVote
 * (§9.6): a node whose election timer fires first asks whether a majority would vote for it, and
 * bumps its term only if so, so a node cut off from the cluster does not depose a healthy leader
 * when it returns. Stickiness (§4.2.3): a node that heard from a live leader within the minimum
 * election timeout refuses PreVote, and RequestVote too when check-quorum is on (then a leader
 * cut off from a majority steps down by itself, so stickiness cannot keep it in office). Votes
 * go to logs at least as up to date as the voter's, by (last term, last index) (§5.4.1); a vote
 * is durable before it is sent.
 *
 * Left out: leader transfer (TimeoutNow) and membership changes.
 */
import type { NodeId } from '../../core/ids.js';
import { MARKS } from '../../core/marks.js';
import type { NodeContext } from '../../core/protocol.js';
import { becomeLeader } from './leader.js';
import type { MessageOf, RaftEffect, RaftMessage } from './messages.js';
import { persistMeta, send } from './meta.js';
import type { RaftConfig } from './raft-config.js';
import type { Candidate, RaftState } from './raft-state.js';
import { becomeFollower } from './step-down.js';
import { electionTimer, heartbeatTimer } from './timers.js';

/** The election timer fired: ask for PreVotes, or (without PreVote) stand at once. */
export function startPreVote(
  cfg: RaftConfig,
  s: RaftState,
  ctx: NodeContext,
  fx: RaftEffect[],
): void {
  fx.push({ type: 'mark', name: MARKS.suspect });
  fx.push(electionTimer(cfg, ctx));
  if (!cfg.preVote) return startElection(cfg, s, ctx, fx);
  s.role = { kind: 'precandidate', grants: new Set([s.id]) };
  if (s.role.grants.size >= cfg.quorum) return startElection(cfg, s, ctx, fx);
  for (const p of s.peers)
    send(
      s,
      p,
      {
        type: 'PreVote',
        term: s.term + 1,
        lastLogIndex: s.log.lastIndex,
        lastLogTerm: s.log.lastTerm,
      },
      fx,
    );
}

/** Bumps the term, votes for itself (durably) and asks the others. */
function startElection(cfg: RaftConfig, s: RaftState, ctx: NodeContext, fx: RaftEffect[]): void {
  s.term++;
  s.votedFor = s.id;
  s.role = { kind: 'candidate', votes: new Set([s.id]) };
  persistMeta(s, fx);
  fx.push(electionTimer(cfg, ctx));
  if (s.role.votes.size >= cfg.quorum) return becomeLeader(cfg, s, ctx, fx);
  requestVotes(cfg, s, s.role, fx);
}

/** Asks every peer that has not voted yet; repeated each heartbeat interval. */
export function requestVotes(cfg: RaftConfig, s: RaftState, c: Candidate, fx: RaftEffect[]): void {
  for (const p of s.peers)
    if (!c.votes.has(p))
      send(
        s,
        p,
        {
          type: 'RequestVote',
          term: s.term,
          lastLogIndex: s.log.lastIndex,
          lastLogTerm: s.log.lastTerm,
        },
        fx,
      );
  fx.push(heartbeatTimer(cfg));
}

/** §5.4.1: at least as up to date: a higher last term, or the same one and no shorter a log. */
function upToDate(cfg: RaftConfig, s: RaftState, lastLogIndex: number, lastLogTerm: number) {
  if (cfg.bugs.voteIndexOnly) return lastLogIndex >= s.log.lastIndex;
  return (
    lastLogTerm > s.log.lastTerm ||
    (lastLogTerm === s.log.lastTerm && lastLogIndex >= s.log.lastIndex)
  );
}

/** A follower that heard from a live leader within the minimum election timeout (§4.2.3). */
function heardFromLeader(cfg: RaftConfig, s: RaftState, ctx: NodeContext): boolean {
  if (s.role.kind === 'leader') return true;
  return (
    s.role.kind === 'follower' &&
    s.role.leader !== null &&
    ctx.now - s.lastHeardUs < cfg.electionTimeoutUs
  );
}

export function onPreVote(
  cfg: RaftConfig,
  s: RaftState,
  from: NodeId,
  m: MessageOf<'PreVote'>,
  ctx: NodeContext,
  fx: RaftEffect[],
): void {
  const granted =
    m.term > s.term &&
    !heardFromLeader(cfg, s, ctx) &&
    upToDate(cfg, s, m.lastLogIndex, m.lastLogTerm);
  send(s, from, { type: 'PreVoteReply', term: granted ? m.term : s.term, granted }, fx);
}

/** A refusal of a newer term makes us its follower; a majority of grants starts the election. */
export function onPreVoteReply(
  cfg: RaftConfig,
  s: RaftState,
  from: NodeId,
  m: MessageOf<'PreVoteReply'>,
  ctx: NodeContext,
  fx: RaftEffect[],
): void {
  if (!m.granted && m.term > s.term) becomeFollower(cfg, s, m.term, null, ctx, fx);
  else if (m.granted && s.role.kind === 'precandidate' && m.term === s.term + 1) {
    s.role.grants.add(from);
    if (s.role.grants.size >= cfg.quorum) startElection(cfg, s, ctx, fx);
  }
}

export function onRequestVote(
  cfg: RaftConfig,
  s: RaftState,
  from: NodeId,
  m: MessageOf<'RequestVote'>,
  ctx: NodeContext,
  fx: RaftEffect[],
): void {
  // Refused: a stale term, or a newer one while we still hear from a leader (stickiness).
  if (m.term < s.term || (m.term > s.term && cfg.checkQuorum && heardFromLeader(cfg, s, ctx))) {
    send(s, from, { type: 'RequestVoteReply', term: s.term, granted: false }, fx);
    return;
  }
  // One meta write covers both the new term and the vote in it.
  const newTerm = m.term > s.term;
  if (newTerm) becomeFollower(cfg, s, m.term, null, ctx, fx, false);
  if (
    (s.votedFor === null || s.votedFor === from) &&
    upToDate(cfg, s, m.lastLogIndex, m.lastLogTerm)
  )
    grantVote(cfg, s, from, newTerm, ctx, fx);
  else {
    if (newTerm) persistMeta(s, fx);
    send(s, from, { type: 'RequestVoteReply', term: s.term, granted: false }, fx);
  }
}

/** Votes for `from`, durably: the reply waits in the outbox until the vote is on disk. */
function grantVote(
  cfg: RaftConfig,
  s: RaftState,
  from: NodeId,
  newTerm: boolean,
  ctx: NodeContext,
  fx: RaftEffect[],
): void {
  const changed = s.votedFor !== from;
  s.votedFor = from;
  if (changed || newTerm) persistMeta(s, fx);
  fx.push(electionTimer(cfg, ctx));
  const reply: RaftMessage = { type: 'RequestVoteReply', term: s.term, granted: true };
  // The bug: the vote leaves before it is on disk; a crash now forgets it.
  if (cfg.bugs.voteBeforePersist) fx.push({ type: 'send', to: from, msg: reply });
  else send(s, from, reply, fx);
}

/** A newer term makes us its follower; a majority of votes in this term makes us leader. */
export function onRequestVoteReply(
  cfg: RaftConfig,
  s: RaftState,
  from: NodeId,
  m: MessageOf<'RequestVoteReply'>,
  ctx: NodeContext,
  fx: RaftEffect[],
): void {
  if (m.term > s.term) becomeFollower(cfg, s, m.term, null, ctx, fx);
  else if (m.granted && m.term === s.term && s.role.kind === 'candidate') {
    s.role.votes.add(from);
    if (s.role.votes.size >= cfg.quorum) becomeLeader(cfg, s, ctx, fx);
  }
}
