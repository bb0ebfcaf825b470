/**
 * The distinguished proposer (Paxos Made Simple §3), from candidacy to stepping down:
 *
 * 1. A node that hears from no leader for an election timeout takes a fresh ballot, above every
 *    round it used or saw, its round counter durable first (paxos/ballot.ts), and sends
 *    Prepare(ballot, from) for every slot from its first unapplied one: phase 1 for all open
 *    slots at once.
 * 2. With a majority of promises it becomes leader. It adopts the newest snapshot and every
 *    chosen slot the promises report, and for every other slot up to the highest any promise
 *    names it proposes the command of the highest-ballot acceptance (P2c), or a no-op where no
 *    acceptor accepted anything (§3: "fill the gaps ... with a special no-op command"). Reads
 *    wait until those slots are applied (reads.ts).
 * 3. In steady state each client command takes the next slot and phase 2 alone: Accept to every
 *    acceptor, chosen with a majority of Accepted. The heartbeat (commit-round.ts) tells the
 *    others how far the log is chosen, resends Accepts not yet accepted by a majority, and
 *    catches up a follower that lags: the chosen slots it lacks (`Learn`), or the snapshot when
 *    they were compacted away.
 * 4. It steps down on a Nack naming a higher ballot, on hearing of a higher ballot, and when no
 *    majority has answered for an election timeout (check-quorum, as Raft's thesis §6.2). Its
 *    waiting writes then get `info` (a later leader may still choose them), its reads `fail`.
 */
import type { NodeId } from '../../core/ids.js';
import { MARKS } from '../../core/marks.js';
import type { NodeContext } from '../../core/protocol.js';
import { ballotOf, roundOf } from '../paxos/index.js';
import { sendCommitRound } from './commit-round.js';
import { applyChosen, installSnapshot, learn } from './learner.js';
import {
  type Command,
  type MessageOf,
  type MultiPaxosEffect,
  NOOP,
  type Snapshot,
} from './messages.js';
import type { MultiPaxosConfig } from './multi-paxos-config.js';
import type { Candidate, Leader, MultiPaxosState } from './multi-paxos-state.js';
import { serveReads } from './reads.js';
import { electionTimer, heartbeatTimer } from './timers.js';

/** Phase 1 (a) with a ballot above every round seen; the round counter is durable first. */
export function startElection(
  cfg: MultiPaxosConfig,
  s: MultiPaxosState,
  ctx: NodeContext,
  fx: MultiPaxosEffect[],
): void {
  s.round = Math.max(s.round, roundOf(s.promised), roundOf(s.heardBallot)) + 1;
  const c: Candidate = {
    kind: 'candidate',
    ballot: ballotOf(s.round, s.place),
    prepared: false,
    promises: new Map(),
  };
  s.role = c;
  s.leader = null;
  fx.push({ type: 'mark', name: MARKS.suspect });
  fx.push(electionTimer(cfg, ctx));
  maybePrepare(cfg, s, fx);
}

/** Sends the candidate's Prepare once the round behind its ballot is durable. */
export function maybePrepare(cfg: MultiPaxosConfig, s: MultiPaxosState, fx: MultiPaxosEffect[]) {
  const c = s.role;
  if (c.kind !== 'candidate' || c.prepared || roundOf(c.ballot) > s.roundDurable) return;
  c.prepared = true;
  const msg = { type: 'Prepare', ballot: c.ballot, from: s.applied + 1 } as const;
  for (const to of cfg.nodes) fx.push({ type: 'send', to, msg });
}

export function onPromise(
  cfg: MultiPaxosConfig,
  s: MultiPaxosState,
  from: NodeId,
  m: MessageOf<'Promise'>,
  ctx: NodeContext,
  fx: MultiPaxosEffect[],
): void {
  if (s.role.kind !== 'candidate' || s.role.ballot !== m.ballot) return;
  s.role.promises.set(from, m);
  if (s.role.promises.size >= cfg.quorum) becomeLeader(cfg, s, s.role, ctx, fx);
}

