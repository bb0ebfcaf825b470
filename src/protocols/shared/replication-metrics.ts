/**
 * What a user of replication asks about, in virtual time: how long until a failure of the
 * primary (or leader) is suspected, how long until a new one serves, how far replication lags,
 * how long a restarted node takes to catch up. Protocols report the moments with the standard
 * marks (core/marks.ts), the host reports the faults, and this collector joins the two. Primary/
 * backup and Raft both declare it; a protocol without a single leader brings its own.
 */
import type { NodeId } from '../../core/ids.js';
import { MARKS } from '../../core/marks.js';
import { type Metrics, type MetricsCollector, metric } from '../../core/metrics.js';
import type { Micros } from '../../core/time.js';

export class ReplicationMetrics implements MetricsCollector {
  private primary: NodeId | undefined;
  /** When the primary became unreachable, while waiting for suspicion and promotion. */
  private primaryFaultAt: Micros | undefined;
  private suspected = false;
  private readonly restartedAt = new Map<NodeId, Micros>();
  private readonly detection: number[] = [];
  private readonly failover: number[] = [];
  private readonly lag: number[] = [];
  private readonly recovery: number[] = [];

  nodeFailed(node: NodeId, now: Micros): void {
    if (node === this.primary && this.primaryFaultAt === undefined) {
      this.primaryFaultAt = now;
      this.suspected = false;
    }
  }

  nodeRestarted(node: NodeId, now: Micros): void {
    this.restartedAt.set(node, now);
  }

  mark(node: NodeId, name: string, value: number | undefined, now: Micros): void {
    switch (name) {
      case MARKS.suspect:
        if (this.primaryFaultAt !== undefined && !this.suspected) {
          this.detection.push(now - this.primaryFaultAt);
          this.suspected = true;
        }
        return;
      case MARKS.promoted:
        if (this.primaryFaultAt !== undefined && node !== this.primary) {
          this.failover.push(now - this.primaryFaultAt);
        }
        this.primaryFaultAt = undefined;
        this.primary = node;
        return;
      case MARKS.caughtUp:
        return this.caughtUp(node, now);
      case MARKS.replicationLagUs:
        if (value !== undefined) this.lag.push(value);
        return;
    }
  }

  private caughtUp(node: NodeId, now: Micros): void {
    const t = this.restartedAt.get(node);
    if (t === undefined) return;
    this.recovery.push(now - t);
    this.restartedAt.delete(node);
  }

  result(): Metrics {
    const all = {
      failureDetection: metric('failure detection', this.detection),
      failover: metric('failover', this.failover),
      replicationLag: metric('replication lag', this.lag),
      recovery: metric('recovery', this.recovery),
    };
    return Object.fromEntries(Object.entries(all).filter(([, m]) => m !== undefined)) as Metrics;
  }
}
