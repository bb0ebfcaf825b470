/**
 * Where a storage node's copy into a new epoch comes from (storage.ts, transfer.ts): its own
 * files of the epoch just before, and never an older epoch's. A node left out of epoch 2 and
 * placed again in epoch 3 still has its epoch-1 files, which miss what epoch 2 acknowledged;
 * copying them gave the epoch-3 group a stale log it could elect (found by a sweep under random
 * crashes and partitions, an acknowledged append lost). It must await a member's transfer.
 */
import { describe, expect, it } from 'vitest';
import type { ClusterOptions } from '../../../../src/protocols/cluster/cluster-config.js';
import { createClusterConfig } from '../../../../src/protocols/cluster/cluster-config.js';
import { cluster } from '../../../../src/protocols/cluster/index.js';
import type { ClusterEffect } from '../../../../src/protocols/cluster/messages.js';
import type { ShardMap } from '../../../../src/protocols/cluster/shard-map.js';
import { bootStorage, onMapReply } from '../../../../src/protocols/cluster/storage.js';
import { withEpochOneFiles } from './epoch-one-files.js';

const NODES = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7'];
const cfg = createClusterConfig(
  cluster.optionsSchema?.parse({ shards: 1 }) as ClusterOptions,
  NODES,
  undefined,
);

/** n4 with whole epoch-1 files of shard 0 on its disk, adopting a map of shard 0 at `epoch`. */
function adopt(epoch: number) {
  const ctx = withEpochOneFiles('n4', NODES);
  const fx: ClusterEffect[] = [];
  const s = bootStorage(cfg, ctx, fx);
  const map: ShardMap = {
    version: epoch,
    shards: [{ shard: 0, epoch, replicas: ['n4', 'n5', 'n6'] }],
  };
  onMapReply(cfg, s, 'n1', map, ctx, fx);
  return { s, fx };
}

describe('the source of a copy into a new epoch', () => {
  it('is the node’s own files of the epoch just before', () => {
    const { s, fx } = adopt(2);
    expect(s.copies.get('s0e2')?.from).toBe('s0e1');
    expect(s.copies.get('s0e2')?.phase).toBe('files');
    const written = fx.flatMap((e) => (e.type === 'diskWrite' ? [e.file] : []));
    expect(written).toEqual(['s0e2.meta', 's0e2.wal']);
  });

  it('is never an older epoch’s: a node left out of the epoch before awaits a transfer', () => {
    const { s, fx } = adopt(3);
    expect(s.copies.get('s0e3')?.from).toBeUndefined();
    expect(s.copies.get('s0e3')?.phase).toBe('awaiting');
    expect(fx.some((e) => e.type === 'diskWrite')).toBe(false);
  });
});
