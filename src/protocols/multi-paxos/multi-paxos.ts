/**
 * Multi-Paxos (Lamport, "Paxos Made Simple" §3; Chandra, Griesemer & Redstone, "Paxos Made
 * Live", PODC'07) replicating a key-value store with client sessions: the node contract's
 * handlers, each dispatching to the module that implements the rule (README.md lists them).
 *
 * - leader.ts: a distinguished proposer elected by phase 1 over every open slot at once, then
 *   phase 2 alone per slot; gaps filled with no-ops; catch-up of lagging learners; check-quorum.
 * - acceptor.ts: promises and acceptances, durable before they are answered (wal.ts); leases.
 * - learner.ts: learning chosen slots, applying them in slot order, snapshots.
 * - reads.ts: reads by a quorum round or by the leader's lease (`reads` option).
 * - client-requests.ts: redirects, client sessions, writes.
 *
 * Left out: membership changes (Paxos Made Live §5.5's "master" reconfiguration), batching of
 * several commands per slot, pipelining limits beyond one Accept per slot per heartbeat.
 *
 * State is mutated in place and returned: the host owns it and drops it on a crash. Every handler
 * collects its effects in one list; at its end a leader or candidate that saw a higher ballot
 * steps down, and what the acceptor changed is written (`flushWal`) in one write and one fsync.
 */
import { assert } from '../../core/assert.js';
import type { KvInput, KvOutput } from '../../core/history.js';
import type { NodeId } from '../../core/ids.js';
import type {
  DiskCompletion,
  NodeContext,
  Protocol,
  Step,
  TimerName,
} from '../../core/protocol.js';
import { onAccept, onCommit, onPrepare } from './acceptor.js';
import { onClientRequest } from './client-requests.js';
import { describeMultiPaxosState } from './describe-state.js';
import {
  maybePrepare,
  onAccepted,
  onCommitReply,
  onHeartbeat,
  onNack,
  onPromise,
  startElection,
  stepDown,
} from './leader.js';
import { onInstallSnapshot, onLearn } from './learner.js';
import type { MultiPaxosEffect, MultiPaxosMessage } from './messages.js';
import {
  createMultiPaxosConfig,
  type MultiPaxosConfig,
  type MultiPaxosOptions,
} from './multi-paxos-config.js';
import { createMultiPaxosObserver } from './multi-paxos-observer.js';
import type { Held, MultiPaxosState } from './multi-paxos-state.js';
import { firstBoot, recover } from './recovery.js';
import { electionTimer } from './timers.js';
import { flushWal, INIT_TAG, isCompactionDisk, onCompactionDisk, onWalSynced } from './wal.js';

export type { MultiPaxosOptions } from './multi-paxos-config.js';

type MultiPaxosStep = Step<MultiPaxosState, MultiPaxosMessage, KvOutput>;

export function createMultiPaxos(
  options: MultiPaxosOptions,
  bugs: ReadonlySet<string>,
  nodes: readonly NodeId[],
): Protocol<MultiPaxosState, MultiPaxosMessage, KvInput, KvOutput> {
  const cfg = createMultiPaxosConfig(options, bugs, nodes);
  /** Ends a step: a proposer that saw a higher ballot steps down; the WAL write goes out. */
  const step = (s: MultiPaxosState, ctx: NodeContext, fx: MultiPaxosEffect[]): MultiPaxosStep => {
    const r = s.role;
    if (r.kind !== 'follower' && Math.max(s.promised, s.heardBallot) > r.ballot)
      stepDown(cfg, s, ctx, fx);
    flushWal(s, fx);
    return { state: s, effects: fx };
  };
  const begin = (s: MultiPaxosState): MultiPaxosEffect[] => {
    s.learned.length = 0;
    return [];
  };
  return {
    name: 'multi-paxos',

    init(ctx) {
      const fx: MultiPaxosEffect[] = [];
      return step(firstBoot(cfg, ctx, fx), ctx, fx);
    },

    onRecover(ctx) {
      const fx: MultiPaxosEffect[] = [];
      const s = recover(cfg, ctx, fx);
      return s === undefined ? this.init(ctx) : step(s, ctx, fx);
    },

    onMessage(s, from, m, ctx) {
      const fx = begin(s);
      if (s.ready) dispatchMessage(cfg, s, from, m, ctx, fx);
      return step(s, ctx, fx);
    },

    onTimer(s, timer, ctx) {
      const fx = begin(s);
      if (s.ready) dispatchTimer(cfg, s, timer, ctx, fx);
      return step(s, ctx, fx);
    },

    onRequest(s, req, ctx) {
      const fx = begin(s);
      onClientRequest(cfg, s, req, ctx, fx);
      return step(s, ctx, fx);
    },

    onDiskDone(s, done, ctx) {
      const fx = begin(s);
      onDiskDone(cfg, s, done, ctx, fx);
      return step(s, ctx, fx);
    },

    checkInvariants,

    describeMessage: (m) => m.type,

    describeState: describeMultiPaxosState,

    createObserver: () => createMultiPaxosObserver(),
  };
}

