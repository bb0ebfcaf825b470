/**
 * Keys to shards under either sharding option: `hash`, the ring (shard-ring.ts), whose answer
 * never changes; `range`, the shard of the map whose range holds the key (key-range.ts), which
 * changes when a range splits. Routing on a storage node, and the split's checks, read it.
 */
import { type ClusterConfig, shardOf } from './cluster-config.js';
import { rangeHolds } from './key-range.js';
import type { ShardMap } from './shard-map.js';

type Config = NonNullable<ShardMap['shards'][number]>;

/** The configuration of the shard that holds `key` in `map`, if it is placed. */
export function configHolding(cfg: ClusterConfig, map: ShardMap, key: string): Config | undefined {
  if (cfg.options.sharding !== 'range') return map.shards[shardOf(cfg, key)];
  return shardHolding(map, key);
}

/** Under ranges: the shard whose range holds `key`. */
function shardHolding(map: ShardMap, key: string): Config | undefined {
  for (const c of map.shards) if (c?.range !== undefined && rangeHolds(c.range, key)) return c;
  return undefined;
}
