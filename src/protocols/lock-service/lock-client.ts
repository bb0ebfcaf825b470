/**
 * A lock client: the process that takes a lock and writes under it, a node of its own so that a
 * process-pause fault freezes it (SIGSTOP, a stop-the-world GC) and a clock fault skews the clock
 * it judges its lease by. It follows the Redis page's client rules:
 *
 * - its lease runs from when it sent the acquire, on its own clock, for the TTL granted: the
 *   server started the lease no earlier, so with clocks that agree the client's view expires
 *   first;
 * - before a write it checks the lease is still valid on its own clock, and refuses to write
 *   (`lease-expired`) if not; then it works (`workMs`: the critical section's computation) and
 *   writes, carrying the lease's fencing token.
 *
 * Nothing a client can do closes the gap between that check and the write reaching the store: a
 * pause (or a slow network, or a slow clock) in between, and the write lands after the lease has
 * passed to another holder. That is Kleppmann's argument and the reason for fencing tokens: the
 * store, not the client, must refuse the stale write.
 *
 * With `server: raft` it asks the replica it believes leads, follows a `Redirect` to the leader
 * named (Raft's clients do the same), and resends a request unanswered for `RETRY_MS` to the
 * next replica, up to `TRIES_MAX` sends: every lease command is idempotent by its owner (the
 * same acquire answers the same grant, a release deletes only its own lease), and the group
 * applies a retried command once (client sessions keyed by owner).
 */
import type { NodeId } from '../../core/ids.js';
import type { LockInput } from '../../core/lock-ops.js';
import type { ClientRequest, NodeContext, Outcome } from '../../core/protocol.js';
import type { LockConfig } from './lock-config.js';
import type { ClientState, Serving } from './lock-state.js';
import type { LockEffect, LockMessage } from './messages.js';

const US_PER_MS = 1000;
/** Requests a client serves at once; older ones (their clients long timed out) are dropped. */
const SERVING_MAX = 64;
export const WORK_TIMER = 'work:';
export const RETRY_TIMER = 'retry:';
/** `server: raft`: how long a lease request waits for an answer before going elsewhere. */
const RETRY_MS = 50;
/** `server: raft`: most sends of one lease request (the workload times out long before). */
const TRIES_MAX = 8;

export function onClientRequest(
  cfg: LockConfig,
  s: ClientState,
  req: ClientRequest<LockInput>,
  ctx: NodeContext,
  fx: LockEffect[],
): void {
  const op = req.op;
  if (op.f === 'audit')
    return reply(req.id, { type: 'fail', code: 'not-the-store', hint: cfg.store }, fx);
  if (op.f === 'write') return checkThenWork(s, req.id, op, ctx, fx);
  if (op.f === 'release') {
    s.held.delete(op.owner);
    const w: Serving = { kind: 'release', lock: op.lock, owner: op.owner, tries: 0 };
    serve(s, req.id, w);
    return sendLeaseRequest(cfg, s, req.id, w, fx);
  }
  if (op.f === 'renew' && !s.held.has(op.owner)) return fail(req.id, 'not-holder', ctx.node, fx);
  const ttlUs = op.ttlMs * US_PER_MS;
  const w: Serving = {
    kind: op.f,
    lock: op.lock,
    owner: op.owner,
    sentUs: ctx.now,
    ttlUs,
    tries: 0,
  };
  serve(s, req.id, w);
  sendLeaseRequest(cfg, s, req.id, w, fx);
}

type LeaseServing = Extract<Serving, { kind: 'acquire' | 'renew' | 'release' }>;

/** Sends a lease request to the server, or to the replica believed to lead and arms a retry. */
function sendLeaseRequest(
  cfg: LockConfig,
  s: ClientState,
  rid: number,
  w: LeaseServing,
  fx: LockEffect[],
): void {
  const { lock, owner } = w;
  const msg: LockMessage =
    w.kind === 'release'
      ? { type: 'Release', rid, lock, owner }
      : { type: w.kind === 'acquire' ? 'Acquire' : 'Renew', rid, lock, owner, ttlUs: w.ttlUs };
  fx.push({ type: 'send', to: s.leader, msg });
  if (cfg.replicas === undefined) return;
  w.tries++;
  if (w.tries < TRIES_MAX)
    fx.push({ type: 'setTimer', name: `${RETRY_TIMER}${rid}`, afterUs: RETRY_MS * US_PER_MS });
}

/** `server: raft`: a lease request went unanswered; ask the next replica. */
export function onRetry(cfg: LockConfig, s: ClientState, rid: number, fx: LockEffect[]): void {
  const w = s.serving.get(rid);
  if (w === undefined || w.kind === 'write') return;
  s.leader = nextReplica(cfg, s.leader);
  sendLeaseRequest(cfg, s, rid, w, fx);
}

