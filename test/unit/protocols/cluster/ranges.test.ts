/**
 * Ranges that split as they grow (`sharding: range`): the key order, the range map's lookup
 * and fold (first placements with their ranges, splits, a stale split fenced), the size a
 * primary reports with the median key, and the leader's split decision.
 */
import { describe, expect, it } from 'vitest';
import {
  type ClusterOptions,
  createClusterConfig,
} from '../../../../src/protocols/cluster/cluster-config.js';
import { cluster } from '../../../../src/protocols/cluster/index.js';
import { initialPlacement } from '../../../../src/protocols/cluster/initial-placement.js';
import {
  compareKeys,
  describeRange,
  rangeHolds,
  rangesFromBounds,
} from '../../../../src/protocols/cluster/key-range.js';
import { configHolding } from '../../../../src/protocols/cluster/range-map.js';
import type { RangeSize } from '../../../../src/protocols/cluster/messages.js';
import {
  measureRange,
  proposeSplits,
  type SplitView,
} from '../../../../src/protocols/cluster/range-split.js';
import { obsoleteNamespaces } from '../../../../src/protocols/cluster/reconcile.js';
import {
  changeRecords,
  foldShardMap,
  type ShardChange,
  type ShardMap,
} from '../../../../src/protocols/cluster/shard-map.js';

const NODES = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7'];
const options = (o: Record<string, unknown>) =>
  cluster.optionsSchema?.parse({ sharding: 'range', ...o }) as ClusterOptions;
const cfgOf = (o: Record<string, unknown> = {}) =>
  createClusterConfig(options({ shards: 1, ...o }), NODES, undefined);

const REPLICAS = ['n4', 'n5', 'n6'];
/** s0 over the whole key space at epoch 1, on n4..n6. */
const PLACED = 's0@1^0[,)=n4+n5+n6';
const split = (shard: number, epoch: number, at: string, right: number): ShardChange => ({
  shard,
  epoch: epoch + 1,
  supersedes: epoch,
  replicas: REPLICAS,
  split: { at, right },
});
const fold = (...records: string[]) => foldShardMap(records.join(' '));

describe('the key order', () => {
  it('puts k2 before k10, as numbers go (shortlex), and the empty key first', () => {
    const keys = ['k10', 'k2', 'k1', 'k11', 'k0', '', 'k9'];
    expect([...keys].sort(compareKeys)).toEqual(['', 'k0', 'k1', 'k2', 'k9', 'k10', 'k11']);
  });

  it('holds a key in [start, end): the start in, the end out', () => {
    const r = { start: 'k3', end: 'k10' };
    expect(['k2', 'k3', 'k9', 'k10', 'k11'].map((k) => rangeHolds(r, k))).toEqual([
      false,
      true,
      true,
      false,
      false,
    ]);
    expect(rangeHolds({ start: '' }, 'k123456')).toBe(true);
    expect(describeRange({ start: '', end: 'k6' })).toBe('[-inf, k6)');
  });

  it('cuts the key space at the bounds, in key order', () => {
    expect(rangesFromBounds(['k10', 'k4'])).toEqual([
      { start: '', end: 'k4' },
      { start: 'k4', end: 'k10' },
      { start: 'k10' },
    ]);
  });
});

describe('the range map', () => {
  it('places the initial ranges with their bounds and routes each key to its range', () => {
    const cfg = cfgOf({ shards: 3, rangeBounds: ['k4', 'k8'] });
    const map = foldShardMap(changeRecords(initialPlacement(cfg).changes));
    expect(map.shards.map((c) => c?.range)).toEqual([
      { start: '', end: 'k4' },
      { start: 'k4', end: 'k8' },
      { start: 'k8' },
    ]);
    const route = (k: string) => configHolding(cfg, map, k)?.shard;
    expect(['k0', 'k3', 'k4', 'k7', 'k8', 'k11', 'k100'].map(route)).toEqual([0, 0, 1, 1, 2, 2, 2]);
  });

  it('folds a split: the left half keeps the id at the next epoch, the right half is new', () => {
    const map = fold(PLACED, changeRecords([split(0, 1, 'k6', 1)]));
    expect(map.version).toBe(2);
    expect(map.shards[0]).toEqual({
      shard: 0,
      epoch: 2,
      replicas: REPLICAS,
      range: { start: '', end: 'k6' },
    });
    expect(map.shards[1]).toEqual({
      shard: 1,
      epoch: 2,
      replicas: REPLICAS,
      range: { start: 'k6' },
      splitFrom: 0,
    });
  });

  it('keeps a range through a reconfiguration, and forgets where it was split from', () => {
    const map = fold(PLACED, changeRecords([split(0, 1, 'k6', 1)]), 's1@3^2=n4+n5+n7');
    expect(map.shards[1]).toEqual({
      shard: 1,
      epoch: 3,
      replicas: ['n4', 'n5', 'n7'],
      range: { start: 'k6' },
    });
  });

  it('fences a stale split: an epoch superseded, an id taken, a key outside the range', () => {
    const once = fold(PLACED, changeRecords([split(0, 1, 'k6', 1)]));
    // Planned from the map before the first split: shard 0 is at epoch 2 now.
    const stale = fold(
      PLACED,
      changeRecords([split(0, 1, 'k6', 1)]),
      changeRecords([split(0, 1, 'k3', 1)]),
    );
    expect(stale).toEqual(once);
    // Two splits planned from one map both name shard 1 as their right half.
    const twice = fold(
      's0@1^0[,k6)=n4+n5+n6',
      's1@1^0[k6,)=n4+n5+n6',
      changeRecords([split(0, 1, 'k3', 2)]),
      changeRecords([split(1, 1, 'k9', 2)]),
    );
    expect(twice.shards.map((c) => c?.range)).toEqual([
      { start: '', end: 'k3' },
      { start: 'k6' },
      { start: 'k3', end: 'k6' },
    ]);
    // A key at the range's start or outside it leaves an empty half: never applied.
    const outside = fold('s0@1^0[k6,)=n4+n5+n6', changeRecords([split(0, 1, 'k6', 1)]));
    expect(outside.version).toBe(1);
    expect(fold(PLACED, changeRecords([split(0, 1, '', 1)])).version).toBe(1);
  });

  it('fences a second first placement of a range', () => {
    expect(fold(PLACED, 's0@1^0[,k6)=n1+n2+n3').shards[0]?.replicas).toEqual(REPLICAS);
  });

  it('keeps the files a split half copies from until it has moved on', () => {
    const map = fold(PLACED, changeRecords([split(0, 1, 'k6', 1)]), 's0@3^2=n4+n5+n7');
    // s0 is at epoch 3: its epoch 1 is two behind, yet s1 (split from s0 at epoch 2) still
    // names n4 at epoch 2 and copies s0e1.
    expect(obsoleteNamespaces(map, 'n4', ['s0e1', 's0e2'])).toEqual([]);
    const moved = fold(
      PLACED,
      changeRecords([split(0, 1, 'k6', 1)]),
      's0@3^2=n4+n5+n7',
      's1@3^2=n5+n6+n7',
    );
    expect(obsoleteNamespaces(moved, 'n4', ['s0e1', 's0e2', 's1e2'])).toEqual(['s0e1', 's1e2']);
  });
});

