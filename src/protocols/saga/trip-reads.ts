/**
 * Reads of one trip, as another client sees it while sagas run: any node takes the read, asks
 * each of the three services for the trip's state there (`StatusRequest`), and answers once all
 * three have. There is no isolation and no snapshot (a saga has none, Garcia-Molina & Salem §1):
 * a read may see the flight booked and the hotel not yet, or the hotel already cancelled — the
 * intermediate states the saga-completion checker counts. A read a service never answers is
 * left to the client's timeout.
 */
import type { NodeId } from '../../core/ids.js';
import type { ClientRequest } from '../../core/protocol.js';
import { SERVICES, type Service } from '../../core/saga-ops.js';
import type { MessageOf, SagaEffect } from './messages.js';
import type { SagaConfig } from './saga-config.js';
import { type SagaState, tripState } from './saga-state.js';

export function onTripRead(
  cfg: SagaConfig,
  s: SagaState,
  req: ClientRequest<{ readonly f: 'read'; readonly saga: string }>,
  fx: SagaEffect[],
): void {
  s.reads.set(req.id, { requestId: req.id, states: {} });
  for (const to of cfg.services) {
    if (to === s.id && s.role === 'service') {
      const state = tripState(s.bookings.get(req.op.saga));
      onStatus(s, { type: 'Status', read: req.id, service: s.service, state }, fx);
    } else
      fx.push({
        type: 'send',
        to,
        msg: { type: 'StatusRequest', read: req.id, saga: req.op.saga },
      });
  }
}

/** A service tells a reader how the trip stands here. */
export function onStatusRequest(
  s: SagaState,
  from: NodeId,
  m: MessageOf<'StatusRequest'>,
  fx: SagaEffect[],
): void {
  if (s.role !== 'service') return;
  const state = tripState(s.bookings.get(m.saga));
  fx.push({
    type: 'send',
    to: from,
    msg: { type: 'Status', read: m.read, service: s.service, state },
  });
}

export function onStatus(s: SagaState, m: MessageOf<'Status'>, fx: SagaEffect[]): void {
  const r = s.reads.get(m.read);
  if (r === undefined) return;
  r.states[m.service] = m.state;
  if (SERVICES.some((x: Service) => r.states[x] === undefined)) return;
  s.reads.delete(m.read);
  const value = Object.fromEntries(SERVICES.map((x) => [x, r.states[x]]));
  fx.push({ type: 'reply', requestId: r.requestId, outcome: { type: 'ok', value } });
}
