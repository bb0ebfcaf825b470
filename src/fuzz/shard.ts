/**
 * Sharding a seed sweep across machines, the way vitest shards test files: the range is cut into
 * `count` contiguous blocks of ceil(total / count) seeds, and shard `index` (1-based) takes the
 * index-th block. Shards 1/n … n/n cover the range exactly once, in order; the last blocks may be
 * shorter, or empty when there are fewer seeds than shards.
 */
export interface SeedRange {
  readonly from: number;
  readonly to: number;
}

export interface Shard {
  /** 1-based, as on the command line (`--shard 2/4`). */
  readonly index: number;
  readonly count: number;
}

/** The seeds of one shard, or undefined when the shard is empty. */
export function shardRange(range: SeedRange, shard: Shard): SeedRange | undefined {
  const total = range.to - range.from + 1;
  const size = Math.ceil(total / shard.count);
  const from = range.from + size * (shard.index - 1);
  const to = Math.min(range.to, range.from + size * shard.index - 1);
  return from > to ? undefined : { from, to };
}
