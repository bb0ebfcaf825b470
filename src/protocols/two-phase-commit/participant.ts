/**
 * A participant (Bernstein, Hadzilacos & Goodman §7.4, Fig. 7-3; Gray & Lamport §3): it owns
 * one shard's accounts. On `Prepare` it asks for every lock the transaction needs here at once
 * (locks.ts: no-wait); refused, it votes NO and forgets it. Granted, it reads what it must under
 * its shared locks, logs PREPARED with its locks and writes, and votes YES only once that record
 * is durable. From then on it is in doubt: it may neither commit nor abort on its own, and holds
 * its locks, until it learns the decision — from the coordinator's `Decision`, or by asking
 * (`DecisionRequest`) once it has waited `askMs`, and again every `askMs`, for as long as it
 * takes (the blocking that makes 2PC a blocking protocol: Gray & Lamport §3, "if the coordinator
 * fails, the participants may have to wait for it to recover").
 *
 * COMMIT applies the writes and logs COMMIT; ABORT drops them and logs ABORT; either releases
 * the locks, and a COMMIT is acknowledged, only once its record is durable (after the
 * acknowledgement the coordinator forgets the transaction, so a participant that recovered in
 * doubt could no longer learn the outcome; and a lock released before its outcome is durable
 * could let a restarted participant find two conflicting transactions in doubt).
 *
 * How long each transaction stayed in doubt, and whether it was blocked long enough to ask, are
 * marks (`twopc.in-doubt-us`, `twopc.blocked-us`) that the run's metrics summarize.
 */
import type { AccountRead } from '../../core/bank-ops.js';
import type { NodeId } from '../../core/ids.js';
import type { NodeContext } from '../../core/protocol.js';
import type { MessageOf, TwoPcEffect } from './messages.js';
import { BLOCKED_MARK, IN_DOUBT_MARK } from './twopc-metrics.js';
import type { TwoPcConfig } from './twopc-config.js';
import { accountOf, type ParticipantState, type PTxn } from './twopc-state.js';
import type { ParticipantRecord } from './wal.js';

export const ASK_TIMER = 'ask';

const accountsOf = (t: PTxn): string[] => t.writes.map((w) => w[0]);

export function onPrepare(
  s: ParticipantState,
  from: NodeId,
  m: MessageOf<'Prepare'>,
  ctx: NodeContext,
  fx: TwoPcEffect[],
): void {
  const known = s.txns.get(m.txn);
  if (known !== undefined) return revote(from, known, fx);
  const writes = m.writes.map((w) => w[0]);
  if (!s.locks.acquire(m.txn, m.reads, writes)) {
    fx.push({ type: 'mark', name: 'twopc.lock-conflict' });
    s.txns.set(m.txn, txnOf(m, 'aborted', ctx));
    fx.push({ type: 'send', to: from, msg: { type: 'Vote', txn: m.txn, yes: false } });
    return;
  }
  const t = txnOf(m, 'preparing', ctx);
  t.result = readAccounts(s, m.reads, m.balance);
  s.txns.set(m.txn, t);
  const record: ParticipantRecord = ['P', m.txn, t.preparedAtUs, m.reads, m.writes, m.participants];
  s.log.write([record], [{ kind: 'prepared', txn: m.txn }], fx);
}

function txnOf(m: MessageOf<'Prepare'>, phase: PTxn['phase'], ctx: NodeContext): PTxn {
  return {
    txn: m.txn,
    phase,
    reads: m.reads,
    writes: m.writes,
    participants: m.participants,
    preparedAtUs: ctx.now,
    result: undefined,
    asked: false,
  };
}

function readAccounts(
  s: ParticipantState,
  names: readonly string[],
  balance: number,
): Record<string, AccountRead> {
  const out: Record<string, AccountRead> = {};
  for (const n of names) {
    const a = s.accounts.get(n);
    out[n] = { balance: balance + (a?.net ?? 0), applied: a === undefined ? [] : [...a.applied] };
  }
  return out;
}

/**
 * A duplicated Prepare: the same vote again, once it stands. A participant that restarted since
 * its YES no longer has what it read (the log keeps locks, not values): it votes NO, which the
 * coordinator ignores if it counted the YES and otherwise aborts on, before deciding.
 */