describe('the split decision', () => {
  const data: [string, string][] = [
    ['k10', 'aaaa'],
    ['k2', 'bb'],
    ['k11', 'c'],
    ['k5', 'dddd'],
    ['k0', 'e'],
  ];

  it('measures only the keys of its range, and picks the median key by the key order', () => {
    expect(measureRange(data, { start: '' })).toEqual({ bytes: 24, keys: 5, splitKey: 'k5' });
    expect(measureRange(data, { start: 'k3', end: 'k11' })).toEqual({
      bytes: 13,
      keys: 2,
      splitKey: 'k10',
    });
    // One key cannot be split: no split key.
    expect(measureRange(data, { start: 'k11' })).toEqual({ bytes: 4, keys: 1 });
  });

  const view = (map: ShardMap, loads: RangeSize[], o: Partial<SplitView> = {}): SplitView => ({
    map,
    sizes: new Map(loads.map((l) => [l.shard, l])),
    isLive: () => true,
    moving: new Map(),
    runs: (_n, shard, epoch) => map.shards[shard]?.epoch === epoch,
    ...o,
  });
  const load = (bytes: number, o: Partial<RangeSize> = {}): RangeSize => ({
    shard: 0,
    epoch: 1,
    bytes,
    keys: 5,
    splitKey: 'k5',
    ...o,
  });
  const cfg = cfgOf({ rangeSplitBytes: 100 });
  const map = fold(PLACED);

  it('splits a range grown past rangeSplitBytes at its median key, and says why', () => {
    const p = proposeSplits(cfg, view(map, [load(101)]));
    expect(p.changes).toEqual([split(0, 1, 'k5', 1)]);
    expect(p.explanations).toEqual([
      's0 at k5: 101 bytes in 5 keys of [-inf, +inf), above rangeSplitBytes 100; k5 is the median key; s1 takes [k5, +inf) on n4+n5+n6',
    ]);
    expect(foldShardMap(`${PLACED} ${changeRecords(p.changes)}`).shards.length).toBe(2);
  });

  it('leaves alone a range at the threshold, of one key, or of an older epoch', () => {
    expect(proposeSplits(cfg, view(map, [load(100)])).changes).toEqual([]);
    const { splitKey: _, ...oneKey } = load(500, { keys: 1 });
    expect(proposeSplits(cfg, view(map, [oneKey])).changes).toEqual([]);
    const later = fold(PLACED, 's0@2^1=n4+n5+n7');
    expect(proposeSplits(cfg, view(later, [load(500)])).changes).toEqual([]);
  });

  it('waits while the shard moves, a replica is dead or does not run it yet', () => {
    expect(
      proposeSplits(cfg, view(map, [load(500)], { moving: new Map([[0, 0]]) })).changes,
    ).toEqual([]);
    expect(
      proposeSplits(cfg, view(map, [load(500)], { isLive: (n) => n !== 'n5' })).changes,
    ).toEqual([]);
    expect(proposeSplits(cfg, view(map, [load(500)], { runs: (n) => n !== 'n6' })).changes).toEqual(
      [],
    );
  });

  it('stops at rangesMax shards and within migrationsMax', () => {
    const two = fold('s0@1^0[,k6)=n4+n5+n6', 's1@1^0[k6,)=n4+n5+n6');
    const loads = [load(500), load(500, { shard: 1, splitKey: 'k9' })];
    expect(proposeSplits(cfgOf({ rangeSplitBytes: 100 }), view(two, loads)).changes).toEqual([
      split(0, 1, 'k5', 2),
      split(1, 1, 'k9', 3),
    ]);
    const capped = cfgOf({ rangeSplitBytes: 100, rangesMax: 3 });
    expect(proposeSplits(capped, view(two, loads)).changes).toHaveLength(1);
    const narrow = cfgOf({ rangeSplitBytes: 100, migrationsMax: 3 });
    expect(proposeSplits(narrow, view(two, loads)).changes).toHaveLength(1);
  });
});
