/**
 * Raft (Ongaro & Ousterhout, USENIX ATC'14, extended version; Ongaro's thesis, 2014) replicating
 * a key-value store with client sessions: the node contract's handlers, each dispatching to the
 * module that implements the rule (README.md lists them).
 *
 * - Elections with randomized timeouts; PreVote (thesis §9.6) so a node cut off from the cluster
 *   does not bump terms and depose a healthy leader when it returns; check-quorum (§6.2) so a
 *   leader that cannot reach a majority steps down; leader stickiness (§4.2.3): a node that
 *   heard from a leader within the minimum election timeout ignores RequestVote and PreVote.
 * - Log replication with Figure 2's consistency check and conflict truncation, a no-op at the
 *   start of each term, and the commit rule of §5.4.2: only an entry of the current term is
 *   committed by counting replicas.
 * - Persistence before replying (Figure 2): term and vote are fsynced before any message goes
 *   out in that term (the outbox), log entries before the node counts or acknowledges them. A
 *   failed fsync rewrites the data (fsyncgate). Recovery reads the durable image and drops a
 *   torn tail at the first bad checksum.
 * - Client sessions (§6.3) so a command retried after it committed is applied once; reads by
 *   ReadIndex (§6.4): wait until this term's no-op commits, note the commitIndex, confirm
 *   leadership with a heartbeat round, then answer once that index is applied.
 * - Log compaction (§7): every `snapshotEvery` applied entries the node writes a new WAL that
 *   starts with a snapshot, and a follower behind the leader's snapshot gets InstallSnapshot.
 *
 * - `storage: lsm` keeps the state machine in the LSM engine, the applied index in the same
 *   write batch as the data (lsm-storage.ts); the default keeps it in memory.
 *
 * Left out: membership changes and leader transfer; batching of client commands beyond what one
 * step appends; flow control beyond `batchMax` entries per AppendEntries.
 *
 * State is mutated in place and returned: the host owns it and drops it on a crash. Every
 * handler collects its effects in one list, and the log's changes are written at the end of the
 * step (`flushWal`), in one write and one fsync.
 */
import { assert } from '../../core/assert.js';
import type { KvInput, KvOutput } from '../../core/history.js';
import type { NodeId } from '../../core/ids.js';
import type { NodeContext, Protocol, Step, TimerName } from '../../core/protocol.js';
import { onClientRequest } from './client-requests.js';
import { onDiskDone } from './disk-completions.js';
import {
  onPreVote,
  onPreVoteReply,
  onRequestVote,
  onRequestVoteReply,
  requestVotes,
  startPreVote,
} from './elections.js';
import { onAppendEntries } from './follower.js';
import { onInstallSnapshot } from './install-snapshot.js';
import { LSM_SYNC_TIMER, onSyncTimer, openStore } from './lsm-storage.js';
import { onAppendReply, onHeartbeat } from './leader.js';
import type { RaftEffect, RaftMessage } from './messages.js';
import { createRaftConfig, type RaftConfig, type RaftOptions } from './raft-config.js';
import { createRaftObserver } from './raft-observer.js';
import type { RaftState } from './raft-state.js';
import { firstBoot, recover } from './recovery.js';
import { adoptTerm } from './step-down.js';
import { SESSION_KV, type StateMachineKind } from './session-kv.js';
import { flushWal } from './wal.js';
import { describeRaftState } from './describe-state.js';

export type { RaftOptions } from './raft-config.js';

type RaftStep = Step<RaftState, RaftMessage, KvOutput>;

