/**
 * The orchestrator (Garcia-Molina & Salem, "Sagas", SIGMOD 1987, §5: the saga execution
 * component; the orchestration pattern of Richardson's "Microservices Patterns", ch. 4): it runs
 * each saga's steps T1, T2, T3 (flight, hotel, car) one at a time, and when a step is refused it
 * backs the saga out, running the compensations of the applied steps in reverse order
 * (C_k … C_1, §3). Its progress is a saga log (wal.ts): BEGIN is durable before the first step
 * is sent, and each answer is durable before it acts on it, so after a crash it carries every
 * saga on from where the log says it was (recovery.ts), re-sending the command that was in flight.
 *
 * Commands are retried until answered, with exponential backoff and seeded jitter (from the
 * node's own random stream): a service that is down or cut off is waited for, never given up
 * on — a saga never blocks other sagas, it only waits for its own services. Retries and the
 * network's duplicates are harmless because a service applies each (saga id, step) once.
 */
import type { NodeId } from '../../core/ids.js';
import type { ClientRequest, NodeContext } from '../../core/protocol.js';
import { SERVICES, type SagaInput, type SagaOutcome } from '../../core/saga-ops.js';
import type { MessageOf, SagaEffect } from './messages.js';
import type { SagaConfig } from './saga-config.js';
import { COMPENSATED_MARK, COMPLETED_MARK, INTERMEDIATE_MARK } from './saga-metrics.js';
import type { Command, OrchestratorState, SagaRun } from './saga-state.js';
import type { OrchestratorRecord } from './wal.js';

const retryTimer = (saga: string) => `retry:${saga}`;

/** A client asks for a saga: begin it (BEGIN logged first), or wait for the one it knows. */
export function onBook(
  s: OrchestratorState,
  req: ClientRequest<Extract<SagaInput, { f: 'book' }>>,
  ctx: NodeContext,
  fx: SagaEffect[],
): void {
  const known = s.sagas.get(req.op.saga);
  if (known !== undefined) {
    if (known.phase === 'ended' && known.outcome !== undefined) reply(req.id, known.outcome, fx);
    else known.requests.push(req.id);
    return;
  }
  const run: SagaRun = {
    saga: req.op.saga,
    unavailable: req.op.unavailable,
    requests: [req.id],
    phase: 'beginning',
    applied: [],
    compensated: [],
    pending: undefined,
    requestedAtUs: ctx.now,
    firstAppliedAtUs: undefined,
    outcome: undefined,
  };
  s.sagas.set(run.saga, run);
  const record: OrchestratorRecord = ['B', run.saga, run.unavailable ?? null, ctx.now];
  s.log.write([record], [{ kind: 'begun', saga: run.saga }], fx);
}

function reply(requestId: number, outcome: SagaOutcome, fx: SagaEffect[]): void {
  fx.push({ type: 'reply', requestId, outcome: { type: 'ok', value: { outcome } } });
}

/** BEGIN is durable: the first step goes out. */
export function onBegun(
  cfg: SagaConfig,
  s: OrchestratorState,
  saga: string,
  ctx: NodeContext,
  fx: SagaEffect[],
) {
  const run = s.sagas.get(saga);
  if (run?.phase !== 'beginning') return;
  run.phase = 'forward';
  proceed(cfg, s, run, ctx, fx);
}

/**
 * Sends the saga's next command, or ends it: forward, the next step in order; backing out, the
 * compensation of the latest applied step not yet compensated (the earliest, bugged).
 */
export function proceed(
  cfg: SagaConfig,
  s: OrchestratorState,
  run: SagaRun,
  ctx: NodeContext,
  fx: SagaEffect[],
): void {
  if (run.phase === 'forward') {
    const step = run.applied.length;
    if (step === SERVICES.length) return end(s, run, 'completed', fx);
    return send(cfg, run, { kind: 'step', step, order: step + 1, tries: 0 }, ctx, fx);
  }
  if (run.phase !== 'compensating') return;
  const left = run.applied.filter((k) => !run.compensated.includes(k));
  if (left.length === 0) return end(s, run, 'compensated', fx);
  const step = (cfg.bugs.forwardCompensation ? left[0] : left[left.length - 1]) as number;
  const order = SERVICES.length + 1 + run.compensated.length;
  send(cfg, run, { kind: 'compensate', step, order, tries: 0 }, ctx, fx);
}

function send(cfg: SagaConfig, run: SagaRun, c: Command, ctx: NodeContext, fx: SagaEffect[]) {
  run.pending = c;
  const to = cfg.services[c.step] as NodeId;
  const unavailable = run.unavailable === SERVICES[c.step];
  const msg =
    c.kind === 'step'
      ? ({ type: 'Step', saga: run.saga, order: c.order, unavailable } as const)
      : ({ type: 'Compensate', saga: run.saga, order: c.order } as const);
  fx.push({ type: 'send', to, msg });
  const backoff = Math.min(cfg.retryMaxUs, cfg.retryUs * 2 ** Math.min(c.tries, 20));
  const jitter = ctx.random.int(0, Math.max(0, Math.floor(cfg.retryUs / 2)));
  fx.push({ type: 'setTimer', name: retryTimer(run.saga), afterUs: backoff + jitter });
}

