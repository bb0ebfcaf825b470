/**
 * The cluster's four measures (cluster-metrics.ts) from hand-fed marks and faults: each carries
 * its target, and failover runs from a primary's failure or step-down to a primary serving the
 * shard again, forgiving a failed primary heard acknowledging again.
 */
import { describe, expect, it } from 'vitest';
import { primaryMark } from '../../../../src/core/placement-marks.js';
import { targetMet } from '../../../../src/core/metrics.js';
import {
  CLUSTER_TARGETS_US,
  ClusterMetrics,
  DECLARED_DEAD,
  UNDER_REPLICATED_US,
} from '../../../../src/protocols/cluster/cluster-metrics.js';

const s0e1 = primaryMark({ shard: 0, epoch: 1 });
const s0e2 = primaryMark({ shard: 0, epoch: 2 });

describe('the cluster’s measures', () => {
  it('carry the issue’s targets: detection, recovery and failover on their max, lag on p99', () => {
    const m = new ClusterMetrics();
    m.mark('n1', DECLARED_DEAD, 800_000, 1_000_000);
    m.mark('n1', UNDER_REPLICATED_US, 12_000_000, 13_000_000);
    for (let i = 0; i < 200; i++)
      m.mark('n4', 'pb.replication.lag-us', i === 0 ? 900_000 : 5_000, i);
    const r = m.result();
    expect(r.failureDetection).toMatchObject({ maxUs: 800_000, targetUs: 5_000_000 });
    expect(targetMet(r.failureDetection!)).toBe(true);
    expect(r.shardRecovery?.targetUs).toBe(CLUSTER_TARGETS_US.recovery);
    expect(targetMet(r.shardRecovery!)).toBe(false);
    // One entry that waited out a partition is not lag: p99 is judged.
    expect(r.replicationLag).toMatchObject({ maxUs: 900_000, targetOn: 'p99' });
    expect(targetMet(r.replicationLag!)).toBe(true);
  });

  it('measures failover from a crashed primary to another node’s promotion', () => {
    const m = new ClusterMetrics();
    m.mark('n4', s0e1, 1, 100);
    m.nodeFailed('n4', 1_000_000);
    m.mark('n5', s0e1, 1, 1_300_000);
    expect(m.result().failover).toMatchObject({ count: 1, maxUs: 300_000, targetUs: 30_000_000 });
  });

  it('measures from a step-down (a group stopped) to the next primary, in a new epoch too', () => {
    const m = new ClusterMetrics();
    m.mark('n4', s0e1, 1, 100);
    m.mark('n4', s0e1, 0, 2_000_000);
    m.mark('n6', s0e2, 1, 2_250_000);
    expect(m.result().failover).toMatchObject({ count: 1, maxUs: 250_000 });
  });

  it('forgives a paused primary heard acknowledging again, and a restart that leads nothing', () => {
    const m = new ClusterMetrics();
    m.mark('n4', s0e1, 1, 100);
    m.nodeFailed('n4', 1_000_000);
    m.mark('n4', 'pb.replication.lag-us', 5_000, 1_200_000);
    // Much later another node is promoted after n4 stepped down normally: only that window.
    m.mark('n4', s0e1, 0, 5_000_000);
    m.mark('n5', s0e1, 1, 5_100_000);
    expect(m.result().failover).toMatchObject({ count: 1, maxUs: 100_000 });
  });

  it('counts a restarted primary’s shards as without a primary since its crash', () => {
    const m = new ClusterMetrics();
    m.mark('n4', s0e1, 1, 100);
    m.nodeFailed('n4', 1_000_000);
    m.nodeRestarted('n4', 2_000_000);
    m.mark('n4', s0e1, 1, 2_500_000);
    expect(m.result().failover).toMatchObject({ count: 1, maxUs: 1_500_000 });
  });
});