function dispatchMessage(
  cfg: MultiPaxosConfig,
  s: MultiPaxosState,
  from: NodeId,
  m: MultiPaxosMessage,
  ctx: NodeContext,
  fx: MultiPaxosEffect[],
): void {
  switch (m.type) {
    case 'Prepare':
      return onPrepare(cfg, s, from, m, ctx, fx);
    case 'Promise':
      return onPromise(cfg, s, from, m, ctx, fx);
    case 'Nack':
      return onNack(s, m);
    case 'Accept':
      return onAccept(cfg, s, from, m, ctx, fx);
    case 'Accepted':
      return onAccepted(cfg, s, from, m, ctx, fx);
    case 'Commit':
      return onCommit(cfg, s, from, m, ctx, fx);
    case 'CommitReply':
      return onCommitReply(cfg, s, from, m, ctx, fx);
    case 'Learn':
      return onLearn(cfg, s, m, ctx, fx);
    case 'InstallSnapshot':
      return onInstallSnapshot(cfg, s, m, ctx, fx);
  }
}

/** A leader's heartbeat; anyone else's election timeout (a candidate's retry included). */
function dispatchTimer(
  cfg: MultiPaxosConfig,
  s: MultiPaxosState,
  timer: TimerName,
  ctx: NodeContext,
  fx: MultiPaxosEffect[],
): void {
  if (timer === 'heartbeat' && s.role.kind === 'leader') onHeartbeat(cfg, s, s.role, ctx, fx);
  else if (timer === 'election' && s.role.kind !== 'leader') startElection(cfg, s, ctx, fx);
}

/**
 * First boot's directory fsync makes the node ready. A WAL fsync, or the end of a rewrite,
 * releases what it held: the acceptor's replies, and the Prepare that waited for its round.
 */
function onDiskDone(
  cfg: MultiPaxosConfig,
  s: MultiPaxosState,
  done: DiskCompletion,
  ctx: NodeContext,
  fx: MultiPaxosEffect[],
): void {
  if (done.tag === INIT_TAG) {
    if (done.op === 'syncDir' && !s.ready) {
      s.ready = true;
      fx.push(electionTimer(cfg, ctx));
    }
    return;
  }
  let held: Held | undefined;
  if (isCompactionDisk(s, done)) held = onCompactionDisk(s, done, fx);
  else if (done.op === 'sync' && done.file === 'wal') held = onWalSynced(s, done, fx);
  if (held === undefined) return;
  for (const o of held.sends) fx.push({ type: 'send', to: o.to, msg: o.msg });
  if (held.round > s.roundDurable) s.roundDurable = held.round;
  maybePrepare(cfg, s, fx);
}

/** Asserted by the host after every step. */
function checkInvariants(s: MultiPaxosState): void {
  assert(
    (s.snapshot?.index ?? 0) <= s.applied,
    () => `${s.id}: snapshot at slot ${s.snapshot?.index} beyond applied ${s.applied}`,
  );
  assert(
    !s.chosen.has(s.applied + 1),
    () => `${s.id}: slot ${s.applied + 1} is chosen but not applied`,
  );
  assert(s.roundDurable <= s.roundWritten, () => `${s.id}: a round durable before it was written`);
}
