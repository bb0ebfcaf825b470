/**
 * A shard group's primary/backup protocol is built once per configuration (cluster-config.ts
 * `createShardGroup`): the members of one configuration, and their restarts, share it; another
 * epoch, replica set or standby set gets its own, since each fixes what the group elects and
 * counts.
 */
import { describe, expect, it } from 'vitest';
import {
  type ClusterOptions,
  createClusterConfig,
} from '../../../../src/protocols/cluster/cluster-config.js';
import { cluster } from '../../../../src/protocols/cluster/index.js';

const NODES = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7'];
const options = cluster.optionsSchema?.parse({ shards: 8 }) as ClusterOptions;

describe('createShardGroup', () => {
  it('shares one protocol among the members of a configuration', () => {
    const cfg = createClusterConfig(options, NODES, undefined);
    const group = cfg.createShardGroup(['n4', 'n5', 'n6'], [], 2);
    expect(cfg.createShardGroup(['n4', 'n5', 'n6'], [], 2)).toBe(group);
  });

  it('builds another for another epoch, replica set or standby set', () => {
    const cfg = createClusterConfig(options, NODES, undefined);
    const group = cfg.createShardGroup(['n4', 'n5', 'n6'], [], 2);
    expect(cfg.createShardGroup(['n4', 'n5', 'n6'], [], 3)).not.toBe(group);
    expect(cfg.createShardGroup(['n4', 'n5', 'n7'], [], 2)).not.toBe(group);
    expect(cfg.createShardGroup(['n4', 'n5', 'n6'], ['n6'], 2)).not.toBe(group);
  });

  it('is not shared between runs', () => {
    const a = createClusterConfig(options, NODES, undefined);
    const b = createClusterConfig(options, NODES, undefined);
    expect(a.createShardGroup(['n4', 'n5'], [], 1)).not.toBe(
      b.createShardGroup(['n4', 'n5'], [], 1),
    );
  });
});
