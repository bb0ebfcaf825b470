/**
 * The acceptor (Paxos Made Simple §2.2, "Phase 1 (b)" and "Phase 2 (b)", run for every slot at
 * once as §3 describes), one promised ballot for the whole log:
 *
 * - Prepare(n, from): if n is at least the ballot promised, promise it for every slot, and
 *   answer with every acceptance for a slot from `from` on, the slots from there this node knows
 *   chosen, and its snapshot when it compacted slots from there away. At least, not above: a
 *   duplicated Prepare gets the same Promise again.
 * - Accept(n, slot, command): accept unless a higher ballot was promised, and raise the promise
 *   to n (Scylla #6139 is the accept that did not).
 * - Commit(n, chosenTo, probe): the leader's heartbeat; answered with how far this node applied,
 *   unless a higher ballot was promised.
 *
 * A leader's Accept or Commit also grants it the lease: for `leaseMs` of this node's clock the
 * acceptor promises no other candidate (reads.ts says what that buys). Every change is durable
 * before the reply leaves (wal.ts); a refusal (`Nack`) changes nothing and goes at once.
 */
import type { NodeId } from '../../core/ids.js';
import { MARKS } from '../../core/marks.js';
import type { NodeContext } from '../../core/protocol.js';
import { roundOf } from '../paxos/index.js';
import { applyChosen, learnUpTo } from './learner.js';
import type { AcceptedEntry, ChosenEntry, MessageOf, MultiPaxosEffect } from './messages.js';
import type { MultiPaxosConfig } from './multi-paxos-config.js';
import type { MultiPaxosState, WalRecord } from './multi-paxos-state.js';
import { electionTimer } from './timers.js';
import { replyDurably } from './wal.js';

export function onPrepare(
  cfg: MultiPaxosConfig,
  s: MultiPaxosState,
  from: NodeId,
  m: MessageOf<'Prepare'>,
  ctx: NodeContext,
  fx: MultiPaxosEffect[],
): void {
  s.round = Math.max(s.round, roundOf(m.ballot));
  if (m.ballot < s.promised) return nack(s, from, m.ballot, fx);
  // A lease granted to another leader still runs: promise nobody else until it ends.
  if (ctx.now < s.leaseUntilUs && s.leaseHolder !== from) return nack(s, from, m.ballot, fx);
  const record = raisePromise(s, m.ballot);
  const accepted: AcceptedEntry[] = [];
  for (const [slot, a] of s.accepted)
    if (slot >= m.from) accepted.push([slot, a.ballot, a.command]);
  const chosen: ChosenEntry[] = [];
  for (const [slot, c] of s.chosen) if (slot >= m.from) chosen.push([slot, c]);
  const snapshot = s.snapshot !== undefined && s.snapshot.index >= m.from ? s.snapshot : null;
  const promise = { type: 'Promise', ballot: m.ballot, accepted, chosen, snapshot } as const;
  replyDurably(cfg, s, record, from, promise, fx);
}

export function onAccept(
  cfg: MultiPaxosConfig,
  s: MultiPaxosState,
  from: NodeId,
  m: MessageOf<'Accept'>,
  ctx: NodeContext,
  fx: MultiPaxosEffect[],
): void {
  if (m.ballot < s.promised) return nack(s, from, m.ballot, fx);
  heardFromLeader(cfg, s, from, m.ballot, ctx, fx);
  const promise = raisePromise(s, m.ballot);
  if (promise !== undefined) s.outRecords.push(promise);
  let record: WalRecord | undefined;
  if (m.slot > s.applied) {
    s.accepted.set(m.slot, { ballot: m.ballot, command: m.command });
    record = ['a', m.slot, m.ballot, m.command];
  }
  replyDurably(cfg, s, record, from, { type: 'Accepted', ballot: m.ballot, slot: m.slot }, fx);
  learnUpTo(s, m.ballot, m.chosenTo);
  applyChosen(cfg, s, ctx, fx);
}

export function onCommit(
  cfg: MultiPaxosConfig,
  s: MultiPaxosState,
  from: NodeId,
  m: MessageOf<'Commit'>,
  ctx: NodeContext,
  fx: MultiPaxosEffect[],
): void {
  if (m.ballot < s.promised) return nack(s, from, m.ballot, fx);
  heardFromLeader(cfg, s, from, m.ballot, ctx, fx);
  learnUpTo(s, m.ballot, m.chosenTo);
  applyChosen(cfg, s, ctx, fx);
  if (s.recovering && s.applied >= m.chosenTo) {
    s.recovering = false;
    fx.push({ type: 'mark', name: MARKS.caughtUp });
  }
  const reply = {
    type: 'CommitReply',
    ballot: m.ballot,
    applied: s.applied,
    probe: m.probe,
  } as const;
  fx.push({ type: 'send', to: from, msg: reply });
}

/** Raises the promise to `ballot`; the record to write, or undefined when it is not higher. */
function raisePromise(s: MultiPaxosState, ballot: number): WalRecord | undefined {
  if (ballot <= s.promised) return undefined;
  s.promised = ballot;
  return ['p', ballot];
}

/**
 * A leader's Accept or Commit: it is the leader to name in redirects, it holds the lease, and
 * the election timer starts again. A leader or candidate of a lower ballot gives up at the
 * step's end (multi-paxos.ts).
 */
function heardFromLeader(
  cfg: MultiPaxosConfig,
  s: MultiPaxosState,
  from: NodeId,
  ballot: number,
  ctx: NodeContext,
  fx: MultiPaxosEffect[],
): void {
  if (from === s.id) return;
  s.leader = from;
  s.leaseHolder = from;
  s.leaseUntilUs = ctx.now + cfg.leaseUs;
  if (ballot > s.heardBallot) s.heardBallot = ballot;
  if (s.role.kind === 'follower') fx.push(electionTimer(cfg, ctx));
}

function nack(s: MultiPaxosState, to: NodeId, ballot: number, fx: MultiPaxosEffect[]): void {
  fx.push({ type: 'send', to, msg: { type: 'Nack', ballot, promised: s.promised } });
}
