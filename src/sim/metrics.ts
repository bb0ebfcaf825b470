/**
 * What a user of replication asks about, in virtual time: how long until a failure is
 * suspected, how long until a new primary serves, how far replication lags, how long a restarted
 * node takes to catch up. Protocols report the moments with standard marks (`MARKS`), the world
 * reports the faults, and this file joins the two.
 */
import { MARKS } from '../core/marks.js';
import type { Micros } from '../core/time.js';

export interface Summary {
  count: number;
  meanUs: number;
  p50Us: number;
  p99Us: number;
  maxUs: number;
}

export function summarize(values: readonly number[]): Summary | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    meanUs: Math.round(sum / sorted.length),
    p50Us: at(0.5),
    p99Us: at(0.99),
    maxUs: sorted[sorted.length - 1] as number,
  };
}

export interface ReplicationMetrics {
  failureDetection?: Summary;
  failover?: Summary;
  replicationLag?: Summary;
  recovery?: Summary;
}

/** Collects fault and mark times during a run and turns them into `ReplicationMetrics`. */
export class MetricsCollector {
  private primary: number | undefined;
  /** Open failures of the primary: when it became unreachable, waiting for suspicion / promotion. */
  private primaryFaultAt: Micros | undefined;
  private suspected = false;
  private readonly restartedAt = new Map<number, Micros>();
  private readonly detection: number[] = [];
  private readonly failover: number[] = [];
  private readonly lag: number[] = [];
  private readonly recovery: number[] = [];
  readonly markCounts = new Map<string, number>();

  /** The world reports that `node` crashed, paused or was cut off from a majority. */
  nodeFailed(node: number, now: Micros): void {
    if (node === this.primary && this.primaryFaultAt === undefined) {
      this.primaryFaultAt = now;
      this.suspected = false;
    }
  }

  nodeRestarted(node: number, now: Micros): void {
    this.restartedAt.set(node, now);
  }

  mark(node: number, name: string, value: number | undefined, now: Micros): void {
    this.markCounts.set(name, (this.markCounts.get(name) ?? 0) + 1);
    switch (name) {
      case MARKS.suspect:
        if (this.primaryFaultAt !== undefined && !this.suspected) {
          this.detection.push(now - this.primaryFaultAt);
          this.suspected = true;
        }
        break;
      case MARKS.promoted:
        if (this.primaryFaultAt !== undefined && node !== this.primary)
          this.failover.push(now - this.primaryFaultAt);
        this.primaryFaultAt = undefined;
        this.primary = node;
        break;
      case MARKS.caughtUp: {
        const t = this.restartedAt.get(node);
        if (t !== undefined) {
          this.recovery.push(now - t);
          this.restartedAt.delete(node);
        }
        break;
      }
      case MARKS.replicationLagUs:
        if (value !== undefined) this.lag.push(value);
        break;
    }
  }

  result(): ReplicationMetrics {
    const out: ReplicationMetrics = {};
    const d = summarize(this.detection);
    const f = summarize(this.failover);
    const l = summarize(this.lag);
    const r = summarize(this.recovery);
    if (d) out.failureDetection = d;
    if (f) out.failover = f;
    if (l) out.replicationLag = l;
    if (r) out.recovery = r;
    return out;
  }
}
