/**
 * What the manager leader's failure detector gets wrong: false suspicions, storage nodes it
 * declared dead that had not crashed (paused, slow, or cut off from it), each valued with how
 * long the node was held dead. A node is known not to have crashed when it is heard again still
 * holding a shard map (a restart starts without one), so a false suspicion counts when the node
 * is heard again; one never heard again before the run ends is not counted. Detection time
 * itself is `failureDetection` (cluster-metrics.ts); together they are the detector's trade:
 * a shorter window detects sooner and suspects more live nodes (the failure-detectors lesson).
 */
import type { NodeId } from '../../core/ids.js';
import { type Metrics, type MetricsCollector, metric } from '../../core/metrics.js';
import type { Micros } from '../../core/time.js';

/** A declared-dead node heard again still running, valued in µs it was held dead. */
export const FALSE_SUSPICION = 'cluster.false-suspicion';

export class DetectorMetrics implements MetricsCollector {
  private readonly falselyDead: number[] = [];

  nodeFailed(_node: NodeId, _now: Micros): void {}

  nodeRestarted(_node: NodeId, _now: Micros): void {}

  mark(_node: NodeId, name: string, value: number | undefined, _now: Micros): void {
    if (name === FALSE_SUSPICION && value !== undefined) this.falselyDead.push(value);
  }

  result(): Metrics {
    const m = metric(
      'false suspicions (declared dead while running: time held dead)',
      this.falselyDead,
    );
    return m === undefined ? {} : { falseSuspicions: m };
  }
}
