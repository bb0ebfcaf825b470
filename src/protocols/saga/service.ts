/**
 * A service (flight, hotel or car): it owns its bookings and keeps them in its own durable log
 * (wal.ts), as each microservice of a saga owns its database (Richardson, "Microservices
 * Patterns", ch. 4). It runs one step of each saga, `Step` (book), and that step's
 * compensation, `Compensate` (cancel), each applied once per (saga id, step) however often it is
 * delivered: a retry or a duplicate of a command already applied is answered again and not
 * applied again (Garcia-Molina & Salem assume each T_i and C_i runs once; under at-least-once
 * delivery that takes deduplication). A booking or cancellation is logged and fsynced before it
 * is visible to reads and before it is answered, so what the orchestrator was told survives the
 * service's crash. A step for a trip the service has nothing to offer is refused by design.
 *
 * Its ledger lists what it applied, in order, with the orchestrator's order number and its own
 * clock; the final ledger read hands it to the saga-completion checker.
 */
import type { NodeId } from '../../core/ids.js';
import type { ClientRequest, NodeContext } from '../../core/protocol.js';
import { type LedgerEntry, SERVICES, type Service } from '../../core/saga-ops.js';
import type { MessageOf, SagaEffect } from './messages.js';
import type { SagaConfig } from './saga-config.js';
import type { ServiceState } from './saga-state.js';
import type { ServiceRecord } from './wal.js';

export function onStep(
  s: ServiceState,
  from: NodeId,
  m: MessageOf<'Step'>,
  ctx: NodeContext,
  fx: SagaEffect[],
): void {
  const done = (applied: boolean): void => {
    fx.push({ type: 'send', to: from, msg: { type: 'StepDone', saga: m.saga, applied } });
  };
  if (m.unavailable) return done(false);
  const b = s.bookings.get(m.saga);
  if (b !== undefined) {
    fx.push({ type: 'mark', name: 'saga.duplicate-command' });
    if (b.status === 'booked') done(true);
    return;
  }
  s.bookings.set(m.saga, { status: 'booking' });
  const entry: LedgerEntry = [m.saga, 'book', m.order, ctx.now];
  const record: ServiceRecord = ['B', m.saga, m.order, ctx.now];
  s.log.write([record], [{ kind: 'booked', saga: m.saga, entry, to: from }], fx);
}

export function onCompensate(
  cfg: SagaConfig,
  s: ServiceState,
  from: NodeId,
  m: MessageOf<'Compensate'>,
  ctx: NodeContext,
  fx: SagaEffect[],
): void {
  const b = s.bookings.get(m.saga);
  if (b === undefined) {
    // Never booked here: the orchestrator compensates only steps a service said it applied,
    // durably, so only lost durable data gets here. There is nothing to undo.
    fx.push({ type: 'mark', name: 'saga.compensate-unknown' });
    return compensated(from, m.saga, fx);
  }
  // Its booking or its cancellation is still being logged: the orchestrator's retry asks again.
  if (b.status === 'booking' || b.status === 'cancelling') return;
  if (b.status === 'cancelled') {
    fx.push({ type: 'mark', name: 'saga.duplicate-command' });
    if (!cfg.bugs.nonIdempotentCompensation) return compensated(from, m.saga, fx);
  }
  b.status = 'cancelling';
  const entry: LedgerEntry = [m.saga, 'cancel', m.order, ctx.now];
  const record: ServiceRecord = ['X', m.saga, m.order, ctx.now];
  s.log.write([record], [{ kind: 'cancelled', saga: m.saga, entry, to: from }], fx);
}

function compensated(to: NodeId, saga: string, fx: SagaEffect[]): void {
  fx.push({ type: 'send', to, msg: { type: 'Compensated', saga } });
}

/** A booking or a cancellation is durable: it is applied, visible, and answered. */
export function onApplied(
  s: ServiceState,
  kind: 'booked' | 'cancelled',
  saga: string,
  entry: LedgerEntry,
  to: NodeId,
  fx: SagaEffect[],
): void {
  const b = s.bookings.get(saga);
  if (b === undefined) return;
  b.status = kind;
  apply(s, entry);
  if (kind === 'booked')
    fx.push({ type: 'send', to, msg: { type: 'StepDone', saga, applied: true } });
  else compensated(to, saga, fx);
}

/** A ledger entry applied: the booking is held, or given back. */
export function apply(s: ServiceState, entry: LedgerEntry): void {
  s.ledger.push(entry);
  s.held += entry[1] === 'book' ? 1 : -1;
}

/** The final read of this service's ledger (another node's service is redirected there). */
export function onLedger(
  cfg: SagaConfig,
  s: ServiceState | undefined,
  req: ClientRequest<{ readonly f: 'ledger'; readonly service: Service }>,
  fx: SagaEffect[],
): void {
  if (s === undefined || s.service !== req.op.service) {
    const hint = cfg.services[SERVICES.indexOf(req.op.service)];
    const outcome =
      hint === undefined
        ? ({ type: 'fail', code: 'bad-request' } as const)
        : ({ type: 'fail', code: 'not-this-service', hint } as const);
    fx.push({ type: 'reply', requestId: req.id, outcome });
    return;
  }
  const value = { entries: s.ledger.map((e) => [...e]), held: s.held };
  fx.push({ type: 'reply', requestId: req.id, outcome: { type: 'ok', value } });
}