/** Phase 2 (a) for every open slot the promises name; then the leader serves clients. */
function becomeLeader(
  cfg: MultiPaxosConfig,
  s: MultiPaxosState,
  c: Candidate,
  ctx: NodeContext,
  fx: MultiPaxosEffect[],
): void {
  const promises = [...c.promises.values()];
  let newest: Snapshot | undefined;
  for (const p of promises)
    if (p.snapshot !== null && p.snapshot.index > (newest?.index ?? s.applied)) newest = p.snapshot;
  if (newest !== undefined) installSnapshot(s, newest, fx);
  for (const p of promises) for (const [slot, command] of p.chosen) learn(s, slot, command);
  const highest = new Map<number, { ballot: number; command: Command }>();
  let last = s.applied;
  for (const p of promises)
    for (const [slot, ballot, command] of p.accepted) {
      last = Math.max(last, slot);
      const h = highest.get(slot);
      if (h === undefined || ballot > h.ballot) highest.set(slot, { ballot, command });
    }
  for (const slot of s.chosen.keys()) last = Math.max(last, slot);
  const l: Leader = {
    kind: 'leader',
    ballot: c.ballot,
    since: ctx.now,
    nextSlot: last + 1,
    barrier: last,
    proposals: new Map(),
    waiting: new Map(),
    proposedAt: new Map(),
    reads: [],
    probe: 0,
    probeSentUs: new Map(),
    probeAcked: new Map(),
    lastAckUs: new Map(cfg.nodes.map((n) => [n, ctx.now])),
    leaseUntilUs: 0,
  };
  s.role = l;
  s.leader = s.id;
  fx.push({ type: 'mark', name: MARKS.promoted });
  fx.push({ type: 'cancelTimer', name: 'election' });
  fx.push(heartbeatTimer(cfg));
  for (let slot = s.applied + 1; slot <= last; slot++) {
    if (s.chosen.has(slot)) continue;
    const h = highest.get(slot);
    // The bug: every open slot is filled with a no-op, as if no acceptor had accepted anything.
    if (h === undefined || cfg.bugs.ignorePromisedValues) {
      fx.push({ type: 'mark', name: 'multi-paxos.noop-fill' });
      propose(cfg, s, l, slot, NOOP, fx);
    } else propose(cfg, s, l, slot, h.command, fx);
  }
  applyChosen(cfg, s, ctx, fx);
  sendCommitRound(cfg, s, l, ctx, fx);
}

/** Phase 2 (a): Accept(ballot, slot, command) to every acceptor. */
export function propose(
  cfg: MultiPaxosConfig,
  s: MultiPaxosState,
  l: Leader,
  slot: number,
  command: Command,
  fx: MultiPaxosEffect[],
): void {
  l.proposals.set(slot, { command, accepts: new Set() });
  const msg = { type: 'Accept', ballot: l.ballot, slot, command, chosenTo: s.applied } as const;
  for (const to of cfg.nodes) fx.push({ type: 'send', to, msg });
}

export function onAccepted(
  cfg: MultiPaxosConfig,
  s: MultiPaxosState,
  from: NodeId,
  m: MessageOf<'Accepted'>,
  ctx: NodeContext,
  fx: MultiPaxosEffect[],
): void {
  if (s.role.kind !== 'leader' || s.role.ballot !== m.ballot) return;
  const l = s.role;
  l.lastAckUs.set(from, ctx.now);
  const p = l.proposals.get(m.slot);
  if (p === undefined) return;
  p.accepts.add(from);
  if (p.accepts.size < cfg.quorum) return;
  l.proposals.delete(m.slot);
  learn(s, m.slot, p.command);
  applyChosen(cfg, s, ctx, fx);
}

/** A higher ballot was promised: a candidate or leader of this ballot has lost. */
export function onNack(s: MultiPaxosState, m: MessageOf<'Nack'>): void {
  s.round = Math.max(s.round, roundOf(m.promised));
  if (m.promised > s.heardBallot && s.role.kind !== 'follower' && s.role.ballot === m.ballot)
    s.heardBallot = m.promised;
}

