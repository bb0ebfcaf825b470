/**
 * The lock server: one node granting leases in the manner of a single Redis instance running
 * `SET lock owner NX PX ttl` ("Distributed locks with Redis", the single-instance algorithm),
 * plus a fencing token per grant (Kleppmann 2016; Burrows, "The Chubby lock service", OSDI 2006,
 * §2.4 sequencers): a counter that only grows, logged and fsynced before the grant is answered,
 * so no restart ever hands out a token twice.
 *
 * - Acquire: granted when no live lease holds the lock (a lease lives until its expiry on the
 *   server's clock); the TTL is capped at `ttlMaxMs`. Asked again by the same owner, it answers
 *   the same grant.
 * - Renew: extends the lease by its TTL from now if `owner` still holds it and it has not
 *   expired; otherwise refused (the compare-and-extend script).
 * - Release: deletes the lease if `owner` holds it (compare-and-delete); answered either way.
 *
 * A restarted server has forgotten its leases (they are not logged): it grants nothing for
 * `ttlMaxMs`, by which time every lease it granted before the crash has expired on its clock
 * (the "delayed restarts" of the Redis page). A lease's safety still rests on clocks: a server
 * clock that jumps forward expires leases early, which only fencing makes harmless.
 */
import type { NodeId } from '../../core/ids.js';
import type { NodeContext } from '../../core/protocol.js';
import type { LockConfig } from './lock-config.js';
import type { LockEffect, LockMessage, RefusalReason } from './messages.js';
import type { Lease, PendingGrant, ServerState } from './lock-state.js';

type TokenRecord = readonly ['T', number];

type LeaseRequest = Extract<LockMessage, { type: 'Acquire' | 'Renew' }>;

export function onServerMessage(
  cfg: LockConfig,
  s: ServerState,
  from: NodeId,
  m: LockMessage,
  ctx: NodeContext,
  fx: LockEffect[],
): void {
  if (m.type === 'Acquire') onAcquire(cfg, s, from, m, ctx, fx);
  else if (m.type === 'Renew') onRenew(cfg, s, from, m, ctx, fx);
  else if (m.type === 'Release') onRelease(s, from, m.rid, m.lock, m.owner, fx);
}

const live = (l: Lease | undefined, nowUs: number): l is Lease =>
  l !== undefined && nowUs < l.expiresUs;

function refuse(to: NodeId, rid: number, reason: RefusalReason, fx: LockEffect[]): void {
  fx.push({ type: 'send', to, msg: { type: 'Refused', rid, reason } });
}

function onAcquire(
  cfg: LockConfig,
  s: ServerState,
  from: NodeId,
  m: LeaseRequest,
  ctx: NodeContext,
  fx: LockEffect[],
): void {
  if (!s.log.ready || ctx.now < s.quietUntilUs) return refuse(from, m.rid, 'recovering', fx);
  const ttlUs = Math.min(m.ttlUs, cfg.ttlMaxUs);
  const current = s.leases.get(m.lock);
  if (live(current, ctx.now)) {
    if (current.owner !== m.owner) return refuse(from, m.rid, 'held', fx);
    // The same acquire again (a duplicate, a retry): answered as granted, but never before the
    // token is durable, or a restart could hand it out again. The fsync's grant answers it.
    if (!current.durable) return;
    const msg = { type: 'Granted', rid: m.rid, token: current.token, ttlUs } as const;
    return void fx.push({ type: 'send', to: from, msg });
  }
  // An expired lease its owner never released: the lock passes on, and only fencing can stop
  // the old owner, if it still believes it holds it, from writing.
  if (current !== undefined) fx.push({ type: 'mark', name: 'lock.expired-lease-taken' });
  const token = s.nextToken++;
  const lease = { owner: m.owner, token, expiresUs: ctx.now + ttlUs, durable: false };
  s.leases.set(m.lock, lease);
  fx.push({ type: 'mark', name: 'lock.granted' });
  const grant: PendingGrant = { lock: m.lock, to: from, rid: m.rid, token, ttlUs };
  if (cfg.bugs.volatileFencingToken) return answerGrant(s, grant, fx);
  const record: TokenRecord = ['T', token];
  s.log.write([record], [grant], fx);
}

/** A grant's token is durable (or, with the volatile-token bug, was never to be): answer it. */
export function answerGrant(s: ServerState, g: PendingGrant, fx: LockEffect[]): void {
  const lease = s.leases.get(g.lock);
  if (lease?.token === g.token) lease.durable = true;
  const msg = { type: 'Granted', rid: g.rid, token: g.token, ttlUs: g.ttlUs } as const;
  fx.push({ type: 'send', to: g.to, msg });
}

function onRenew(
  cfg: LockConfig,
  s: ServerState,
  from: NodeId,
  m: LeaseRequest,
  ctx: NodeContext,
  fx: LockEffect[],
): void {
  const current = s.leases.get(m.lock);
  if (!live(current, ctx.now) || current.owner !== m.owner)
    return refuse(from, m.rid, 'not-holder', fx);
  const ttlUs = Math.min(m.ttlUs, cfg.ttlMaxUs);
  current.expiresUs = ctx.now + ttlUs;
  fx.push({ type: 'mark', name: 'lock.renewed' });
  fx.push({
    type: 'send',
    to: from,
    msg: { type: 'Granted', rid: m.rid, token: current.token, ttlUs },
  });
}

function onRelease(
  s: ServerState,
  from: NodeId,
  rid: number,
  lock: string,
  owner: string,
  fx: LockEffect[],
): void {
  if (s.leases.get(lock)?.owner === owner) {
    s.leases.delete(lock);
    fx.push({ type: 'mark', name: 'lock.released' });
  }
  fx.push({ type: 'send', to: from, msg: { type: 'Released', rid } });
}

/**
 * A restart: the next token follows the highest logged (with the volatile-token bug nothing was
 * logged, so tokens start again at 1), and no grant for `ttlMaxMs`.
 */
export function recoverServer(
  cfg: LockConfig,
  s: ServerState,
  records: readonly unknown[],
  ctx: NodeContext,
  fx: LockEffect[],
): void {
  for (const r of records as readonly TokenRecord[])
    if (r[0] === 'T') s.nextToken = Math.max(s.nextToken, r[1] + 1);
  s.quietUntilUs = ctx.now + cfg.ttlMaxUs;
  fx.push({ type: 'mark', name: 'lock.server-recovered' });
}
