/**
 * Ranges that split as they grow (`sharding: range`), as CockroachDB's split queue and TiKV's
 * split checker do it. The size is measured where the data is: each shard group's primary
 * reports, with its heartbeat, the bytes of its range's keys and values in its applied kv store
 * (`appliedData`, primary/backup's public entry), how many keys that is, and the range's median
 * key. Bytes because they are what grows (the kv workload mostly appends, so a key's value
 * grows while the number of keys stays put), and the applied store because it is what a
 * primary has committed: no guess from the log. A group started from a split's copy still holds
 * the other half's keys in its store; they are outside its range and never counted (nor
 * served).
 *
 * The leader splits a shard when its last report is over `rangeSplitBytes`, at the median key
 * (CockroachDB picks its split key from the range's data too), so a range of one key never
 * splits. Only a shard whose current epoch runs on every replica, all live, and that is not
 * moving is split, and only while fewer than `rangesMax` shards exist. A split is one change
 * of the map, fenced like any other (shard-map.ts): both halves move to a new epoch at once,
 * on the parent's replicas, each copying the parent's frozen files (storage.ts).
 */
import type { NodeId } from '../../core/ids.js';
import {
  type ClusterConfig,
  RANGE_SPLIT_BYTES_DEFAULT,
  shardName,
  shardsMax,
} from './cluster-config.js';
import { compareKeys, describeRange, type KeyRange, rangeHolds, splitsRange } from './key-range.js';
import type { ClusterEffect, RangeSize } from './messages.js';
import { SPLIT_US } from './range-metrics.js';
import type { ShardChange, ShardMap } from './shard-map.js';

/** The bytes and keys of `data` inside `range`, and the key to split it at. */
export function measureRange(
  data: readonly (readonly [string, string])[],
  range: KeyRange,
): { readonly bytes: number; readonly keys: number; readonly splitKey?: string } {
  const keys: string[] = [];
  let bytes = 0;
  for (const [k, v] of data) {
    if (!rangeHolds(range, k)) continue;
    keys.push(k);
    bytes += k.length + v.length;
  }
  if (keys.length < 2) return { bytes, keys: keys.length };
  keys.sort(compareKeys);
  return { bytes, keys: keys.length, splitKey: keys[keys.length >> 1] as string };
}

/** A primary's report, kept when it is of the shard's newest epoch heard. */
export function noteSize(sizes: Map<number, RangeSize>, r: RangeSize): void {
  const known = sizes.get(r.shard);
  if (known === undefined || known.epoch <= r.epoch) sizes.set(r.shard, r);
}

export interface SplitProposal {
  readonly changes: readonly ShardChange[];
  /** Each split's range size, in bytes, as its primary reported it. */
  readonly bytes: readonly number[];
  /** The trace's sentences, `s0 at k6: …`. */
  readonly explanations: readonly string[];
}

/** What the leader knows when it decides. */
export interface SplitView {
  readonly map: ShardMap;
  readonly sizes: ReadonlyMap<number, RangeSize>;
  readonly isLive: (n: NodeId) => boolean;
  readonly moving: ReadonlyMap<number, unknown>;
  readonly runs: (n: NodeId, shard: number, epoch: number) => boolean;
}

/** Splits of the shards grown past the threshold, within `migrationsMax` and `rangesMax`. */
export function proposeSplits(cfg: ClusterConfig, v: SplitView): SplitProposal {
  const limit = cfg.options.rangeSplitBytes ?? RANGE_SPLIT_BYTES_DEFAULT;
  const rangesMax = shardsMax(cfg.options);
  const changes: ShardChange[] = [];
  const explanations: string[] = [];
  const bytes: number[] = [];
  // Each split moves two shards, both halves, into a new epoch.
  let room = cfg.options.migrationsMax - v.moving.size;
  let next = v.map.shards.length;
  for (const c of v.map.shards) {
    if (room < 2 || next >= rangesMax) break;
    if (c?.range === undefined || v.moving.has(c.shard)) continue;
    if (!c.replicas.every((n) => v.isLive(n) && v.runs(n, c.shard, c.epoch))) continue;
    const size = v.sizes.get(c.shard);
    if (size?.epoch !== c.epoch || size.bytes <= limit) continue;
    const at = size.splitKey;
    if (at === undefined || !splitsRange(c.range, at)) continue;
    const right = next++;
    room -= 2;
    changes.push({
      shard: c.shard,
      epoch: c.epoch + 1,
      supersedes: c.epoch,
      replicas: c.replicas,
      split: { at, right },
    });
    bytes.push(size.bytes);
    const half = describeRange({
      start: at,
      ...(c.range.end === undefined ? {} : { end: c.range.end }),
    });
    explanations.push(
      `${shardName(c.shard)} at ${at}: ${size.bytes} bytes in ${size.keys} keys of ` +
        `${describeRange(c.range)}, above rangeSplitBytes ${limit}; ${at} is the median key; ` +
        `${shardName(right)} takes ${half} on ${c.replicas.join('+')}`,
    );
  }
  return { changes, bytes, explanations };
}

/** Splits in effect whose halves do not yet all run, by left half: the right one, and since. */
export type SplitsUnderWay = Map<number, { readonly right: number; readonly sinceUs: number }>;

/** Marks each split whose halves both run on every live replica now (neither moves). */
export function noteSplitsDone(
  splits: SplitsUnderWay,
  moving: ReadonlyMap<number, unknown>,
  nowUs: number,
  fx: ClusterEffect[],
): void {
  for (const [left, w] of [...splits]) {
    if (moving.has(left) || moving.has(w.right)) continue;
    splits.delete(left);
    fx.push({ type: 'mark', name: SPLIT_US, value: nowUs - w.sinceUs });
  }
}
