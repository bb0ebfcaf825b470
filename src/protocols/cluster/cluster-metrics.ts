/**
 * The cluster's measures, from the marks its managers emit: how long the leader took to
 * declare a storage node dead after its last heartbeat (`cluster.declared-dead`, valued in µs
 * of silence), and each re-replicated shard's time under-replicated, from the declaration to
 * its new epoch's group running on every live replica (`cluster.under-replicated-us`). Both in
 * virtual time; the issue's targets are detection under 5 s and recovery under 10 s.
 *
 * Joins and leaves add how long a leaving node took to drain, and the replica slots each change
 * moved beside the ideal 1/n (`cluster.drained-us`, `cluster.data-moved-slots`).
 *
 * Left out: time under-replicated before the declaration (from the crash itself), which needs
 * the shard map outside the nodes; and replication lag, which the groups' own `pb.*` marks carry.
 */
import type { NodeId } from '../../core/ids.js';
import { type Metrics, type MetricsCollector, metric } from '../../core/metrics.js';
import type { Micros } from '../../core/time.js';

export const DECLARED_DEAD = 'cluster.declared-dead';
export const UNDER_REPLICATED_US = 'cluster.under-replicated-us';
/** A leaving node's drain, from the leave to no replica left on it (membership.ts). */
export const DRAINED_US = 'cluster.drained-us';
/** Replica slots a join or leave moved, and the ideal 1/n of them (membership.ts). */
export const DATA_MOVED = 'cluster.data-moved-slots';
export const DATA_MOVED_IDEAL = 'cluster.data-moved-ideal-slots';

export class ClusterMetrics implements MetricsCollector {
  private readonly detection: number[] = [];
  private readonly underReplicated: number[] = [];
  private readonly drained: number[] = [];
  private readonly moved: number[] = [];
  private readonly ideal: number[] = [];

  nodeFailed(_node: NodeId, _now: Micros): void {}

  nodeRestarted(_node: NodeId, _now: Micros): void {}

  mark(_node: NodeId, name: string, value: number | undefined, _now: Micros): void {
    if (value === undefined) return;
    if (name === DECLARED_DEAD) this.detection.push(value);
    else if (name === UNDER_REPLICATED_US) this.underReplicated.push(value);
    else if (name === DRAINED_US) this.drained.push(value);
    else if (name === DATA_MOVED) this.moved.push(value);
    else if (name === DATA_MOVED_IDEAL) this.ideal.push(value);
  }

  result(): Metrics {
    const all = {
      failureDetection: metric(
        'failure detection (last heartbeat to declared dead)',
        this.detection,
      ),
      underReplicated: metric(
        'time under-replicated per shard (declared dead to new epoch running)',
        this.underReplicated,
      ),
      drain: metric('drain of a leaving node (leave to no replica on it)', this.drained),
      dataMoved: metric('data moved per join or leave (replica slots)', this.moved, 'count'),
      dataMovedIdeal: metric('ideal per join or leave (1/n of the slots)', this.ideal, 'count'),
    };
    return Object.fromEntries(Object.entries(all).filter(([, m]) => m !== undefined)) as Metrics;
  }
}