/** The heartbeat: check-quorum, a Commit round, and Accepts resent to whoever lacks them. */
export function onHeartbeat(
  cfg: MultiPaxosConfig,
  s: MultiPaxosState,
  l: Leader,
  ctx: NodeContext,
  fx: MultiPaxosEffect[],
): void {
  if (!hasQuorum(cfg, s, l, ctx)) {
    fx.push({ type: 'mark', name: 'multi-paxos.check-quorum-step-down' });
    return stepDown(cfg, s, ctx, fx);
  }
  sendCommitRound(cfg, s, l, ctx, fx);
  for (const [slot, p] of l.proposals) {
    const msg = { type: 'Accept', ballot: l.ballot, slot, command: p.command, chosenTo: s.applied };
    for (const to of cfg.nodes)
      if (!p.accepts.has(to)) fx.push({ type: 'send', to, msg: msg as MessageOf<'Accept'> });
  }
  fx.push(heartbeatTimer(cfg));
}

/** Whether a majority answered within an election timeout (always, early in the term). */
function hasQuorum(cfg: MultiPaxosConfig, s: MultiPaxosState, l: Leader, ctx: NodeContext) {
  if (ctx.now - l.since < cfg.electionTimeoutUs) return true;
  let active = 0;
  for (const n of cfg.nodes)
    if (n === s.id || ctx.now - (l.lastAckUs.get(n) ?? 0) < cfg.electionTimeoutUs) active++;
  return active >= cfg.quorum;
}

/** A follower answered a Commit round: leases, reads, and catch-up if it lags. */
export function onCommitReply(
  cfg: MultiPaxosConfig,
  s: MultiPaxosState,
  from: NodeId,
  m: MessageOf<'CommitReply'>,
  ctx: NodeContext,
  fx: MultiPaxosEffect[],
): void {
  if (s.role.kind !== 'leader' || s.role.ballot !== m.ballot) return;
  const l = s.role;
  l.lastAckUs.set(from, ctx.now);
  if (m.probe > (l.probeAcked.get(from) ?? 0)) l.probeAcked.set(from, m.probe);
  serveReads(cfg, s, l, ctx, fx);
  if (m.applied < s.applied) catchUp(cfg, s, from, m.applied, fx);
}

/** Resends the chosen slots a follower lacks, or the snapshot when they were compacted. */
function catchUp(
  cfg: MultiPaxosConfig,
  s: MultiPaxosState,
  to: NodeId,
  applied: number,
  fx: MultiPaxosEffect[],
): void {
  if (s.snapshot !== undefined && applied < s.snapshot.index) {
    fx.push({ type: 'mark', name: 'multi-paxos.snapshot-sent' });
    fx.push({ type: 'send', to, msg: { type: 'InstallSnapshot', snapshot: s.snapshot } });
    return;
  }
  const chosen: [number, Command][] = [];
  const end = Math.min(s.applied, applied + cfg.batchMax);
  for (let slot = applied + 1; slot <= end; slot++) {
    const c = s.chosen.get(slot);
    if (c !== undefined) chosen.push([slot, c]);
  }
  if (chosen.length === 0) return;
  fx.push({ type: 'mark', name: 'multi-paxos.catch-up' });
  fx.push({ type: 'send', to, msg: { type: 'Learn', chosen } });
}

/** Back to follower: a leader answers its waiting requests, and the election timer runs. */
export function stepDown(
  cfg: MultiPaxosConfig,
  s: MultiPaxosState,
  ctx: NodeContext,
  fx: MultiPaxosEffect[],
): void {
  if (s.role.kind === 'leader') {
    for (const requestId of s.role.waiting.values())
      fx.push({ type: 'reply', requestId, outcome: { type: 'info', code: 'deposed' } });
    for (const r of s.role.reads)
      fx.push({
        type: 'reply',
        requestId: r.requestId,
        outcome: { type: 'fail', code: 'deposed' },
      });
    fx.push({ type: 'cancelTimer', name: 'heartbeat' });
    if (s.leader === s.id) s.leader = null;
  }
  s.role = { kind: 'follower' };
  fx.push(electionTimer(cfg, ctx));
}
