/**
 * What two-phase commit's blocking costs, in virtual time: how long each participant stayed in
 * doubt (from its PREPARED record to learning the decision), and, for the transactions blocked
 * long enough that the participant had to ask for the decision (a lost message, a crashed or
 * cut-off coordinator), how long they were blocked, holding their locks; that measure's count is
 * the number of transactions blocked. Participants report both as marks (participant.ts).
 */
import type { NodeId } from '../../core/ids.js';
import { type Metrics, type MetricsCollector, metric } from '../../core/metrics.js';
import type { Micros } from '../../core/time.js';

export const IN_DOUBT_MARK = 'twopc.in-doubt-us';
export const BLOCKED_MARK = 'twopc.blocked-us';

export class TwoPcMetrics implements MetricsCollector {
  private readonly inDoubt: number[] = [];
  private readonly blocked: number[] = [];

  nodeFailed(_node: NodeId, _now: Micros): void {}

  nodeRestarted(_node: NodeId, _now: Micros): void {}

  mark(_node: NodeId, name: string, value: number | undefined, _now: Micros): void {
    if (value === undefined) return;
    if (name === IN_DOUBT_MARK) this.inDoubt.push(value);
    else if (name === BLOCKED_MARK) this.blocked.push(value);
  }

  result(): Metrics {
    const all = {
      inDoubt: metric('time in doubt', this.inDoubt),
      blocked: metric('blocked in doubt (asked for the decision)', this.blocked),
    };
    return Object.fromEntries(Object.entries(all).filter(([, m]) => m !== undefined)) as Metrics;
  }
}
