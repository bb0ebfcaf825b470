/**
 * Failover, as in Viewstamped Replication's view change and Raft's election. A backup whose
 * failure detector fired stands for the next epoch: it persists its own vote, and once that is
 * durable asks the others with its last log position. A voter grants at most one vote per epoch,
 * persisted before it is sent, and only to a candidate whose log is at least as up to date as
 * its own (last epoch, then index: Raft §5.4.1), so in `sync` mode the winner holds every
 * committed entry. A majority makes the candidate primary; it appends a no-op of its epoch,
 * whose commit commits its predecessors' entries (commit.ts).
 *
 * Hot standbys (PbOptions.standbys) take part in neither: they never stand, and a vote from
 * one is not counted.
 *
 * Leaves out PreVote: a node cut off for a while comes back with a higher epoch, and the
 * `ReplicateNack` it answers the primary with deposes it, which costs one failover.
 */
import type { NodeId } from '../../core/ids.js';
import { MARKS } from '../../core/marks.js';
import type { NodeContext } from '../../core/protocol.js';
import type { KvCommand } from '../shared/kv-store.js';
import { majority } from '../shared/quorum.js';
import { adoptEpoch } from './epoch.js';
import { electionTimer, hearsPrimary } from './failure-detector.js';
import { persistMeta } from './meta.js';
import type { PbMessageOf } from './messages.js';
import type { PbConfig } from './pb-config.js';
import { lastEpoch, lastIndex, type PbEffect, type PbState } from './pb-state.js';
import { appendAsPrimary } from './primary.js';

const NOOP: KvCommand = { f: 'noop' };

/** The election timer fired: suspect the primary and stand for the next epoch. */
export function startCandidacy(cfg: PbConfig, s: PbState, ctx: NodeContext, fx: PbEffect[]): void {
  // A hot standby never stands: it may lag, and only voters decide who leads.
  if (cfg.standbys.has(s.id)) {
    fx.push(electionTimer(cfg, ctx));
    return;
  }
  fx.push({ type: 'mark', name: MARKS.suspect });
  // Above the floor: a configuration started from an older one's files must not elect an epoch
  // that older group used, or two different entries could carry one (epoch, index).
  s.epoch = Math.max(s.epoch, cfg.epochFloor) + 1;
  s.votedFor = s.id;
  s.role = { kind: 'candidate', votes: new Set([s.id]) };
  s.candidacyTag = persistMeta(s, fx);
  fx.push(electionTimer(cfg, ctx));
}

export function onRequestVote(
  cfg: PbConfig,
  s: PbState,
  from: NodeId,
  m: PbMessageOf<'RequestVote'>,
  ctx: NodeContext,
  fx: PbEffect[],
): void {
  if (m.epoch < s.epoch || (m.epoch > s.epoch && hearsPrimary(cfg, s, ctx))) {
    refuseVote(s, from, fx);
    return;
  }
  // One meta write covers both the new epoch and the vote in it.
  const moved = adoptEpoch(cfg, s, m.epoch, ctx, fx, false);
  const free = s.votedFor === null || s.votedFor === from;
  if (free && logIsUpToDate(s, m.lastEpoch, m.lastIndex)) {
    s.votedFor = from;
    const tag = persistMeta(s, fx);
    // The vote goes out when this sync completes (onMetaSynced).
    s.voteReplies.set(tag, { to: from, epoch: s.epoch });
    fx.push(electionTimer(cfg, ctx));
    return;
  }
  if (moved) persistMeta(s, fx);
  refuseVote(s, from, fx);
}

export function onVote(
  cfg: PbConfig,
  s: PbState,
  from: NodeId,
  m: PbMessageOf<'Vote'>,
  ctx: NodeContext,
  fx: PbEffect[],
): void {
  if (m.epoch > s.epoch) {
    adoptEpoch(cfg, s, m.epoch, ctx, fx);
    return;
  }
  if (!m.granted || m.epoch !== s.epoch || s.role.kind !== 'candidate') return;
  if (cfg.standbys.has(from)) return;
  s.role.votes.add(from);
  if (s.role.votes.size >= majority(cfg.clusterSize)) becomePrimary(cfg, s, ctx, fx);
}

/**
 * A meta fsync completed. If it made a vote durable, the vote may go out now (unless this node
 * has moved to a later epoch since); if it made our own candidacy durable, ask for votes.
 */
export function onMetaSynced(
  cfg: PbConfig,
  s: PbState,
  tag: number,
  ctx: NodeContext,
  fx: PbEffect[],
): void {
  const vote = s.voteReplies.get(tag);
  if (vote !== undefined) {
    s.voteReplies.delete(tag);
    if (vote.epoch === s.epoch)
      fx.push({
        type: 'send',
        to: vote.to,
        msg: { type: 'Vote', epoch: vote.epoch, granted: true },
      });
    return;
  }
  if (tag !== s.candidacyTag || s.role.kind !== 'candidate') return;
  for (const p of s.peers) {
    fx.push({
      type: 'send',
      to: p,
      msg: {
        type: 'RequestVote',
        epoch: s.epoch,
        lastEpoch: lastEpoch(s),
        lastIndex: lastIndex(s),
      },
    });
  }
  // A cluster of one has its majority already.
  if (s.role.votes.size >= majority(cfg.clusterSize)) becomePrimary(cfg, s, ctx, fx);
}

function logIsUpToDate(s: PbState, candLastEpoch: number, candLastIndex: number): boolean {
  const myEpoch = lastEpoch(s);
  return candLastEpoch > myEpoch || (candLastEpoch === myEpoch && candLastIndex >= lastIndex(s));
}

function refuseVote(s: PbState, to: NodeId, fx: PbEffect[]): void {
  fx.push({ type: 'send', to, msg: { type: 'Vote', epoch: s.epoch, granted: false } });
}

function becomePrimary(cfg: PbConfig, s: PbState, ctx: NodeContext, fx: PbEffect[]): void {
  const nextIndex = new Map<NodeId, number>();
  const matchIndex = new Map<NodeId, number>();
  for (const p of s.peers) {
    nextIndex.set(p, s.log.length + 1);
    matchIndex.set(p, 0);
  }
  s.role = {
    kind: 'primary',
    nextIndex,
    matchIndex,
    waiting: new Map(),
    appendedAt: new Map(),
    quiet: new Set(),
    heartbeating: true,
  };
  fx.push({ type: 'mark', name: MARKS.promoted });
  fx.push({ type: 'cancelTimer', name: 'election' });
  fx.push({ type: 'setTimer', name: 'heartbeat', afterUs: cfg.heartbeatUs });
  appendAsPrimary(cfg, s, NOOP, undefined, ctx, fx);
}
