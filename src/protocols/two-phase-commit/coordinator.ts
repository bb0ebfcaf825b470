/**
 * The coordinator (Bernstein, Hadzilacos & Goodman §7.4, Fig. 7-3; Gray & Lamport §3): for each
 * client transaction it sends every participant its part in a `Prepare`, collects the votes,
 * and decides. All YES: it logs COMMIT, and only once that record is durable does it tell the
 * participants and the client (the decision must survive the coordinator). Any NO, or a vote
 * missing when the vote timeout fires: it aborts, which it may do on its own at any time before
 * it decided (BHG §7.4, the coordinator's timeout action), tells the participants, and forgets
 * the transaction without logging anything (presumed abort). A commit is re-sent until every
 * participant acknowledged it, then ended in the log and forgotten.
 *
 * A participant in doubt asks (`DecisionRequest`): a commit it knows is re-sent; a transaction
 * still collecting votes is left to its vote timeout; one it does not know is answered ABORT.
 * That answer is safe only because the coordinator knows every commit it ever decided and not
 * yet saw acknowledged (it keeps them in memory and replays them from its log after a restart,
 * and answers nothing before the log is read): an unknown transaction never committed.
 */
import {
  type AccountRead,
  accountName,
  type BankInput,
  type BankOutput,
  shardOf,
} from '../../core/bank-ops.js';
import type { NodeId } from '../../core/ids.js';
import type { ClientRequest } from '../../core/protocol.js';
import type { MessageOf, TwoPcEffect, Write } from './messages.js';
import type { TwoPcConfig } from './twopc-config.js';
import type { CoordinatorState, CoordTxn } from './twopc-state.js';
import type { CoordinatorRecord } from './wal.js';

const voteTimer = (txn: number) => `vote:${txn}`;
export const RESEND_TIMER = 'resend';

interface Part {
  readonly reads: string[];
  readonly writes: Write[];
}

/** Each participant's part of the operation, in shard order; undefined for a malformed one. */
function plan(cfg: TwoPcConfig, op: BankInput): Map<NodeId, Part> | undefined {
  const { accounts, sharding } = op.bank;
  const shards = cfg.participants.length;
  const nodeOf = (name: string): NodeId | undefined => {
    const i = Number(name.slice(1));
    if (!/^a\d+$/.test(name) || i >= accounts) return undefined;
    return cfg.participants[shardOf(i, accounts, shards, sharding)];
  };
  const parts = new Map<NodeId, Part>();
  const partOf = (n: NodeId) => {
    let p = parts.get(n);
    if (p === undefined) {
      p = { reads: [], writes: [] };
      parts.set(n, p);
    }
    return p;
  };
  if (op.f === 'read') {
    for (let i = 0; i < accounts; i++)
      partOf(nodeOf(accountName(i)) as NodeId).reads.push(accountName(i));
  } else {
    const from = nodeOf(op.from);
    const to = nodeOf(op.to);
    const bad = !Number.isSafeInteger(op.amount) || op.amount <= 0 || op.from === op.to;
    if (from === undefined || to === undefined || bad) return undefined;
    partOf(from).writes.push([op.from, -op.amount, op.id]);
    partOf(to).writes.push([op.to, op.amount, op.id]);
  }
  const order = (a: NodeId, b: NodeId) => cfg.participants.indexOf(a) - cfg.participants.indexOf(b);
  return new Map([...parts].sort(([a], [b]) => order(a, b)));
}

/** A client's transaction: a Prepare to each of its participants, under the vote timeout. */
export function onClientRequest(
  cfg: TwoPcConfig,
  s: CoordinatorState,
  req: ClientRequest<BankInput>,
  fx: TwoPcEffect[],
): void {
  if (!s.log.ready) {
    const outcome = { type: 'fail', code: 'recovering', hint: s.id } as const;
    fx.push({ type: 'reply', requestId: req.id, outcome });
    return;
  }
  const parts = plan(cfg, req.op);
  if (parts === undefined) {
    fx.push({ type: 'reply', requestId: req.id, outcome: { type: 'fail', code: 'bad-request' } });
    return;
  }
  const txn = req.id;
  s.txns.set(txn, {
    txn,
    requestId: req.id,
    participants: [...parts.keys()],
    phase: 'voting',
    yes: new Set(),
    acks: new Set(),
    reads: new Map(),
    read: req.op.f === 'read',
  });
  const balance = req.op.bank.balance;
  for (const [to, p] of parts) {
    fx.push({
      type: 'send',
      to,
      msg: {
        type: 'Prepare',
        txn,
        reads: p.reads,
        balance,
        writes: p.writes,
        participants: [...parts.keys()],
      },
    });
  }
  fx.push({ type: 'setTimer', name: voteTimer(txn), afterUs: cfg.voteTimeoutUs });
}

