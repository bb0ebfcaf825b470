/**
 * A lock server replica under `server: raft`: a node of the project's Raft (`protocols/raft`)
 * whose state machine is the lock table (lock-machine.ts), as etcd keeps its leases and locks
 * in its raft log and Chubby its lock table in Paxos. Raft's own handlers run unchanged inside
 * the lock service's node: this file only turns a lock client's request into a Raft client
 * request and Raft's answer back into the lock client's reply.
 *
 * - A lease request becomes a command stamped with this node's clock (`at`): if this node
 *   leads, Raft appends it, and the grant is answered once it is committed and applied, with the
 *   grant's log index as its fencing token. If it does not, Raft's redirect becomes `Redirect`,
 *   naming the leader it knows of; a leader that stepped down with the command uncommitted
 *   answers `Redirect` too, and the client asks again (the command is idempotent).
 * - The client session is the lease's owner, numbered by request id, so a retry that reaches a
 *   new leader after the first attempt committed is answered, not applied again.
 * - Raft sees only the group: its peers are the other replicas, never the store or the clients.
 *
 * The named bug `grant-from-follower` answers an acquire at a follower from its own applied
 * state, outside the log: the lock looks free there, so the follower grants, with its applied
 * index (its revision) as the token, what the leader may already have granted to someone else.
 */
import type { KvOutput } from '../../core/history.js';
import type { ClientId, NodeId } from '../../core/ids.js';
import type { NodeContext, Outcome } from '../../core/protocol.js';
import { createRaft } from '../raft/index.js';
import { LOCK_RAFT_OPTIONS, type LockConfig } from './lock-config.js';
import {
  decodeResult,
  encodeCommand,
  LOCK_MACHINE,
  LockMachine,
  type LockCommand,
} from './lock-machine.js';
import type { ReplicaState } from './lock-state.js';
import type { LockEffect, LockMessage, LockWire } from './messages.js';

/** Calls a replica keeps waiting on; older ones (their clients long retried elsewhere) drop. */
const CALLS_MAX = 256;

/** The Raft protocol instance every replica of one run shares (its config, its scratch). */
export type RaftProtocol = ReturnType<typeof createRaft>;
type RaftEffect = ReturnType<RaftProtocol['onTimer']>['effects'][number];

export function createLockGroup(cfg: LockConfig): RaftProtocol {
  return createRaft(LOCK_RAFT_OPTIONS, new Set(), cfg.replicas ?? [], LOCK_MACHINE);
}

/** The node's context as Raft must see it: its peers are the other replicas. */
export function groupContext(cfg: LockConfig, ctx: NodeContext): NodeContext {
  const peers = (cfg.replicas ?? []).filter((n) => n !== ctx.node);
  return { node: ctx.node, peers, now: ctx.now, random: ctx.random, disk: ctx.disk };
}

/**
 * Raft's effects as the lock service's: its messages, timers and disk operations go out as
 * they are, its replies to clients become answers to the lock clients.
 */
export function fromRaft(s: ReplicaState, effects: readonly RaftEffect[], fx: LockEffect[]): void {
  for (const e of effects) {
    if (e.type !== 'reply') fx.push(e);
    else answerCall(s, e.requestId, e.outcome, fx);
  }
}

function answerCall(
  s: ReplicaState,
  requestId: number,
  outcome: Outcome<KvOutput>,
  fx: LockEffect[],
): void {
  const call = s.calls.get(requestId);
  if (call === undefined) return;
  s.calls.delete(requestId);
  const msg = answerOf(call.rid, outcome, fx);
  if (msg !== undefined) fx.push({ type: 'send', to: call.to, msg });
}

function answerOf(
  rid: number,
  outcome: Outcome<KvOutput>,
  fx: LockEffect[],
): LockMessage | undefined {
  if (outcome.type === 'fail') return { type: 'Redirect', rid, leader: outcome.hint ?? null };
  if (outcome.type === 'info') return { type: 'Redirect', rid, leader: null };
  const r = decodeResult(outcome.value);
  if (r === undefined) return undefined;
  if (r.r === 'released') {
    fx.push({ type: 'mark', name: 'lock.released' });
    return { type: 'Released', rid };
  }
  if (r.r === 'refused') return { type: 'Refused', rid, reason: r.reason };
  if (r.fresh) fx.push({ type: 'mark', name: 'lock.granted' });
  if (r.tookExpired) fx.push({ type: 'mark', name: 'lock.expired-lease-taken' });
  return { type: 'Granted', rid, token: r.token, ttlUs: r.ttlUs };
}

/** A lock client's lease request: handed to Raft as a command stamped with this node's clock. */
export function onLeaseRequest(
  cfg: LockConfig,
  group: RaftProtocol,
  s: ReplicaState,
  from: NodeId,
  m: Extract<LockMessage, { type: 'Acquire' | 'Renew' | 'Release' }>,
  ctx: NodeContext,
  fx: LockEffect[],
): void {
  if (cfg.bugs.grantFromFollower && m.type === 'Acquire' && grantHere(cfg, s, from, m, ctx, fx))
    return;
  const ttlUs = m.type === 'Release' ? 0 : Math.min(m.ttlUs, cfg.ttlMaxUs);
  const op = m.type === 'Acquire' ? 'acquire' : m.type === 'Renew' ? 'renew' : 'release';
  const command: LockCommand = { op, owner: m.owner, ttlUs, at: ctx.now };
  const id = s.nextCall++;
  s.calls.set(id, { to: from, rid: m.rid });
  if (s.calls.size > CALLS_MAX) s.calls.delete(s.calls.keys().next().value as number);
  const req = {
    id,
    client: m.owner as ClientId,
    seq: m.rid,
    op: { f: 'put', key: m.lock, value: encodeCommand(command) } as const,
  };
  const step = group.onRequest(s.raft, req, groupContext(cfg, ctx));
  s.raft = step.state;
  fromRaft(s, step.effects, fx);
}

/**
 * The named bug: a follower that sees the lock free in its own applied state grants it there,
 * with its applied index as the token, and nothing reaches the log.
 */
function grantHere(
  cfg: LockConfig,
  s: ReplicaState,
  from: NodeId,
  m: Extract<LockMessage, { type: 'Acquire' | 'Renew' }>,
  ctx: NodeContext,
  fx: LockEffect[],
): boolean {
  if (s.raft.role.kind === 'leader' || !(s.raft.sm instanceof LockMachine)) return false;
  const lease = s.raft.sm.lease(m.lock);
  const live = lease !== undefined && ctx.now < lease.expiresUs;
  if (live && lease.owner !== m.owner) return false;
  const token = live ? lease.token : s.raft.lastApplied;
  const ttlUs = Math.min(m.ttlUs, cfg.ttlMaxUs);
  fx.push({ type: 'mark', name: 'lock.granted-by-follower' });
  fx.push({ type: 'send', to: from, msg: { type: 'Granted', rid: m.rid, token, ttlUs } });
  return true;
}

export const isLeaseRequest = (
  m: LockWire,
): m is Extract<LockMessage, { type: 'Acquire' | 'Renew' | 'Release' }> =>
  m.type === 'Acquire' || m.type === 'Renew' || m.type === 'Release';
