/**
 * What ranges that split cost (`sharding: range`, range-split.ts), in virtual time and bytes,
 * from the manager leader's marks: each split's size when it was decided (the bytes its
 * primary reported, `cluster.range-split`), and how long the split took, from the change in
 * effect to both halves running on every live replica (`cluster.split-us`), the time the
 * parent's data is being copied twice on each replica. A split whose leader changed before
 * its halves ran is not measured: the new leader does not know when it took effect.
 */
import type { NodeId } from '../../core/ids.js';
import { type Metrics, type MetricsCollector, metric } from '../../core/metrics.js';
import type { Micros } from '../../core/time.js';

/** A split proposed, valued with the bytes of the range its primary reported. */
export const SPLIT_MARK = 'cluster.range-split';
/** A split's halves both run on every live replica, valued with the µs since it took effect. */
export const SPLIT_US = 'cluster.split-us';

export class RangeMetrics implements MetricsCollector {
  private readonly sizes: number[] = [];
  private readonly durations: number[] = [];

  nodeFailed(_node: NodeId, _now: Micros): void {}

  nodeRestarted(_node: NodeId, _now: Micros): void {}

  mark(_node: NodeId, name: string, value: number | undefined, _now: Micros): void {
    if (value === undefined) return;
    if (name === SPLIT_MARK) this.sizes.push(value);
    else if (name === SPLIT_US) this.durations.push(value);
  }

  result(): Metrics {
    const all = {
      rangeSplitBytes: metric(
        'range size at a split (bytes its primary reported)',
        this.sizes,
        'count',
      ),
      rangeSplit: metric(
        'split (in effect to both halves running on every live replica)',
        this.durations,
      ),
    };
    return Object.fromEntries(Object.entries(all).filter(([, m]) => m !== undefined)) as Metrics;
  }
}
