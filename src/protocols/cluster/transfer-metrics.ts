/**
 * State transfers under a bandwidth limit (paced-transfer.ts), from the donors' marks: each
 * transfer's duration, from the request a donor answered to its last chunk sent, queueing
 * behind the donor's other transfers included (`cluster.transfer-us`), and its effective
 * throughput, its bytes (`cluster.transfer-bytes`, marked just before) over that duration.
 * Without `migrationBytesPerSec` a transfer is one message and nothing is measured here. No
 * target: the issue sets none for a migration's speed, only that it be bounded.
 */
import type { NodeId } from '../../core/ids.js';
import { type Metrics, type MetricsCollector, metric } from '../../core/metrics.js';
import type { Micros } from '../../core/time.js';

export const TRANSFER_BYTES = 'cluster.transfer-bytes';
export const TRANSFER_US = 'cluster.transfer-us';

export class TransferMetrics implements MetricsCollector {
  private readonly durations: number[] = [];
  private readonly throughputs: number[] = [];
  /** Each donor's last transfer's bytes, until its duration is marked. */
  private readonly bytes = new Map<NodeId, number>();

  nodeFailed(_node: NodeId, _now: Micros): void {}

  nodeRestarted(_node: NodeId, _now: Micros): void {}

  mark(node: NodeId, name: string, value: number | undefined, _now: Micros): void {
    if (value === undefined) return;
    if (name === TRANSFER_BYTES) this.bytes.set(node, value);
    else if (name === TRANSFER_US) {
      const bytes = this.bytes.get(node);
      this.bytes.delete(node);
      this.durations.push(value);
      if (bytes !== undefined && value > 0)
        this.throughputs.push(Math.round((bytes * 1_000_000) / value));
    }
  }

  result(): Metrics {
    const all = {
      transferDuration: metric(
        'state transfer under the bandwidth limit (request answered to last chunk sent)',
        this.durations,
      ),
      transferThroughput: metric(
        'effective throughput per state transfer (bytes/s)',
        this.throughputs,
        'count',
      ),
    };
    return Object.fromEntries(Object.entries(all).filter(([, m]) => m !== undefined)) as Metrics;
  }
}