function nextReplica(cfg: LockConfig, from: NodeId): NodeId {
  const replicas = cfg.replicas ?? [cfg.server];
  return replicas[(replicas.indexOf(from) + 1) % replicas.length] as NodeId;
}

/** A replica that does not lead named the one it believes does (or none): ask again there. */
function onRedirect(
  cfg: LockConfig,
  s: ClientState,
  m: Extract<LockMessage, { type: 'Redirect' }>,
  fx: LockEffect[],
): void {
  const w = s.serving.get(m.rid);
  if (w === undefined || w.kind === 'write') return;
  if (m.leader === null) return; // no leader known: the retry timer asks the next replica
  s.leader = m.leader;
  if (w.tries < TRIES_MAX) sendLeaseRequest(cfg, s, m.rid, w, fx);
}

function serve(s: ClientState, rid: number, what: Serving): void {
  s.serving.set(rid, what);
  if (s.serving.size > SERVING_MAX) s.serving.delete(s.serving.keys().next().value as number);
}

function reply(requestId: number, outcome: Outcome<unknown>, fx: LockEffect[]): void {
  fx.push({ type: 'reply', requestId, outcome });
}

/**
 * A definite failure, naming this node as the one to retry at: a lease lives in the process
 * that took it, so a client retrying elsewhere would ask another process that holds nothing.
 */
function fail(requestId: number, code: string, self: NodeId, fx: LockEffect[]): void {
  fx.push({ type: 'reply', requestId, outcome: { type: 'fail', code, hint: self } });
}

/** The lease check on this node's own clock, then the work before the write. */
function checkThenWork(
  s: ClientState,
  rid: number,
  op: Extract<LockInput, { f: 'write' }>,
  ctx: NodeContext,
  fx: LockEffect[],
): void {
  const lease = s.held.get(op.owner);
  if (lease === undefined) return fail(rid, 'not-holder', ctx.node, fx);
  if (ctx.now >= lease.validUntilUs) {
    s.held.delete(op.owner);
    fx.push({ type: 'mark', name: 'lock.lease-expired-locally' });
    return fail(rid, 'lease-expired', ctx.node, fx);
  }
  const { lock, owner, value } = op;
  serve(s, rid, { kind: 'write', lock, owner, token: lease.token, value });
  fx.push({ type: 'setTimer', name: `${WORK_TIMER}${rid}`, afterUs: op.workMs * US_PER_MS });
}

/** The work is done: write, believing the lease checked before it still holds. */
export function onWorkDone(cfg: LockConfig, s: ClientState, rid: number, fx: LockEffect[]): void {
  const w = s.serving.get(rid);
  if (w?.kind !== 'write') return;
  const msg = { type: 'Write', rid, key: w.lock, owner: w.owner, token: w.token, value: w.value };
  fx.push({ type: 'send', to: cfg.store, msg } as LockEffect);
}

/** An answer from the server or the store to a request this client serves. */
export function onClientMessage(
  cfg: LockConfig,
  s: ClientState,
  m: LockMessage,
  ctx: NodeContext,
  fx: LockEffect[],
): void {
  if (!('rid' in m)) return;
  if (m.type === 'Redirect') return onRedirect(cfg, s, m, fx);
  const w = s.serving.get(m.rid);
  if (w === undefined) return;
  s.serving.delete(m.rid);
  if (cfg.replicas !== undefined && w.kind !== 'write')
    fx.push({ type: 'cancelTimer', name: `${RETRY_TIMER}${m.rid}` });
  if (m.type === 'Granted' && (w.kind === 'acquire' || w.kind === 'renew')) {
    s.held.set(w.owner, { lock: w.lock, token: m.token, validUntilUs: w.sentUs + m.ttlUs });
    return reply(m.rid, { type: 'ok', value: { token: m.token } }, fx);
  }
  if (m.type === 'Refused') {
    if (w.kind === 'renew') s.held.delete(w.owner);
    const code = m.reason === 'not-holder' ? 'lease-lost' : `lock-${m.reason}`;
    return fail(m.rid, code, ctx.node, fx);
  }
  if (m.type === 'Released') return reply(m.rid, { type: 'ok', value: null }, fx);
  if (m.type === 'Accepted') return reply(m.rid, { type: 'ok', value: null }, fx);
  if (m.type === 'Rejected' && w.kind === 'write') {
    s.held.delete(w.owner);
    fail(m.rid, 'stale-token', ctx.node, fx);
  }
}