function revote(to: NodeId, t: PTxn, fx: TwoPcEffect[]): void {
  if (t.phase === 'preparing') return;
  const aborted = t.phase === 'aborted' || t.phase === 'aborting';
  const yes = !aborted && (t.result !== undefined || t.reads.length === 0);
  const msg = yes
    ? ({ type: 'Vote', txn: t.txn, yes, reads: t.result ?? {} } as const)
    : ({ type: 'Vote', txn: t.txn, yes } as const);
  fx.push({ type: 'send', to, msg });
}

/** PREPARED is durable: vote YES, now in doubt. */
export function onPrepared(
  cfg: TwoPcConfig,
  s: ParticipantState,
  txn: number,
  fx: TwoPcEffect[],
): void {
  const t = s.txns.get(txn);
  if (t === undefined || t.phase !== 'preparing') return;
  t.phase = 'prepared';
  if (cfg.bugs.earlyReadLockRelease) s.locks.releaseShared(txn, t.reads);
  const msg = { type: 'Vote', txn, yes: true, reads: t.result ?? {} } as const;
  fx.push({ type: 'send', to: cfg.coordinator, msg });
  armAsk(cfg, s, fx);
}

export function armAsk(cfg: TwoPcConfig, s: ParticipantState, fx: TwoPcEffect[]): void {
  if (s.askArmed) return;
  s.askArmed = true;
  fx.push({ type: 'setTimer', name: ASK_TIMER, afterUs: cfg.askUs });
}

/** In doubt for `askMs` or longer: ask the coordinator for the decision (BHG §7.4). */
export function onAskTimer(
  cfg: TwoPcConfig,
  s: ParticipantState,
  ctx: NodeContext,
  fx: TwoPcEffect[],
): void {
  s.askArmed = false;
  let inDoubt = false;
  for (const t of s.txns.values()) {
    if (t.phase !== 'prepared') continue;
    inDoubt = true;
    if (ctx.now - t.preparedAtUs < cfg.askUs && !t.asked) continue;
    if (!t.asked) fx.push({ type: 'mark', name: 'twopc.decision-request' });
    t.asked = true;
    fx.push({ type: 'send', to: cfg.coordinator, msg: { type: 'DecisionRequest', txn: t.txn } });
    if (!cfg.cooperative) continue;
    for (const to of t.participants)
      if (to !== s.id) fx.push({ type: 'send', to, msg: { type: 'DecisionRequest', txn: t.txn } });
  }
  if (inDoubt) armAsk(cfg, s, fx);
}

export function onDecision(
  s: ParticipantState,
  from: NodeId,
  m: MessageOf<'Decision'>,
  ctx: NodeContext,
  fx: TwoPcEffect[],
): void {
  const t = s.txns.get(m.txn);
  const phase = t?.phase;
  if (m.commit) {
    if (t !== undefined && phase === 'prepared') commit(s, t, ctx, fx);
    else if (phase === 'committed')
      fx.push({ type: 'send', to: from, msg: { type: 'Ack', txn: m.txn } });
    else if (phase !== 'committing') missedCommit(s, from, m.txn, fx);
    return;
  }
  if (t !== undefined && (phase === 'prepared' || phase === 'preparing')) abortTxn(s, t, ctx, fx);
}

/** COMMIT: the writes apply now; the locks go once the COMMIT record is durable. */
function commit(s: ParticipantState, t: PTxn, ctx: NodeContext, fx: TwoPcEffect[]): void {
  for (const [name, delta, id] of t.writes) {
    const a = accountOf(s, name);
    a.net += delta;
    a.applied.push(id);
  }
  t.phase = 'committing';
  s.decided.push({ txn: t.txn, commit: true });
  resolved(t, ctx, fx);
  const record: ParticipantRecord = ['C', t.txn];
  s.log.write([record], [{ kind: 'committed', txn: t.txn }], fx);
}

