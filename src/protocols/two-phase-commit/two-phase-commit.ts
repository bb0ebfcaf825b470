/**
 * Two-phase commit (Gray, "Notes on Data Base Operating Systems", 1978; Bernstein, Hadzilacos &
 * Goodman, "Concurrency Control and Recovery in Database Systems", 1987, ch. 7; Gray & Lamport,
 * "Consensus on Transaction Commit", ACM TODS 2006, §3) over a sharded bank: the first node
 * coordinates, every other node is a participant holding one shard of the accounts. The node
 * contract's handlers, each dispatching to the module that implements the rule (README.md):
 *
 * - coordinator.ts: Prepare, votes, the decision logged before it is sent, presumed abort,
 *   commits re-sent until acknowledged, decision requests answered.
 * - participant.ts and locks.ts: strict two-phase locking with no-wait, PREPARED logged before
 *   the YES vote, in doubt (blocked, holding locks) until the decision, asking for it.
 * - shared/durable-log.ts, wal.ts and recovery.ts: both logs, and recovery from them.
 *
 * With `cooperativeTermination`, a participant in doubt asks the other participants too.
 *
 * Left out: a replicated
 * coordinator (Paxos Commit, Gray & Lamport §4), read-only optimizations, compaction.
 *
 * State is mutated in place and returned: the host owns it and drops it on a crash.
 */
import type { BankInput } from '../../core/bank-ops.js';
import type { NodeId } from '../../core/ids.js';
import type { DiskCompletion, NodeContext, Protocol, Step } from '../../core/protocol.js';
import {
  announceCommit,
  onAck,
  onClientRequest,
  onDecisionRequest,
  onResendTimer,
  onVote,
  onVoteTimeout,
  RESEND_TIMER,
} from './coordinator.js';
import type { TwoPcEffect, TwoPcMessage } from './messages.js';
import {
  ASK_TIMER,
  onAborted,
  onAskTimer,
  onCommitted,
  onDecision,
  onPrepare,
  onPeerDecisionRequest,
  onPrepared,
  onRefused,
} from './participant.js';
import { firstBoot, recover } from './recovery.js';
import { createTwoPcConfig, type TwoPcConfig, type TwoPcOptions } from './twopc-config.js';
import { createTwoPcObserver } from './twopc-observer.js';
import type { TwoPcState } from './twopc-state.js';

export type { TwoPcOptions } from './twopc-config.js';

type TwoPcStep = Step<TwoPcState, TwoPcMessage, unknown>;

export function createTwoPhaseCommit(
  options: TwoPcOptions,
  bugs: ReadonlySet<string>,
  nodes: readonly NodeId[],
): Protocol<TwoPcState, TwoPcMessage, BankInput, unknown> {
  const cfg = createTwoPcConfig(options, bugs, nodes);
  const step = (s: TwoPcState, fx: TwoPcEffect[]): TwoPcStep => ({ state: s, effects: fx });
  return {
    name: 'two-phase-commit',

    init(ctx) {
      const fx: TwoPcEffect[] = [];
      return step(firstBoot(cfg, ctx, fx), fx);
    },

    onRecover(ctx) {
      const fx: TwoPcEffect[] = [];
      const s = recover(cfg, ctx, fx);
      return s === undefined ? this.init(ctx) : step(s, fx);
    },

    onMessage(s, from, m, ctx) {
      const fx: TwoPcEffect[] = [];
      if (s.log.ready) dispatchMessage(cfg, s, from, m, ctx, fx);
      return step(s, fx);
    },

    onTimer(s, timer, ctx) {
      const fx: TwoPcEffect[] = [];
      if (s.role === 'participant') {
        if (timer === ASK_TIMER) onAskTimer(cfg, s, ctx, fx);
      } else if (timer === RESEND_TIMER) onResendTimer(cfg, s, fx);
      else if (timer.startsWith('vote:')) onVoteTimeout(cfg, s, Number(timer.slice(5)), fx);
      return step(s, fx);
    },

    onRequest(s, req, _ctx) {
      const fx: TwoPcEffect[] = [];
      if (s.role === 'coordinator') onClientRequest(cfg, s, req, fx);
      else {
        const outcome = { type: 'fail', code: 'not-coordinator', hint: cfg.coordinator } as const;
        fx.push({ type: 'reply', requestId: req.id, outcome });
      }
      return step(s, fx);
    },

    onDiskDone(s, done, _ctx) {
      const fx: TwoPcEffect[] = [];
      onDiskDone(cfg, s, done, fx);
      return step(s, fx);
    },

    describeMessage: (m) =>
      m.type === 'Vote'
        ? `Vote ${m.yes ? 'YES' : 'NO'}`
        : m.type === 'Decision'
          ? m.commit
            ? 'COMMIT'
            : 'ABORT'
          : m.type,

    describeState: (s) =>
      s.role === 'coordinator'
        ? { role: s.role, deciding: s.txns.size }
        : {
            role: s.role,
            inDoubt: [...s.txns.values()].filter((t) => t.phase === 'prepared').length,
            locked: s.locks.holders(),
          },

    createObserver: () => createTwoPcObserver(),
  };
}

function dispatchMessage(
  cfg: TwoPcConfig,
  s: TwoPcState,
  from: NodeId,
  m: TwoPcMessage,
  ctx: NodeContext,
  fx: TwoPcEffect[],
): void {
  if (s.role === 'coordinator') {
    if (m.type === 'Vote') onVote(cfg, s, from, m, fx);
    else if (m.type === 'Ack') onAck(s, from, m.txn, fx);
    else if (m.type === 'DecisionRequest') onDecisionRequest(s, from, m.txn, fx);
    return;
  }
  if (m.type === 'Prepare') onPrepare(s, from, m, ctx, fx);
  else if (m.type === 'Decision') onDecision(s, from, m, ctx, fx);
  else if (m.type === 'DecisionRequest' && cfg.cooperative)
    onPeerDecisionRequest(s, from, m.txn, ctx, fx);
}

/** A log fsync completed: what it made durable may now be said. */
function onDiskDone(cfg: TwoPcConfig, s: TwoPcState, done: DiskCompletion, fx: TwoPcEffect[]) {
  for (const after of s.log.synced(done, fx)) {
    if (after.kind === 'nothing') continue;
    if (s.role === 'coordinator') {
      if (after.kind === 'decided') announceCommit(cfg, s, after.txn, fx);
    } else if (after.kind === 'prepared') onPrepared(cfg, s, after.txn, fx);
    else if (after.kind === 'committed') onCommitted(cfg, s, after.txn, fx);
    else if (after.kind === 'aborted') onAborted(s, after.txn);
    else if (after.kind === 'refused') onRefused(s, after.txn, after.to, fx);
  }
}
