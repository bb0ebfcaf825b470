/**
 * The acceptor (Paxos Made Simple §2.2, "Phase 1 (b)" and "Phase 2 (b)") and the learner (§2.3),
 * per key:
 *
 * - Prepare(n): if n is at least the highest ballot promised, promise it, and answer with the
 *   highest-numbered proposal accepted (and the last committed value, so the proposer knows which
 *   instance is open). At least, not above: a duplicated Prepare gets the same Promise again.
 * - Accept(n, v): accept unless a higher ballot was promised, and raise the promise to n, so no
 *   lower ballot can be accepted after it (Scylla #6139 is the accept that did not).
 * - Commit: learn the chosen value. An Accept carries the committed value its proposal builds on,
 *   so every acceptor of instance i+1 has learned instance i. A learned value is written with the
 *   node's next write, not on its own: nobody waits for it, and one lost in a crash is learned
 *   again from any majority.
 *
 * Every change is durable before the reply leaves (wal.ts). A refusal (`Nack`) changes nothing
 * and goes at once: it tells the proposer the ballot to beat (§2.5).
 */
import type { NodeId } from '../../core/ids.js';
import type { Committed, MessageOf, PaxosEffect } from './messages.js';
import type { PaxosConfig } from './paxos-config.js';
import { type PaxosState, type Register, registerOf } from './paxos-state.js';
import { replyDurably } from './wal.js';
import { roundOf } from './ballot.js';

export function onPrepare(
  cfg: PaxosConfig,
  s: PaxosState,
  from: NodeId,
  m: MessageOf<'Prepare'>,
  fx: PaxosEffect[],
): void {
  const r = registerOf(s, m.key);
  if (m.ballot < r.promised) return nack(from, m.key, m.ballot, r, fx);
  r.promised = m.ballot;
  s.round = Math.max(s.round, roundOf(m.ballot));
  const promise = {
    type: 'Promise',
    key: m.key,
    ballot: m.ballot,
    committed: r.committed,
    accepted: r.accepted,
  } as const;
  replyDurably(cfg, s, m.key, from, promise, fx);
}

export function onAccept(
  cfg: PaxosConfig,
  s: PaxosState,
  from: NodeId,
  m: MessageOf<'Accept'>,
  fx: PaxosEffect[],
): void {
  const r = registerOf(s, m.key);
  if (learn(r, m.base)) s.lazy.add(m.key);
  const p = m.proposal;
  if (refusesAccept(cfg, r, p.ballot) || p.instance <= r.committed.instance)
    return nack(from, m.key, p.ballot, r, fx);
  if (!cfg.bugs.acceptDoesNotRaisePromise) r.promised = p.ballot;
  r.accepted = p;
  replyDurably(cfg, s, m.key, from, { type: 'Accepted', key: m.key, ballot: p.ballot }, fx);
}

export function onCommit(s: PaxosState, m: MessageOf<'Commit'>, fx: PaxosEffect[]): void {
  const r = registerOf(s, m.key);
  if (!learn(r, m.committed)) return;
  s.lazy.add(m.key);
  fx.push({ type: 'mark', name: 'paxos.learned' });
}

/**
 * Whether an Accept must be refused: it is below the promise. With
 * `paxos.accept-does-not-raise-promise` the acceptor compares only the rounds of the two ballots,
 * as Cassandra 3.0's `PaxosState.propose` compared only the ballots' timestamps, and its accepts
 * do not raise its promise (scylladb#6139): two proposers of one round both get accepted.
 */
function refusesAccept(cfg: PaxosConfig, r: Register, ballot: number): boolean {
  if (cfg.bugs.acceptDoesNotRaisePromise) return roundOf(ballot) < roundOf(r.promised);
  return ballot < r.promised;
}

/** Learns a committed value newer than the one held; an acceptance it supersedes is dropped. */
function learn(r: Register, c: Committed): boolean {
  if (c.instance <= r.committed.instance) return false;
  r.committed = c;
  if (r.accepted !== null && r.accepted.instance <= c.instance) r.accepted = null;
  return true;
}

function nack(to: NodeId, key: string, ballot: number, r: Register, fx: PaxosEffect[]): void {
  fx.push({ type: 'send', to, msg: { type: 'Nack', key, ballot, promised: r.promised } });
}
