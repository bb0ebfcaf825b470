/**
 * The proposer (Paxos Made Simple §2.2, "Phase 1 (a)" and "Phase 2 (a)"), serving one client
 * request per `Attempt`, as Cassandra's lightweight transactions do (StorageProxy.cas):
 *
 * 1. A fresh ballot, above every round this node used or saw, its round counter durable first
 *    (ballot.ts); then Prepare to every node.
 * 2. With a majority of promises: the register's value is the newest committed value among
 *    them. A proposal accepted for a later instance is in progress: it may have been chosen, so
 *    it is finished first, whatever the request is (P2c: "v is the value of the highest-numbered
 *    proposal among the acceptances"), and the request starts again with a new ballot. That
 *    includes a read and a cas whose comparison fails (CASSANDRA-12126's fix): answering from the
 *    committed value while a chosen value is unlearned is a stale read.
 * 3. A read, or a cas that does not hold, is answered from the value. A write, or a cas that
 *    holds, proposes its value for the next instance; with a majority of acceptances it is
 *    chosen: the client is answered and every node told (Commit).
 *
 * A lost ballot (a Nack, or no majority within `roundTimeoutMs`) backs off for a random while
 * drawn from the node's own stream, doubling with each try, so duelling proposers drift apart
 * (§2.4's progress argument needs one distinguished proposer; randomness gets close). A request
 * gets `attemptsMax` ballots within `timeoutMs` (Cassandra's `cas_contention_timeout`), so the
 * attempts of clients that gave up long ago do not keep duelling with the live ones. Once the
 * request's own value went out in an Accept, it may have been chosen: a retry could apply it a
 * second time, so the proposer then gives up with an unknown outcome instead (Cassandra's
 * `WriteTimeoutException` of type CAS). Before that, giving up is a definite failure.
 */
import type { NodeId } from '../../core/ids.js';
import type { ClientRequest, NodeContext } from '../../core/protocol.js';
import type { Micros } from '../../core/time.js';
import { ballotOf, roundOf } from './ballot.js';
import type {
  CasOp,
  CasResult,
  Committed,
  MessageOf,
  PaxosEffect,
  Proposal,
  Value,
} from './messages.js';
import type { PaxosConfig } from './paxos-config.js';
import type { Attempt, PaxosState } from './paxos-state.js';

const timerOf = (a: Attempt) => `attempt-${a.requestId}`;

export function onClientRequest(
  cfg: PaxosConfig,
  s: PaxosState,
  req: ClientRequest<CasOp>,
  ctx: NodeContext,
  fx: PaxosEffect[],
): void {
  if (!s.ready) {
    fx.push({ type: 'reply', requestId: req.id, outcome: { type: 'fail', code: 'not-ready' } });
    return;
  }
  if (!s.registers.has(req.op.key) && s.registers.size >= cfg.registersMax) {
    fx.push({
      type: 'reply',
      requestId: req.id,
      outcome: { type: 'fail', code: 'registers-full' },
    });
    return;
  }
  const inner = req.op.inner;
  if (inner.f === 'write') s.lastRequested = inner.value;
  else if (inner.f === 'cas') s.lastRequested = inner.to;
  const a: Attempt = {
    requestId: req.id,
    op: req.op,
    ballot: 0,
    phase: { kind: 'backoff' },
    tries: 0,
    proposedOwn: false,
    deadlineUs: ctx.now + cfg.timeoutUs,
  };
  s.attempts.set(req.id, a);
  newBallot(cfg, s, a, ctx.now, fx);
}

