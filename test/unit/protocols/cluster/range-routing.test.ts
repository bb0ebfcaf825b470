/**
 * A split as a storage node lives it (storage.ts, `sharding: range`): the parent's group stops
 * for good and both halves start from copies of its frozen files, the right half's under its
 * own namespace; and requests route by the node's map, so a key of a range whose group does not
 * run here is refused with `wrong-shard` naming a replica of that range, as a superseded epoch's
 * key is, while a half being copied answers `migrating`.
 */
import { describe, expect, it } from 'vitest';
import type { KvInput } from '../../../../src/core/history.js';
import type { ClientRequest } from '../../../../src/core/protocol.js';
import {
  type ClusterOptions,
  createClusterConfig,
} from '../../../../src/protocols/cluster/cluster-config.js';
import { cluster } from '../../../../src/protocols/cluster/index.js';
import type { ClusterEffect } from '../../../../src/protocols/cluster/messages.js';
import { foldShardMap } from '../../../../src/protocols/cluster/shard-map.js';
import {
  bootStorage,
  onMapReply,
  onStorageRequest,
} from '../../../../src/protocols/cluster/storage.js';
import { withEpochOneFiles } from './epoch-one-files.js';

const NODES = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7'];
const cfg = createClusterConfig(
  cluster.optionsSchema?.parse({ sharding: 'range', shards: 1 }) as ClusterOptions,
  NODES,
  undefined,
);

/** n4, which ran s0 at epoch 1 (whole files on disk), adopting `log`'s map. */
function adopt(log: string) {
  const ctx = withEpochOneFiles('n4', NODES);
  const fx: ClusterEffect[] = [];
  const s = bootStorage(cfg, ctx, fx);
  onMapReply(cfg, s, 'n1', foldShardMap(log), ctx, fx);
  return { s, ctx, fx };
}

const get = (id: number, key: string): ClientRequest<KvInput> => ({
  id,
  client: 'c1',
  seq: 0,
  op: { f: 'get', key },
});

describe('a split on a storage node', () => {
  it('copies the parent’s frozen files into both halves', () => {
    const { s, fx } = adopt('s0@1^0[,)=n4+n5+n6 s0@2^1|k6|s1');
    expect(s.copies.get('s0e2')?.from).toBe('s0e1');
    expect(s.copies.get('s1e2')?.from).toBe('s0e1');
    const written = fx.flatMap((e) => (e.type === 'diskWrite' ? [e.file] : []));
    expect(written).toEqual(['s0e2.meta', 's0e2.wal', 's1e2.meta', 's1e2.wal']);
  });

  it('routes each key by its range: migrating while copied, wrong-shard where it is not run', () => {
    // After the split, s1 moved off n4 to n5, n6, n7.
    const { s, ctx } = adopt('s0@1^0[,)=n4+n5+n6 s0@2^1|k6|s1 s1@3^2=n5+n6+n7');
    const replies = (key: string) => {
      const fx: ClusterEffect[] = [];
      onStorageRequest(cfg, s, get(7, key), ctx, fx);
      return fx.flatMap((e) => (e.type === 'reply' ? [e.outcome] : []));
    };
    expect(replies('k5')).toEqual([{ type: 'fail', code: 'migrating' }]);
    // Request 7 of three replicas: the hint is the second, n6.
    expect(replies('k6')).toEqual([{ type: 'fail', code: 'wrong-shard', hint: 'n6' }]);
    expect(replies('k10')).toEqual([{ type: 'fail', code: 'wrong-shard', hint: 'n6' }]);
  });
});