/** No answer in time: the same command again, with the same order number. */
export function onRetryTimer(
  cfg: SagaConfig,
  s: OrchestratorState,
  saga: string,
  ctx: NodeContext,
  fx: SagaEffect[],
): void {
  const run = s.sagas.get(saga);
  const c = run?.pending;
  if (run === undefined || c === undefined) return;
  c.tries++;
  fx.push({ type: 'mark', name: 'saga.retry' });
  send(cfg, run, c, ctx, fx);
}

/** The answer to the command in flight, from the service it was sent to; else a stale one. */
function answered(cfg: SagaConfig, run: SagaRun | undefined, from: NodeId, kind: Command['kind']) {
  const c = run?.pending;
  if (c === undefined || c.kind !== kind || cfg.services[c.step] !== from) return undefined;
  return c;
}

export function onStepDone(
  cfg: SagaConfig,
  s: OrchestratorState,
  from: NodeId,
  m: MessageOf<'StepDone'>,
  ctx: NodeContext,
  fx: SagaEffect[],
): void {
  const run = s.sagas.get(m.saga);
  const c = answered(cfg, run, from, 'step');
  if (run === undefined || c === undefined || run.phase !== 'forward') return;
  run.pending = undefined;
  fx.push({ type: 'cancelTimer', name: retryTimer(run.saga) });
  if (m.applied) {
    const record: OrchestratorRecord = ['S', run.saga, c.step, ctx.now];
    s.log.write([record], [{ kind: 'step-logged', saga: run.saga, step: c.step }], fx);
  } else {
    const record: OrchestratorRecord = ['F', run.saga, c.step];
    s.log.write([record], [{ kind: 'refusal-logged', saga: run.saga }], fx);
  }
}

/** A step's success is durable: on to the next. */
export function onStepLogged(
  cfg: SagaConfig,
  s: OrchestratorState,
  saga: string,
  step: number,
  ctx: NodeContext,
  fx: SagaEffect[],
): void {
  const run = s.sagas.get(saga);
  if (run?.phase !== 'forward' || run.applied.length !== step) return;
  run.applied.push(step);
  if (step === 0) run.firstAppliedAtUs = ctx.now;
  proceed(cfg, s, run, ctx, fx);
}

/** A refusal is durable: the saga is backed out from here (Garcia-Molina & Salem §3). */
export function onRefusalLogged(
  cfg: SagaConfig,
  s: OrchestratorState,
  saga: string,
  ctx: NodeContext,
  fx: SagaEffect[],
): void {
  const run = s.sagas.get(saga);
  if (run?.phase !== 'forward') return;
  run.phase = 'compensating';
  fx.push({ type: 'mark', name: 'saga.compensating' });
  proceed(cfg, s, run, ctx, fx);
}

export function onCompensated(
  cfg: SagaConfig,
  s: OrchestratorState,
  from: NodeId,
  m: MessageOf<'Compensated'>,
  fx: SagaEffect[],
): void {
  const run = s.sagas.get(m.saga);
  const c = answered(cfg, run, from, 'compensate');
  if (run === undefined || c === undefined || run.phase !== 'compensating') return;
  run.pending = undefined;
  fx.push({ type: 'cancelTimer', name: retryTimer(run.saga) });
  const record: OrchestratorRecord = ['C', run.saga, c.step];
  s.log.write([record], [{ kind: 'compensation-logged', saga: run.saga, step: c.step }], fx);
}

export function onCompensationLogged(
  cfg: SagaConfig,
  s: OrchestratorState,
  saga: string,
  step: number,
  ctx: NodeContext,
  fx: SagaEffect[],
): void {
  const run = s.sagas.get(saga);
  if (run?.phase !== 'compensating' || run.compensated.includes(step)) return;
  run.compensated.push(step);
  proceed(cfg, s, run, ctx, fx);
}

function end(s: OrchestratorState, run: SagaRun, outcome: SagaOutcome, fx: SagaEffect[]): void {
  if (run.outcome !== undefined) return;
  run.outcome = outcome;
  const record: OrchestratorRecord = ['E', run.saga, outcome];
  s.log.write([record], [{ kind: 'ended', saga: run.saga }], fx);
}

/** END is durable: the clients waiting hear how the saga ended; the measures count it. */
export function onEnded(
  s: OrchestratorState,
  saga: string,
  ctx: NodeContext,
  fx: SagaEffect[],
): void {
  const run = s.sagas.get(saga);
  if (run === undefined || run.outcome === undefined || run.phase === 'ended') return;
  run.phase = 'ended';
  for (const id of run.requests.splice(0)) reply(id, run.outcome, fx);
  const name = run.outcome === 'completed' ? COMPLETED_MARK : COMPENSATED_MARK;
  fx.push({ type: 'mark', name, value: Math.max(0, ctx.now - run.requestedAtUs) });
  if (run.firstAppliedAtUs !== undefined) {
    const value = Math.max(0, ctx.now - run.firstAppliedAtUs);
    fx.push({ type: 'mark', name: INTERMEDIATE_MARK, value });
  }
}