/** Phase 1 (a) with a ballot above every round seen; the round counter is durable first. */
function newBallot(
  cfg: PaxosConfig,
  s: PaxosState,
  a: Attempt,
  now: Micros,
  fx: PaxosEffect[],
): void {
  if (a.tries >= cfg.attemptsMax || now >= a.deadlineUs) return giveUp(s, a, 'contention', fx);
  a.tries++;
  s.byBallot.delete(a.ballot);
  s.round++;
  a.ballot = ballotOf(s.round, s.place);
  s.byBallot.set(a.ballot, a);
  a.phase = { kind: 'ballot' };
  fx.push({ type: 'setTimer', name: timerOf(a), afterUs: cfg.roundTimeoutUs });
  if (s.roundDurable >= s.round) sendPrepare(cfg, a, fx);
  else s.out.prepares.push(a.requestId);
}

/** The round counter behind `a`'s ballot is durable: Prepare goes out. */
export function sendPrepare(cfg: PaxosConfig, a: Attempt, fx: PaxosEffect[]): void {
  a.phase = { kind: 'prepare', promises: new Map() };
  for (const to of cfg.nodes)
    fx.push({ type: 'send', to, msg: { type: 'Prepare', key: a.op.key, ballot: a.ballot } });
}

export function onPromise(
  cfg: PaxosConfig,
  s: PaxosState,
  from: NodeId,
  m: MessageOf<'Promise'>,
  fx: PaxosEffect[],
): void {
  const a = s.byBallot.get(m.ballot);
  if (a === undefined || a.op.key !== m.key || a.phase.kind !== 'prepare') return;
  a.phase.promises.set(from, m);
  if (a.phase.promises.size >= cfg.quorum) decide(cfg, s, a, [...a.phase.promises.values()], fx);
}

/** Phase 2 (a): what the promises say the register holds, and what to propose, if anything. */
function decide(
  cfg: PaxosConfig,
  s: PaxosState,
  a: Attempt,
  promises: readonly MessageOf<'Promise'>[],
  fx: PaxosEffect[],
): void {
  let base: Committed = { instance: 0, value: null };
  for (const p of promises) if (p.committed.instance > base.instance) base = p.committed;
  let inProgress: Proposal | undefined;
  for (const p of promises) {
    const acc = p.accepted;
    if (acc === null || acc.instance <= base.instance) continue;
    if (
      inProgress === undefined ||
      acc.instance > inProgress.instance ||
      (acc.instance === inProgress.instance && acc.ballot > inProgress.ballot)
    )
      inProgress = acc;
  }
  const answer = answerFrom(a.op, base.value);
  const skip = answer !== undefined ? cfg.bugs.readSkipsInProgress : cfg.bugs.ignoreAcceptedValue;
  if (inProgress !== undefined && !skip) {
    fx.push({ type: 'mark', name: 'paxos.finish-in-progress' });
    const proposal = { ballot: a.ballot, instance: inProgress.instance, value: inProgress.value };
    return propose(cfg, a, proposal, base, true, fx);
  }
  if (answer !== undefined) {
    fx.push({ type: 'reply', requestId: a.requestId, outcome: { type: 'ok', value: answer } });
    return finish(s, a, fx);
  }
  a.proposedOwn = true;
  const value = writtenBy(a.op);
  propose(cfg, a, { ballot: a.ballot, instance: base.instance + 1, value }, base, false, fx);
}

/** The answer of a request that writes nothing at `value`; undefined when it must write. */
function answerFrom(op: CasOp, value: Value): CasResult | undefined {
  const i = op.inner;
  if (i.f === 'read') return { value };
  if (i.f === 'cas' && i.from !== value) return { ok: false };
  return undefined;
}

const writtenBy = (op: CasOp): Value =>
  op.inner.f === 'write' ? op.inner.value : op.inner.f === 'cas' ? op.inner.to : null;

function propose(
  cfg: PaxosConfig,
  a: Attempt,
  proposal: Proposal,
  base: Committed,
  finishing: boolean,
  fx: PaxosEffect[],
): void {
  a.phase = { kind: 'accept', proposal, finishing, accepts: new Set(), nacks: new Set() };
  for (const to of cfg.nodes)
    fx.push({ type: 'send', to, msg: { type: 'Accept', key: a.op.key, proposal, base } });
}

