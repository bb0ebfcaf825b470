/**
 * Which options fit which `sharding`: the ring's (`vnodes`) only under `hash`, the ranges'
 * (`rangeSplitBytes`, `rangeBounds`, `rangesMax`) only under `range`, and what ranges need of
 * the rest: `shards - 1` initial bounds, no more initial ranges than `rangesMax`, a shard group
 * whose applied data can be measured (`storage: memory`), and no hot standby (a split would
 * have to say which member of each half stands by, as a move would: rebalance.ts).
 */
import type { OptionsMisfit } from '../../core/protocol-definition.js';
import { type ClusterOptions, shardsMax } from './cluster-config.js';
import { compareKeys } from './key-range.js';

const RANGE_ONLY = ['rangeSplitBytes', 'rangeBounds', 'rangesMax'] as const;

export function shardingMisfit(o: ClusterOptions): OptionsMisfit | undefined {
  if (o.sharding === 'hash') {
    const given = RANGE_ONLY.find((k) => o[k] !== undefined);
    return given === undefined
      ? undefined
      : {
          path: [given],
          message: `${given} is an option of sharding: range, and keys are hashed here (sharding: hash): remove it or set sharding: range`,
        };
  }
  if (o.vnodes !== undefined)
    return {
      path: ['vnodes'],
      message:
        'vnodes are tokens on the hash ring, and keys map to ranges here (sharding: range): remove it or set sharding: hash',
    };
  return boundsMisfit(o) ?? rangeFitMisfit(o);
}

function boundsMisfit(o: ClusterOptions): OptionsMisfit | undefined {
  const bounds = o.rangeBounds ?? [];
  if (bounds.length !== o.shards - 1)
    return {
      path: [o.rangeBounds === undefined ? 'shards' : 'rangeBounds'],
      message: `sharding: range starts from ${o.shards} range${o.shards === 1 ? '' : 's'}, cut at shards - 1 = ${o.shards - 1} rangeBounds, and ${bounds.length} ${bounds.length === 1 ? 'is' : 'are'} given: set shards: ${bounds.length + 1} or list ${o.shards - 1} bounds`,
    };
  const sorted = [...bounds].sort(compareKeys);
  const i = sorted.findIndex((b, j) => j > 0 && compareKeys(sorted[j - 1] as string, b) === 0);
  if (i >= 0)
    return {
      path: ['rangeBounds'],
      message: `${sorted[i]} is given twice: each bound starts one range`,
    };
  if (o.shards > shardsMax(o))
    return {
      path: ['shards'],
      message: `${o.shards} initial ranges are more than rangesMax ${shardsMax(o)}: raise rangesMax or start from fewer`,
    };
  return undefined;
}

function rangeFitMisfit(o: ClusterOptions): OptionsMisfit | undefined {
  if (o.recovery === 'active-backup')
    return {
      path: ['sharding'],
      message:
        'sharding: range with recovery: active-backup: a split would have to say which member of each half stands by: use recovery: state-transfer or checkpoint-restore',
    };
  if (o.shard.storage === 'lsm')
    return {
      path: ['sharding'],
      message:
        'sharding: range measures each range in the in-memory kv store of its group, and shard.storage: lsm keeps it in the engine: use shard.storage: memory',
    };
  return undefined;
}
