/**
 * What a saga's lack of isolation costs, in virtual time (Garcia-Molina & Salem §1: "other
 * transactions may see the effects of a partial saga"): for each saga that applied a step, how
 * long it stood in an intermediate state any client could see — from its first step applied to
 * its end, completed or compensated — and how many sagas completed and were compensated, each
 * with its duration from the client's request to its end. The orchestrator reports them as
 * marks when it logs a saga's end (orchestrator.ts).
 */
import type { NodeId } from '../../core/ids.js';
import { type Metrics, type MetricsCollector, metric } from '../../core/metrics.js';
import type { Micros } from '../../core/time.js';

export const INTERMEDIATE_MARK = 'saga.intermediate-us';
export const COMPLETED_MARK = 'saga.completed-us';
export const COMPENSATED_MARK = 'saga.compensated-us';

export class SagaMetrics implements MetricsCollector {
  private readonly intermediate: number[] = [];
  private readonly completed: number[] = [];
  private readonly compensated: number[] = [];

  nodeFailed(_node: NodeId, _now: Micros): void {}

  nodeRestarted(_node: NodeId, _now: Micros): void {}

  mark(_node: NodeId, name: string, value: number | undefined, _now: Micros): void {
    if (value === undefined) return;
    if (name === INTERMEDIATE_MARK) this.intermediate.push(value);
    else if (name === COMPLETED_MARK) this.completed.push(value);
    else if (name === COMPENSATED_MARK) this.compensated.push(value);
  }

  result(): Metrics {
    const all = {
      intermediate: metric('visible intermediate state (first step to end)', this.intermediate),
      completed: metric('sagas completed (request to end)', this.completed),
      compensated: metric('sagas compensated (request to end)', this.compensated),
    };
    return Object.fromEntries(Object.entries(all).filter(([, m]) => m !== undefined)) as Metrics;
  }
}
