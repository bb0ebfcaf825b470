/**
 * The measures that set the recovery strategies apart (recovery-strategy.ts), from the marks of
 * storage nodes, in virtual time:
 *
 * - bytes moved: each state transfer a new voting member accepted, in bytes on the wire (file
 *   names and contents: `cluster.bytes-moved`); a survivor's copy of its own files moves none;
 *   a fresh hot standby's fill under active-backup, which no write waits for, is counted apart
 *   (`cluster.standby-bytes-moved`);
 * - unavailability per shard move: from the first stop of the shard's old group on any node
 *   (`cluster.shard-stopped`, valued with the shard) to the first primary of a later epoch that
 *   has committed an entry of its own epoch (`cluster.shard-serving`), the moment it can
 *   answer again. What comes before the stop (a dead replica blocks a sync group from the
 *   crash until the manager declares it and the map reaches the survivors) is the same for
 *   every strategy, and is reported as failure detection.
 *
 * Time to full replication is `shardRecovery` (cluster-metrics.ts).
 */
import type { NodeId } from '../../core/ids.js';
import { type Metrics, type MetricsCollector, metric } from '../../core/metrics.js';
import type { Micros } from '../../core/time.js';

export const BYTES_MOVED = 'cluster.bytes-moved';
export const STANDBY_BYTES_MOVED = 'cluster.standby-bytes-moved';
export const SHARD_STOPPED = 'cluster.shard-stopped';
export const SHARD_SERVING = 'cluster.shard-serving';

export class RecoveryMetrics implements MetricsCollector {
  private readonly bytes: number[] = [];
  private readonly standbyBytes: number[] = [];
  private readonly unavailable: number[] = [];
  /** Shards whose old group stopped and no later one serves yet, since when. */
  private readonly down = new Map<number, Micros>();

  nodeFailed(_node: NodeId, _now: Micros): void {}

  nodeRestarted(_node: NodeId, _now: Micros): void {}

  mark(_node: NodeId, name: string, value: number | undefined, now: Micros): void {
    if (value === undefined) return;
    if (name === BYTES_MOVED) this.bytes.push(value);
    else if (name === STANDBY_BYTES_MOVED) this.standbyBytes.push(value);
    else if (name === SHARD_STOPPED) {
      if (!this.down.has(value)) this.down.set(value, now);
    } else if (name === SHARD_SERVING) {
      const since = this.down.get(value);
      if (since === undefined) return;
      this.down.delete(value);
      this.unavailable.push(now - since);
    }
  }

  result(): Metrics {
    const all = {
      bytesMoved: metric('bytes moved per state transfer', this.bytes, 'count'),
      standbyBytesMoved: metric(
        'bytes moved per standby fill (in the background)',
        this.standbyBytes,
        'count',
      ),
      unavailable: metric(
        'time a moving shard had no primary able to serve (old group stopped to new one committing)',
        this.unavailable,
      ),
    };
    return Object.fromEntries(Object.entries(all).filter(([, m]) => m !== undefined)) as Metrics;
  }
}