/**
 * The COMMIT record is durable: release the locks and acknowledge, so the coordinator may
 * forget it. Locks are held until the outcome is durable, so the transactions a restarted
 * participant finds in doubt never hold conflicting locks, and none of them can be applied in
 * an order other than the one its log and its reads showed.
 */
export function onCommitted(cfg: TwoPcConfig, s: ParticipantState, txn: number, fx: TwoPcEffect[]) {
  const t = s.txns.get(txn);
  if (t?.phase !== 'committing') return;
  t.phase = 'committed';
  s.locks.release(t.txn, t.reads, accountsOf(t));
  fx.push({ type: 'send', to: cfg.coordinator, msg: { type: 'Ack', txn } });
}

/** ABORT: the writes are dropped; the locks go once the ABORT record is durable. */
export function abortTxn(s: ParticipantState, t: PTxn, ctx: NodeContext, fx: TwoPcEffect[]) {
  if (t.phase === 'prepared') {
    s.decided.push({ txn: t.txn, commit: false });
    resolved(t, ctx, fx);
  }
  t.phase = 'aborting';
  const record: ParticipantRecord = ['A', t.txn];
  s.log.write([record], [{ kind: 'aborted', txn: t.txn }], fx);
}

export function onAborted(s: ParticipantState, txn: number): void {
  const t = s.txns.get(txn);
  if (t?.phase !== 'aborting') return;
  t.phase = 'aborted';
  s.locks.release(t.txn, t.reads, accountsOf(t));
}

/**
 * The cooperative termination protocol (BHG §7.4), at the participant asked: one that knows the
 * outcome answers with it; one that never saw the transaction has not voted, so it may abort
 * it, and does: it logs that it will never prepare it, and answers ABORT once that is durable.
 * One that is in doubt itself, or still writing its PREPARED, cannot help and stays silent.
 */
export function onPeerDecisionRequest(
  s: ParticipantState,
  from: NodeId,
  txn: number,
  ctx: NodeContext,
  fx: TwoPcEffect[],
): void {
  const t = s.txns.get(txn);
  const answer = (commit: boolean) =>
    fx.push({ type: 'send', to: from, msg: { type: 'Decision', txn, commit } });
  if (t === undefined) {
    fx.push({ type: 'mark', name: 'twopc.cooperative-abort' });
    const stub: PTxn = {
      txn,
      phase: 'aborting',
      reads: [],
      writes: [],
      participants: [],
      preparedAtUs: ctx.now,
      result: undefined,
      asked: false,
    };
    s.txns.set(txn, stub);
    const record: ParticipantRecord = ['A', txn];
    s.log.write([record], [{ kind: 'refused', txn, to: from }], fx);
  } else if (t.phase === 'committed' || t.phase === 'committing') answer(true);
  else if (t.phase === 'aborted') answer(false);
}

/** The refusal is durable: the transaction can never commit; tell whoever asked. */
export function onRefused(s: ParticipantState, txn: number, to: NodeId, fx: TwoPcEffect[]) {
  const t = s.txns.get(txn);
  if (t?.phase === 'aborting') t.phase = 'aborted';
  if (t?.phase === 'aborted')
    fx.push({ type: 'send', to, msg: { type: 'Decision', txn, commit: false } });
}

/**
 * COMMIT of a transaction this participant never prepared or already aborted: impossible when
 * every YES follows a durable PREPARED and a participant aborts only on ABORT. It acknowledges
 * (there is nothing to apply), and the observer sees the disagreement.
 */
function missedCommit(s: ParticipantState, to: NodeId, txn: number, fx: TwoPcEffect[]): void {
  fx.push({ type: 'mark', name: 'twopc.commit-not-prepared' });
  s.decided.push({ txn, commit: false });
  fx.push({ type: 'send', to, msg: { type: 'Ack', txn } });
}

/** Out of doubt: how long it was in doubt, and how long blocked if it had to ask. */
function resolved(t: PTxn, ctx: NodeContext, fx: TwoPcEffect[]): void {
  const us = Math.max(0, ctx.now - t.preparedAtUs);
  fx.push({ type: 'mark', name: IN_DOUBT_MARK, value: us });
  if (t.asked) fx.push({ type: 'mark', name: BLOCKED_MARK, value: us });
}
