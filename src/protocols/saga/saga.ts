/**
 * An orchestrated Saga (Garcia-Molina & Salem, "Sagas", SIGMOD 1987) booking trips across three
 * services: the first node orchestrates, the next three are the flight, hotel and car services.
 * The node contract's handlers, each dispatching to the module that implements the rule
 * (README.md):
 *
 * - orchestrator.ts: steps in order, compensations in reverse order after a refusal, each
 *   answer logged before it is acted on, commands retried with backoff until answered.
 * - service.ts: bookings and cancellations, each applied once per (saga id, step) and durable
 *   before it is visible or answered.
 * - trip-reads.ts: reads of one trip from the three services, no isolation.
 * - shared/durable-log.ts, wal.ts and recovery.ts: both logs, and recovery from them.
 *
 * State is mutated in place and returned: the host owns it and drops it on a crash.
 */
import type { NodeId } from '../../core/ids.js';
import type { DiskCompletion, NodeContext, Protocol, Step } from '../../core/protocol.js';
import type { SagaInput } from '../../core/saga-ops.js';
import type { SagaEffect, SagaMessage } from './messages.js';
import {
  onBegun,
  onBook,
  onCompensated,
  onCompensationLogged,
  onEnded,
  onRefusalLogged,
  onRetryTimer,
  onStepDone,
  onStepLogged,
} from './orchestrator.js';
import { firstBoot, recover } from './recovery.js';
import { createSagaConfig, type SagaConfig, type SagaOptions } from './saga-config.js';
import type { SagaState } from './saga-state.js';
import { onApplied, onCompensate, onLedger, onStep } from './service.js';
import { onStatus, onStatusRequest, onTripRead } from './trip-reads.js';

export type { SagaOptions } from './saga-config.js';

type SagaStep = Step<SagaState, SagaMessage, unknown>;

export function createSaga(
  options: SagaOptions,
  bugs: ReadonlySet<string>,
  nodes: readonly NodeId[],
): Protocol<SagaState, SagaMessage, SagaInput, unknown> {
  const cfg = createSagaConfig(options, bugs, nodes);
  const step = (s: SagaState, fx: SagaEffect[]): SagaStep => ({ state: s, effects: fx });
  return {
    name: 'saga',

    init(ctx) {
      const fx: SagaEffect[] = [];
      return step(firstBoot(cfg, ctx, fx), fx);
    },

    onRecover(ctx) {
      const fx: SagaEffect[] = [];
      const s = recover(cfg, ctx, fx);
      return s === undefined ? this.init(ctx) : step(s, fx);
    },

    onMessage(s, from, m, ctx) {
      const fx: SagaEffect[] = [];
      if (s.log.ready) dispatchMessage(cfg, s, from, m, ctx, fx);
      return step(s, fx);
    },

    onTimer(s, timer, ctx) {
      const fx: SagaEffect[] = [];
      if (s.role === 'orchestrator' && timer.startsWith('retry:'))
        onRetryTimer(cfg, s, timer.slice(6), ctx, fx);
      return step(s, fx);
    },

    onRequest(s, req, ctx) {
      const fx: SagaEffect[] = [];
      const op = req.op;
      if (op.f === 'read') onTripRead(cfg, s, { ...req, op }, fx);
      else if (op.f === 'ledger')
        onLedger(cfg, s.role === 'service' ? s : undefined, { ...req, op }, fx);
      else if (s.role !== 'orchestrator') {
        const outcome = { type: 'fail', code: 'not-orchestrator', hint: cfg.orchestrator } as const;
        fx.push({ type: 'reply', requestId: req.id, outcome });
      } else if (!s.log.ready) {
        const outcome = { type: 'fail', code: 'recovering', hint: s.id } as const;
        fx.push({ type: 'reply', requestId: req.id, outcome });
      } else onBook(s, { ...req, op }, ctx, fx);
      return step(s, fx);
    },

    onDiskDone(s, done, ctx) {
      const fx: SagaEffect[] = [];
      onDiskDone(cfg, s, done, ctx, fx);
      return step(s, fx);
    },

    describeMessage: (m) =>
      m.type === 'StepDone' ? `StepDone ${m.applied ? 'applied' : 'refused'}` : m.type,

    describeState: (s) =>
      s.role === 'orchestrator'
        ? {
            role: s.role,
            running: [...s.sagas.values()].filter((r) => r.phase !== 'ended').length,
          }
        : { role: s.role, service: s.service, held: s.held },
  };
}

function dispatchMessage(
  cfg: SagaConfig,
  s: SagaState,
  from: NodeId,
  m: SagaMessage,
  ctx: NodeContext,
  fx: SagaEffect[],
): void {
  if (m.type === 'StatusRequest') return onStatusRequest(s, from, m, fx);
  if (m.type === 'Status') return onStatus(s, m, fx);
  if (s.role === 'orchestrator') {
    if (m.type === 'StepDone') onStepDone(cfg, s, from, m, ctx, fx);
    else if (m.type === 'Compensated') onCompensated(cfg, s, from, m, fx);
    return;
  }
  if (m.type === 'Step') onStep(s, from, m, ctx, fx);
  else if (m.type === 'Compensate') onCompensate(cfg, s, from, m, ctx, fx);
}

/** A log fsync completed: what it made durable may now be acted on and said. */
function onDiskDone(
  cfg: SagaConfig,
  s: SagaState,
  done: DiskCompletion,
  ctx: NodeContext,
  fx: SagaEffect[],
): void {
  for (const after of s.log.synced(done, fx)) {
    if (s.role === 'service') {
      if (after.kind === 'booked' || after.kind === 'cancelled')
        onApplied(s, after.kind, after.saga, after.entry, after.to, fx);
      continue;
    }
    if (after.kind === 'begun') onBegun(cfg, s, after.saga, ctx, fx);
    else if (after.kind === 'step-logged') onStepLogged(cfg, s, after.saga, after.step, ctx, fx);
    else if (after.kind === 'refusal-logged') onRefusalLogged(cfg, s, after.saga, ctx, fx);
    else if (after.kind === 'compensation-logged')
      onCompensationLogged(cfg, s, after.saga, after.step, ctx, fx);
    else if (after.kind === 'ended') onEnded(s, after.saga, ctx, fx);
  }
}
