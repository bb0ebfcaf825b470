/**
 * Single-decree Paxos (Lamport, "Paxos Made Simple", 2001) per key, as Cassandra's lightweight
 * transactions use it: a linearizable compare-and-set register for every key, each change of a
 * register one Paxos instance. Every node is proposer, acceptor and learner, and a client may
 * send its request to any node. The node contract's handlers, each dispatching to the module
 * that implements the rule (README.md lists them):
 *
 * - proposer.ts: ballots, phase 1 and 2 for one client request, finishing a proposal in
 *   progress before answering, randomized backoff.
 * - acceptor.ts: promises, acceptances, learning committed values.
 * - wal.ts and recovery.ts: everything an acceptor says is durable before it is said; the
 *   proposer's round counter is too.
 *
 * Left out: Multi-Paxos's stable leader (one round trip per change instead of two), reads at a
 * weaker consistency, compaction of the WAL.
 *
 * State is mutated in place and returned: the host owns it and drops it on a crash. Every handler
 * collects its effects in one list, and what the step changed is written at its end (`flushWal`),
 * in one write and one fsync, the acceptor's replies held until it completes.
 */
import type { NodeId } from '../../core/ids.js';
import type { DiskCompletion, NodeContext, Protocol, Step } from '../../core/protocol.js';
import { onAccept, onCommit, onPrepare } from './acceptor.js';
import { roundOf } from './ballot.js';
import { describePaxosState } from './describe-state.js';
import type { CasOp, CasResult, PaxosEffect, PaxosMessage } from './messages.js';
import { createPaxosConfig, type PaxosConfig, type PaxosOptions } from './paxos-config.js';
import { createPaxosObserver } from './paxos-observer.js';
import type { PaxosState } from './paxos-state.js';
import {
  attemptOfTimer,
  onAccepted,
  onAttemptTimer,
  onClientRequest,
  onNack,
  onPromise,
  sendPrepare,
} from './proposer.js';
import { firstBoot, recover } from './recovery.js';
import { flushWal, INIT_TAG, onWalSynced } from './wal.js';

export type { PaxosOptions } from './paxos-config.js';

type PaxosStep = Step<PaxosState, PaxosMessage, CasResult>;

export function createPaxos(
  options: PaxosOptions,
  bugs: ReadonlySet<string>,
  nodes: readonly NodeId[],
): Protocol<PaxosState, PaxosMessage, CasOp, CasResult> {
  const cfg = createPaxosConfig(options, bugs, nodes);
  const step = (s: PaxosState, fx: PaxosEffect[]): PaxosStep => {
    flushWal(cfg, s, fx);
    return { state: s, effects: fx };
  };
  return {
    name: 'paxos',

    init(ctx) {
      const fx: PaxosEffect[] = [];
      return step(firstBoot(cfg, ctx, fx), fx);
    },

    onRecover(ctx) {
      const fx: PaxosEffect[] = [];
      const s = recover(cfg, ctx, fx);
      return s === undefined ? this.init(ctx) : step(s, fx);
    },

    onMessage(s, from, m, ctx) {
      const fx: PaxosEffect[] = [];
      if (s.ready) dispatchMessage(cfg, s, from, m, ctx, fx);
      return step(s, fx);
    },

    onTimer(s, timer, ctx) {
      const fx: PaxosEffect[] = [];
      const requestId = attemptOfTimer(timer);
      if (s.ready && requestId !== undefined) onAttemptTimer(cfg, s, requestId, ctx, fx);
      return step(s, fx);
    },

    onRequest(s, req, ctx) {
      const fx: PaxosEffect[] = [];
      onClientRequest(cfg, s, req, ctx, fx);
      return step(s, fx);
    },

    onDiskDone(s, done, _ctx) {
      const fx: PaxosEffect[] = [];
      onDiskDone(cfg, s, done, fx);
      return step(s, fx);
    },

    describeMessage: (m) => m.type,

    describeState: describePaxosState,

    createObserver: () => createPaxosObserver(),
  };
}

function dispatchMessage(
  cfg: PaxosConfig,
  s: PaxosState,
  from: NodeId,
  m: PaxosMessage,
  ctx: NodeContext,
  fx: PaxosEffect[],
): void {
  if (isAcceptorMessage(m) && !s.registers.has(m.key) && s.registers.size >= cfg.registersMax) {
    // No room for another register: the acceptor takes no part in this key (`registersMax`).
    fx.push({ type: 'mark', name: 'paxos.registers-full' });
    return;
  }
  switch (m.type) {
    case 'Prepare':
      return onPrepare(cfg, s, from, m, fx);
    case 'Promise':
      return onPromise(cfg, s, from, m, fx);
    case 'Accept':
      return onAccept(cfg, s, from, m, fx);
    case 'Accepted':
      return onAccepted(cfg, s, from, m, ctx, fx);
    case 'Nack':
      return onNack(cfg, s, from, m, ctx, fx);
    case 'Commit':
      return onCommit(s, m, fx);
  }
}

/** Messages to the acceptor and learner, which keep a register for their key. */
const isAcceptorMessage = (m: PaxosMessage) =>
  m.type === 'Prepare' || m.type === 'Accept' || m.type === 'Commit';

/**
 * First boot's directory fsync makes the node ready. A WAL fsync releases what it held: the
 * acceptor's replies, and the Prepares that waited for the round counter.
 */
function onDiskDone(cfg: PaxosConfig, s: PaxosState, done: DiskCompletion, fx: PaxosEffect[]) {
  if (done.tag === INIT_TAG) {
    if (done.op === 'syncDir') s.ready = true;
    return;
  }
  if (done.op !== 'sync') return;
  const held = onWalSynced(s, done, fx);
  if (held === undefined) return;
  for (const o of held.sends) fx.push({ type: 'send', to: o.to, msg: o.msg });
  for (const id of held.prepares) {
    const a = s.attempts.get(id);
    if (a?.phase.kind === 'ballot' && roundOf(a.ballot) <= s.roundDurable) sendPrepare(cfg, a, fx);
  }
}