export function createRaft(
  options: RaftOptions,
  bugs: ReadonlySet<string>,
  nodes: readonly NodeId[],
  stateMachine: StateMachineKind = SESSION_KV,
): Protocol<RaftState, RaftMessage, KvInput, KvOutput> {
  const cfg = createRaftConfig(options, bugs, nodes, stateMachine);
  return {
    name: 'raft',

    init(ctx) {
      const fx: RaftEffect[] = [];
      const s = firstBoot(cfg, ctx, fx);
      openStore(cfg, s, ctx, fx);
      return step(s, fx);
    },

    onRecover(ctx) {
      const fx: RaftEffect[] = [];
      const s = recover(cfg, ctx, fx);
      return s === undefined ? this.init(ctx) : step(s, fx);
    },

    onMessage(s, from, m, ctx) {
      const fx: RaftEffect[] = [];
      if (s.ready) dispatchMessage(cfg, s, from, m, ctx, fx);
      return step(s, fx);
    },

    onTimer(s, timer, ctx) {
      const fx: RaftEffect[] = [];
      if (timer === LSM_SYNC_TIMER) onSyncTimer(cfg, s, fx);
      else if (s.ready) dispatchTimer(cfg, s, timer, ctx, fx);
      return step(s, fx);
    },

    onRequest(s, req, ctx) {
      const fx: RaftEffect[] = [];
      onClientRequest(cfg, s, req, ctx, fx);
      return step(s, fx);
    },

    onDiskDone(s, done, ctx) {
      const fx: RaftEffect[] = [];
      onDiskDone(cfg, s, done, ctx, fx);
      return step(s, fx);
    },

    checkInvariants,

    describeMessage: (m) => m.type,

    describeState: describeRaftState,

    createObserver: () => createRaftObserver(cfg.electionTimeoutUs),
  };
}

/** Ends a step: writes what the log gained or lost, then hands state and effects to the host. */
function step(s: RaftState, fx: RaftEffect[]): RaftStep {
  flushWal(s, fx);
  return { state: s, effects: fx };
}

/** Figure 2's rule for all servers first (a newer term), then the message's own handler. */
function dispatchMessage(
  cfg: RaftConfig,
  s: RaftState,
  from: NodeId,
  m: RaftMessage,
  ctx: NodeContext,
  fx: RaftEffect[],
): void {
  adoptTerm(cfg, s, from, m, ctx, fx);
  switch (m.type) {
    case 'AppendEntries':
      return onAppendEntries(cfg, s, from, m, ctx, fx);
    case 'InstallSnapshot':
      return onInstallSnapshot(cfg, s, from, m, ctx, fx);
    case 'AppendEntriesReply':
    case 'InstallSnapshotReply':
      return onAppendReply(cfg, s, from, m, ctx, fx);
    case 'PreVote':
      return onPreVote(cfg, s, from, m, ctx, fx);
    case 'PreVoteReply':
      return onPreVoteReply(cfg, s, from, m, ctx, fx);
    case 'RequestVote':
      return onRequestVote(cfg, s, from, m, ctx, fx);
    case 'RequestVoteReply':
      return onRequestVoteReply(cfg, s, from, m, ctx, fx);
  }
}

/** A leader's heartbeat, a candidate's retry of RequestVote, anyone else's election timeout. */
function dispatchTimer(
  cfg: RaftConfig,
  s: RaftState,
  timer: TimerName,
  ctx: NodeContext,
  fx: RaftEffect[],
): void {
  if (timer === 'heartbeat' && s.role.kind === 'leader') onHeartbeat(cfg, s, s.role, ctx, fx);
  else if (timer === 'heartbeat' && s.role.kind === 'candidate') requestVotes(cfg, s, s.role, fx);
  else if (timer === 'election' && s.role.kind !== 'leader') startPreVote(cfg, s, ctx, fx);
}

/** Asserted by the host after every step. */
function checkInvariants(s: RaftState): void {
  assert(
    s.lastApplied <= s.commitIndex,
    () => `${s.id}: lastApplied ${s.lastApplied} beyond commitIndex ${s.commitIndex}`,
  );
  assert(
    s.commitIndex <= s.log.lastIndex,
    () => `${s.id}: commitIndex ${s.commitIndex} beyond the log's end ${s.log.lastIndex}`,
  );
  assert(
    s.durableIndex <= s.log.lastIndex,
    () => `${s.id}: durableIndex ${s.durableIndex} beyond the log's end ${s.log.lastIndex}`,
  );
}