export function onAccepted(
  cfg: PaxosConfig,
  s: PaxosState,
  from: NodeId,
  m: MessageOf<'Accepted'>,
  ctx: NodeContext,
  fx: PaxosEffect[],
): void {
  const a = s.byBallot.get(m.ballot);
  if (a === undefined || a.op.key !== m.key || a.phase.kind !== 'accept') return;
  const ph = a.phase;
  ph.accepts.add(from);
  if (ph.accepts.size < cfg.quorum) return;
  // Chosen (§2.3): every learner is told.
  const committed = { instance: ph.proposal.instance, value: ph.proposal.value };
  for (const to of cfg.nodes)
    fx.push({ type: 'send', to, msg: { type: 'Commit', key: a.op.key, committed } });
  if (ph.finishing) return newBallot(cfg, s, a, ctx.now, fx);
  const value: CasResult = a.op.inner.f === 'cas' ? { ok: true } : {};
  fx.push({ type: 'reply', requestId: a.requestId, outcome: { type: 'ok', value } });
  finish(s, a, fx);
}

export function onNack(
  cfg: PaxosConfig,
  s: PaxosState,
  from: NodeId,
  m: MessageOf<'Nack'>,
  ctx: NodeContext,
  fx: PaxosEffect[],
): void {
  s.round = Math.max(s.round, roundOf(m.promised));
  const a = s.byBallot.get(m.ballot);
  if (a === undefined || a.op.key !== m.key) return;
  if (a.phase.kind === 'prepare') return backOff(cfg, a, ctx, fx);
  if (a.phase.kind !== 'accept') return;
  a.phase.nacks.add(from);
  // Still waiting while a majority of acceptances is possible.
  if (cfg.nodes.length - a.phase.nacks.size >= cfg.quorum) return;
  if (a.phase.finishing) backOff(cfg, a, ctx, fx);
  else giveUp(s, a, 'contention', fx);
}

/** An attempt's timer: the end of a backoff, or a round that got no majority in time. */
export function onAttemptTimer(
  cfg: PaxosConfig,
  s: PaxosState,
  requestId: number,
  ctx: NodeContext,
  fx: PaxosEffect[],
): void {
  const a = s.attempts.get(requestId);
  if (a === undefined) return;
  if (a.phase.kind === 'backoff') return newBallot(cfg, s, a, ctx.now, fx);
  if (a.phase.kind === 'accept' && !a.phase.finishing) return giveUp(s, a, 'timeout', fx);
  backOff(cfg, a, ctx, fx);
}

/** Waits a random while, up to `backoffUs` doubled per try (to 16 times), before a new ballot. */
function backOff(cfg: PaxosConfig, a: Attempt, ctx: NodeContext, fx: PaxosEffect[]): void {
  a.phase = { kind: 'backoff' };
  const maxUs = cfg.backoffUs * 2 ** Math.min(a.tries - 1, 4);
  fx.push({ type: 'setTimer', name: timerOf(a), afterUs: ctx.random.int(1, Math.max(1, maxUs)) });
}

/** No more ballots: a definite failure, unless the request's own value may have been chosen. */
function giveUp(s: PaxosState, a: Attempt, code: string, fx: PaxosEffect[]): void {
  fx.push({
    type: 'reply',
    requestId: a.requestId,
    outcome: a.proposedOwn ? { type: 'info', code } : { type: 'fail', code },
  });
  finish(s, a, fx);
}

function finish(s: PaxosState, a: Attempt, fx: PaxosEffect[]): void {
  s.attempts.delete(a.requestId);
  s.byBallot.delete(a.ballot);
  fx.push({ type: 'cancelTimer', name: timerOf(a) });
}

/** The request id an attempt timer belongs to, or undefined for another timer. */
export function attemptOfTimer(timer: string): number | undefined {
  return timer.startsWith('attempt-') ? Number(timer.slice(8)) : undefined;
}
