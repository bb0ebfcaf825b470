/**
 * Starting a node: first boot creates an empty `wal` and is ready once the directory fsync makes
 * it exist; recovery replays the log's valid prefix (a torn tail, `saga.torn-tail-truncated`, is
 * zeroed and fsynced before the node answers anyone: shared/durable-log.ts says why).
 *
 * - orchestrator (Garcia-Molina & Salem §5, "the saga log"): every saga with a BEGIN and no END
 *   is carried on from where its records leave it — forward from the next step, or backward
 *   from the next compensation — re-sending the command that was in flight when it crashed
 *   (`saga.orchestrator-recovered`). The services apply each command once, so sending it again
 *   is safe. A saga whose BEGIN never became durable never sent a step: nothing to undo.
 * - service: its bookings and cancellations, re-applied in log order.
 *
 * Left out: read errors. An unreadable `wal` is taken for an empty one, which is safe only
 * because such errors are outside the fault model.
 */
import type { NodeContext } from '../../core/protocol.js';
import { decodeRecords } from '../shared/record-log.js';
import type { SagaEffect } from './messages.js';
import { proceed } from './orchestrator.js';
import { type SagaConfig, serviceOf } from './saga-config.js';
import {
  freshOrchestrator,
  freshService,
  type OrchestratorState,
  type SagaState,
  type ServiceState,
} from './saga-state.js';
import { apply } from './service.js';
import type { OrchestratorRecord, ServiceRecord } from './wal.js';

function fresh(cfg: SagaConfig, ctx: NodeContext, fx: SagaEffect[]): SagaState {
  const service = serviceOf(cfg, ctx.node);
  fx.push({ type: 'mark', name: service === undefined ? 'saga.orchestrator' : 'saga.service' });
  return service === undefined ? freshOrchestrator(ctx.node) : freshService(ctx.node, service);
}

export function firstBoot(cfg: SagaConfig, ctx: NodeContext, fx: SagaEffect[]): SagaState {
  const s = fresh(cfg, ctx, fx);
  s.log.create(fx);
  return s;
}

/** Rebuilds the node from its log; undefined when there is none (a crash during first boot). */
export function recover(
  cfg: SagaConfig,
  ctx: NodeContext,
  fx: SagaEffect[],
): SagaState | undefined {
  if (ctx.disk.size('wal') === undefined) return undefined;
  const read = ctx.disk.read('wal');
  const decoded = decodeRecords<unknown>(read.ok ? read.data : new Uint8Array(0));
  if (decoded.tornTail) fx.push({ type: 'mark', name: 'saga.torn-tail-truncated' });
  const s = fresh(cfg, ctx, fx);
  s.log.wal.reset(decoded.validBytes, decoded.lastCrc);
  s.log.ready = true;
  const size = ctx.disk.size('wal') ?? 0;
  if (decoded.tornTail) s.log.eraseTail(decoded.validBytes, size - decoded.validBytes, fx);
  if (s.role === 'orchestrator')
    replayOrchestrator(cfg, s, decoded.records as OrchestratorRecord[], ctx, fx);
  else replayService(s, decoded.records as ServiceRecord[]);
  return s;
}

function replayOrchestrator(
  cfg: SagaConfig,
  s: OrchestratorState,
  records: readonly OrchestratorRecord[],
  ctx: NodeContext,
  fx: SagaEffect[],
): void {
  for (const r of records) {
    if (r[0] === 'B') {
      s.sagas.set(r[1], {
        saga: r[1],
        unavailable: r[2] ?? undefined,
        requests: [],
        phase: 'forward',
        applied: [],
        compensated: [],
        pending: undefined,
        requestedAtUs: r[3],
        firstAppliedAtUs: undefined,
        outcome: undefined,
      });
      continue;
    }
    const run = s.sagas.get(r[1]);
    if (run === undefined) continue;
    if (r[0] === 'S') {
      run.applied.push(r[2]);
      if (r[2] === 0) run.firstAppliedAtUs = r[3];
    } else if (r[0] === 'F') run.phase = 'compensating';
    else if (r[0] === 'C') run.compensated.push(r[2]);
    else {
      run.phase = 'ended';
      run.outcome = r[2];
    }
  }
  fx.push({ type: 'mark', name: 'saga.orchestrator-recovered' });
  for (const run of s.sagas.values()) if (run.phase !== 'ended') proceed(cfg, s, run, ctx, fx);
}

function replayService(s: ServiceState, records: readonly ServiceRecord[]): void {
  for (const r of records) {
    s.bookings.set(r[1], { status: r[0] === 'B' ? 'booked' : 'cancelled' });
    apply(s, [r[1], r[0] === 'B' ? 'book' : 'cancel', r[2], r[3]]);
  }
}
