/**
 * What a user of replication asks about, in virtual time: how long until a failure of the
 * primary (or leader) is suspected, how long until a new one serves, how far replication lags,
 * how long a restarted node takes to catch up, how many leaders were elected and how long the
 * cluster went without one after its leader failed. Protocols report the moments with the standard marks
 * (core/marks.ts), the host reports the faults, and this collector joins the two. Primary/backup,
 * Raft and Multi-Paxos declare it; a protocol without a single leader brings its own.
 *
 * A window without a leader opens when the leader fails (crash, pause, cut off from a majority)
 * and closes when a node is promoted, the old leader included (failover counts only another).
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
  /** When the current window without a leader opened, if one is open. */
  private leaderlessSince: Micros | undefined;
  private promotions = 0;
  private readonly leaderless: number[] = [];
  private readonly restartedAt = new Map<NodeId, Micros>();
  private readonly detection: number[] = [];
  private readonly failover: number[] = [];
  private readonly lag: number[] = [];
  private readonly recovery: number[] = [];

  nodeFailed(node: NodeId, now: Micros): void {
    if (node === this.primary && this.primaryFaultAt === undefined) {
      this.primaryFaultAt = now;
      this.suspected = false;
      this.leaderlessSince ??= now;
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
        this.promotions++;
        if (this.leaderlessSince !== undefined) this.leaderless.push(now - this.leaderlessSince);
        this.leaderlessSince = undefined;
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
      leadersElected: metric('leaders elected', [this.promotions], 'count'),
      leaderless: metric('without a leader', this.leaderless),
    };
    return Object.fromEntries(Object.entries(all).filter(([, m]) => m !== undefined)) as Metrics;
  }
}