export function onVote(
  cfg: TwoPcConfig,
  s: CoordinatorState,
  from: NodeId,
  m: MessageOf<'Vote'>,
  fx: TwoPcEffect[],
): void {
  const t = s.txns.get(m.txn);
  if (t === undefined || t.phase !== 'voting' || !t.participants.includes(from)) return;
  if (t.yes.has(from)) return; // a duplicate, or a re-vote after a restart: the first counts
  if (!m.yes) return abort(s, t, 'aborted', fx);
  t.yes.add(from);
  for (const [account, r] of Object.entries(m.reads ?? {})) t.reads.set(account, r);
  if (t.yes.size === t.participants.length) decideCommit(cfg, s, t, fx);
}

/** A vote is missing: abort, the coordinator's right before it decides (or commit, bugged). */
export function onVoteTimeout(
  cfg: TwoPcConfig,
  s: CoordinatorState,
  txn: number,
  fx: TwoPcEffect[],
): void {
  const t = s.txns.get(txn);
  if (t === undefined || t.phase !== 'voting') return;
  fx.push({ type: 'mark', name: 'twopc.vote-timeout' });
  if (cfg.bugs.commitOnVoteTimeout) decideCommit(cfg, s, t, fx);
  else abort(s, t, 'vote-timeout', fx);
}

function abort(s: CoordinatorState, t: CoordTxn, code: string, fx: TwoPcEffect[]): void {
  s.txns.delete(t.txn);
  fx.push({ type: 'cancelTimer', name: voteTimer(t.txn) });
  for (const to of t.participants) {
    fx.push({ type: 'send', to, msg: { type: 'Decision', txn: t.txn, commit: false } });
  }
  if (t.requestId !== undefined) {
    fx.push({ type: 'reply', requestId: t.requestId, outcome: { type: 'fail', code } });
  }
}

/** Every vote is YES: log COMMIT; the participants and the client hear of it once it is durable. */
function decideCommit(cfg: TwoPcConfig, s: CoordinatorState, t: CoordTxn, fx: TwoPcEffect[]) {
  t.phase = 'logging';
  fx.push({ type: 'cancelTimer', name: voteTimer(t.txn) });
  const record: CoordinatorRecord = ['C', t.txn, t.participants];
  s.log.write([record], [{ kind: 'decided', txn: t.txn }], fx);
  if (cfg.bugs.sendBeforeLoggingDecision) announceCommit(cfg, s, t.txn, fx);
}

/** The COMMIT record is durable (or, bugged, about to be written): tell everyone. */
export function announceCommit(
  cfg: TwoPcConfig,
  s: CoordinatorState,
  txn: number,
  fx: TwoPcEffect[],
): void {
  const t = s.txns.get(txn);
  if (t === undefined || t.phase === 'committed') return;
  t.phase = 'committed';
  fx.push({ type: 'mark', name: 'twopc.decision-logged' });
  sendCommit(t, fx);
  armResend(cfg, s, fx);
  if (t.requestId !== undefined)
    fx.push({ type: 'reply', requestId: t.requestId, outcome: { type: 'ok', value: output(t) } });
}

/** A read's answer: every account, in index order; a transfer's: `{}`. */
function output(t: CoordTxn): BankOutput {
  if (!t.read) return {};
  const names = [...t.reads.keys()].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
  return Object.fromEntries(names.map((n) => [n, t.reads.get(n) as AccountRead]));
}

function sendCommit(t: CoordTxn, fx: TwoPcEffect[]): void {
  for (const to of t.participants) {
    if (!t.acks.has(to))
      fx.push({ type: 'send', to, msg: { type: 'Decision', txn: t.txn, commit: true } });
  }
}

export function armResend(cfg: TwoPcConfig, s: CoordinatorState, fx: TwoPcEffect[]): void {
  if (s.resendArmed) return;
  s.resendArmed = true;
  fx.push({ type: 'setTimer', name: RESEND_TIMER, afterUs: cfg.resendUs });
}

/** Re-sends every commit some participant has not acknowledged. */
export function onResendTimer(cfg: TwoPcConfig, s: CoordinatorState, fx: TwoPcEffect[]): void {
  s.resendArmed = false;
  let any = false;
  for (const t of s.txns.values()) {
    if (t.phase !== 'committed') continue;
    sendCommit(t, fx);
    any = true;
  }
  if (any) armResend(cfg, s, fx);
}

export function onAck(s: CoordinatorState, from: NodeId, txn: number, fx: TwoPcEffect[]): void {
  const t = s.txns.get(txn);
  if (t === undefined || t.phase !== 'committed') return;
  t.acks.add(from);
  if (t.acks.size < t.participants.length) return;
  s.txns.delete(txn);
  const record: CoordinatorRecord = ['E', txn];
  s.log.write([record], [{ kind: 'nothing' }], fx);
}

/** A participant in doubt asks: a known commit is re-sent, an unknown transaction aborted. */
export function onDecisionRequest(
  s: CoordinatorState,
  from: NodeId,
  txn: number,
  fx: TwoPcEffect[],
): void {
  if (!s.log.ready) return;
  const t = s.txns.get(txn);
  if (t === undefined) {
    fx.push({ type: 'mark', name: 'twopc.presumed-abort' });
    fx.push({ type: 'send', to: from, msg: { type: 'Decision', txn, commit: false } });
  } else if (t.phase === 'committed') {
    fx.push({ type: 'send', to: from, msg: { type: 'Decision', txn, commit: true } });
  }
}
