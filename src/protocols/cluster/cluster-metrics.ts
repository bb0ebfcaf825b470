/**
 * The cluster's measures, in virtual time, each with the target: failure detection
 * under 5 s, recovery under 10 s, failover under 30 s, each judged on its max (a run meets
 * them only when every instance did), and replication lag under 100 ms, judged on its p99 (an
 * entry that waited out a partition for its backup is an outage, not lag). The README says
 * precisely what each measures; in short:
 *
 * - failure detection: a storage node's last heartbeat to the leader declaring it dead
 *   (`cluster.declared-dead`, valued with the silence);
 * - recovery: the declaration to the shard's new epoch running on every live replica
 *   (`cluster.under-replicated-us`, per shard: the max is every shard re-replicated);
 * - replication lag: a group's primary appending an entry to a backup's acknowledgement that
 *   it holds it durably (primary/backup's own `replication.lag-us`, here `pb.`), the round trip
 *   included;
 * - failover: a shard's primary failing (its node crashed, paused or cut off from a majority,
 *   as the host reports) or stepping down (deposed, its group stopped), to a primary of the
 *   shard serving again (`cluster.primary` marks, core/placement-marks.ts). A failed primary
 *   heard acknowledging again (a lag mark) had not failed over, and is forgiven.
 * - joins and leaves: how long a leaving node took to drain, and the replica slots each change
 *   moved beside the ideal 1/n (`cluster.drained-us`, `cluster.data-moved-slots`).
 *
 * Left out: time under-replicated before the declaration (the placement checker measures it
 * from the crash), and recovery of a shard whose leader changed while it moved (the new
 * leader does not know when the old one declared the node dead).
 */
import type { NodeId } from '../../core/ids.js';
import { type Metrics, type MetricsCollector, metric, withTarget } from '../../core/metrics.js';
import { primaryMarkConfig } from '../../core/placement-marks.js';
import type { Micros } from '../../core/time.js';

export const DECLARED_DEAD = 'cluster.declared-dead';
export const UNDER_REPLICATED_US = 'cluster.under-replicated-us';
/** A leaving node's drain, from the leave to no replica left on it (membership.ts). */
export const DRAINED_US = 'cluster.drained-us';
/** Replica slots a join or leave moved, and the ideal 1/n of them (membership.ts). */
export const DATA_MOVED = 'cluster.data-moved-slots';
export const DATA_MOVED_IDEAL = 'cluster.data-moved-ideal-slots';

const REPLICATION_LAG_US = 'pb.replication.lag-us';

/** The targets, in µs. */
export const CLUSTER_TARGETS_US = {
  failureDetection: 5_000_000,
  recovery: 10_000_000,
  replicationLag: 100_000,
  failover: 30_000_000,
} as const;

export class ClusterMetrics implements MetricsCollector {
  private readonly detection: number[] = [];
  private readonly recovery: number[] = [];
  private readonly lag: number[] = [];
  private readonly failover = new Failover();
  private readonly drained: number[] = [];
  private readonly moved: number[] = [];
  private readonly ideal: number[] = [];

  nodeFailed(node: NodeId, now: Micros): void {
    this.failover.failed(node, now);
  }

  nodeRestarted(node: NodeId, now: Micros): void {
    this.failover.restarted(node, now);
  }

  mark(node: NodeId, name: string, value: number | undefined, now: Micros): void {
    if (name === REPLICATION_LAG_US) {
      if (value !== undefined) this.lag.push(value);
      this.failover.heard(node);
    } else if (name === DECLARED_DEAD && value !== undefined) this.detection.push(value);
    else if (name === UNDER_REPLICATED_US && value !== undefined) this.recovery.push(value);
    else if (name === DRAINED_US && value !== undefined) this.drained.push(value);
    else if (name === DATA_MOVED && value !== undefined) this.moved.push(value);
    else if (name === DATA_MOVED_IDEAL && value !== undefined) this.ideal.push(value);
    else {
      const config = primaryMarkConfig(name);
      if (config !== undefined) this.failover.primary(node, config.shard, value !== 0, now);
    }
  }

  result(): Metrics {
    const t = CLUSTER_TARGETS_US;
    const all = {
      failureDetection: withTarget(
        metric('failure detection (last heartbeat to declared dead)', this.detection),
        t.failureDetection,
      ),
      shardRecovery: withTarget(
        metric('recovery per shard (declared dead to new epoch running)', this.recovery),
        t.recovery,
      ),
      replicationLag: withTarget(
        metric('replication lag (primary append to backup durable ack)', this.lag),
        t.replicationLag,
        'p99',
      ),
      failover: withTarget(
        metric('failover (primary failed to a primary serving the shard)', this.failover.samples),
        t.failover,
      ),
      drain: metric('drain of a leaving node (leave to no replica on it)', this.drained),
      dataMoved: metric('data moved per join or leave (replica slots)', this.moved, 'count'),
      dataMovedIdeal: metric('ideal per join or leave (1/n of the slots)', this.ideal, 'count'),
    };
    return Object.fromEntries(Object.entries(all).filter(([, m]) => m !== undefined)) as Metrics;
  }
}

/** Windows without a primary, per shard, as the marks and the host's fault reports show them. */
class Failover {
  readonly samples: number[] = [];
  private readonly leaders = new Map<number, Set<NodeId>>();
  private readonly failedAt = new Map<NodeId, Micros>();
  /** Shards whose every primary stepped down or was restarted, since when. */
  private readonly openSince = new Map<number, Micros>();

  failed(node: NodeId, now: Micros): void {
    if (!this.failedAt.has(node)) this.failedAt.set(node, now);
  }

  /** A primary acknowledged by a backup: it serves, whatever the host said of its node. */
  heard(node: NodeId): void {
    this.failedAt.delete(node);
  }

  /** A restart: the node led nothing since it crashed. */
  restarted(node: NodeId, now: Micros): void {
    const since = this.failedAt.get(node) ?? now;
    this.failedAt.delete(node);
    for (const [shard, set] of this.leaders)
      if (set.delete(node) && set.size === 0 && !this.openSince.has(shard))
        this.openSince.set(shard, since);
  }

  primary(node: NodeId, shard: number, leads: boolean, now: Micros): void {
    const set = this.leaders.get(shard) ?? new Set<NodeId>();
    this.leaders.set(shard, set);
    if (!leads) {
      set.delete(node);
      if (set.size === 0 && !this.openSince.has(shard))
        this.openSince.set(shard, this.failedAt.get(node) ?? now);
      return;
    }
    this.failedAt.delete(node);
    let since = this.openSince.get(shard);
    this.openSince.delete(shard);
    for (const old of [...set]) {
      const at = this.failedAt.get(old);
      if (old === node || at === undefined) continue;
      set.delete(old);
      since = since === undefined ? at : Math.min(since, at);
    }
    set.add(node);
    if (since !== undefined) this.samples.push(now - since);
  }
}
