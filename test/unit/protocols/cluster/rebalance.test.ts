/**
 * The cluster's rebalance pass (src/protocols/cluster/rebalance.ts), as pure functions of the
 * map and the leader's view: after a zone outage's repairs, the zone's return moves the crowded
 * zone's replica back into it, never more than migrationsMax at once; a move adds its
 * destination in a new epoch and records the replica its drop will take; a shard above
 * replicasMax whose change runs drops that replica; a small skew inside the band moves
 * nothing; a joining node takes replicas of its own zone; a leaving one is drained; and the
 * plan, applied again and again, ends with every zone holding one replica of each shard and
 * then proposes nothing (no thrash).
 */
import { describe, expect, it } from 'vitest';
import {
  type ClusterOptions,
  createClusterConfig,
} from '../../../../src/protocols/cluster/cluster-config.js';
import { cluster } from '../../../../src/protocols/cluster/index.js';
import { initialPlacement } from '../../../../src/protocols/cluster/initial-placement.js';
import {
  proposeRebalance,
  type RebalanceView,
} from '../../../../src/protocols/cluster/rebalance.js';
import {
  changeRecords,
  foldShardMap,
  type ShardChange,
  type ShardMap,
} from '../../../../src/protocols/cluster/shard-map.js';

const NODES = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7', 'n8', 'n9', 'n10'];
const ZONES = NODES.map((_, i) => ({ zone: `z${(i % 3) + 1}` }));
const STORAGE = ['n4', 'n5', 'n6', 'n7', 'n8', 'n9'];
const options = (over: Partial<ClusterOptions> = {}): ClusterOptions =>
  cluster.optionsSchema?.parse({ shards: 16, ...over }) as ClusterOptions;
const cfg = createClusterConfig(options(), NODES, ZONES, new Set(), ['n10']);
const zoneOf = (n: string) => cfg.locality.get(n)?.zone;

/** The map with `changes` applied on top, as the managers' fold would. */
function apply(map: ShardMap, changes: readonly ShardChange[]): ShardMap {
  const shards = [...map.shards];
  for (const c of changes) shards[c.shard] = c;
  return { version: map.version + changes.length, shards };
}

const INITIAL = foldShardMap(changeRecords(initialPlacement(cfg).changes));

/** Every shard's z2 replica (n5 or n8) replaced, as the repairs of z2's outage leave it. */
function afterZoneOutage(): ShardMap {
  const changes = INITIAL.shards.map((c) => {
    const s = c as NonNullable<typeof c>;
    const z2 = s.replicas.find((n) => zoneOf(n) === 'z2') as string;
    // The replacement: the node of z1 or z3 that does not hold it yet, alternately.
    const spare = s.shard % 2 === 0 ? ['n4', 'n7'] : ['n6', 'n9'];
    const add = spare.find((n) => !s.replicas.includes(n)) as string;
    const replicas = [...s.replicas.filter((n) => n !== z2), add].sort();
    return { shard: s.shard, epoch: 2, supersedes: 1, replicas };
  });
  return apply(INITIAL, changes);
}

const view = (map: ShardMap, over: Partial<RebalanceView> = {}): RebalanceView => ({
  map,
  members: STORAGE,
  isLive: () => true,
  moving: new Map(),
  drops: new Map(),
  runs: () => true,
  ...over,
});

/** Runs the pass to its end as the leader would, every change finishing before the next. */
function settle(map: ShardMap, over: Partial<RebalanceView> = {}) {
  const drops = new Map<number, string>();
  let passes = 0;
  for (;;) {
    const p = proposeRebalance(cfg, view(map, { ...over, drops }));
    if (p.changes.length === 0) return { map, passes };
    expect(p.changes.length).toBeLessThanOrEqual(cfg.options.migrationsMax);
    for (const [s, n] of p.drops) drops.set(s, n);
    map = apply(map, p.changes);
    passes++;
    expect(passes).toBeLessThan(100);
  }
}

const zonesOf = (map: ShardMap, s: number) =>
  new Set(map.shards[s]?.replicas.map((n) => zoneOf(n)));

describe('the rebalance pass', () => {
  it('leaves the initial placement alone: every node at its fair share', () => {
    expect(proposeRebalance(cfg, view(INITIAL)).changes).toEqual([]);
  });

  it('moves a crowded zone’s replica back into the zone that returned, four at a time', () => {
    const map = afterZoneOutage();
    const p = proposeRebalance(cfg, view(map));
    expect(p.changes).toHaveLength(4);
    for (const c of p.changes) {
      const old = map.shards[c.shard];
      // Add first: the new epoch holds every old replica and one in z2.
      expect(c.supersedes).toBe(old?.epoch);
      expect(c.replicas).toHaveLength(4);
      const added = c.replicas.find((n) => !old?.replicas.includes(n)) as string;
      expect(zoneOf(added)).toBe('z2');
      // The replica to drop is one of the crowded zone's.
      const drop = p.drops.get(c.shard) as string;
      expect(old?.replicas.filter((n) => zoneOf(n) === zoneOf(drop))).toHaveLength(2);
    }
    expect(p.explanations.every((e) => /holds 2 of its replicas and z2 none/.test(e))).toBe(true);
  });

  it('stands aside under active-backup, whose moves would have to name the standby', () => {
    const ab = createClusterConfig(
      options({ recovery: 'active-backup' }),
      NODES,
      ZONES,
      new Set(),
      ['n10'],
    );
    expect(proposeRebalance(ab, view(afterZoneOutage())).changes).toEqual([]);
  });

  it('drops the replica its move planned once the added one runs, and waits while it moves', () => {
    const map = afterZoneOutage();
    const p = proposeRebalance(cfg, view(map));
    const moved = apply(map, p.changes);
    const shard = p.changes[0]?.shard as number;
    // Still moving: nothing more for that shard.
    const moving = new Map(p.changes.map((c) => [c.shard, 0] as const));
    const busy = proposeRebalance(cfg, view(moved, { moving, drops: p.drops }));
    expect(busy.changes).toEqual([]);
    // Done: each is dropped back to three replicas, the planned one gone.
    const done = proposeRebalance(cfg, view(moved, { drops: p.drops }));
    const drop = done.changes.find((c) => c.shard === shard);
    expect(drop?.replicas).toHaveLength(3);
    expect(drop?.replicas).not.toContain(p.drops.get(shard));
    expect(zonesOf(apply(moved, done.changes), shard).size).toBe(3);
  });

  it('with migrationsMax shards moving, still drops, and plans the moves once room frees', () => {
    const map = afterZoneOutage();
    const p = proposeRebalance(cfg, view(map));
    const moved = apply(map, p.changes);
    // Four other shards take the room: the moves' drops are still proposed, no move is.
    const others = map.shards.filter((c) => c !== undefined && !p.drops.has(c.shard));
    const moving = new Map(others.slice(0, 4).map((c) => [c?.shard as number, 0] as const));
    const full = proposeRebalance(cfg, view(moved, { moving, drops: p.drops }));
    expect(full.changes.map((c) => c.replicas.length)).toEqual([3, 3, 3, 3]);
    expect(full.drops.size).toBe(0);
    // One shard done: room for one move besides the drops, which the pass takes.
    moving.delete(others[0]?.shard as number);
    const one = proposeRebalance(cfg, view(apply(moved, full.changes), { moving }));
    expect(one.changes).toHaveLength(1);
    expect(one.changes[0]?.replicas).toHaveLength(4);
  });

  it('keeps a move’s source while the replica it added is dead or not yet running', () => {
    // cluster-chaos seed 2788: the added replica (and two old ones) were cut off from the
    // leader and declared dead before they ran the new epoch; dropping the planned source
    // left a configuration no live node could copy from, and the shard stayed without a
    // primary to the end of the run.
    const map = afterZoneOutage();
    const p = proposeRebalance(cfg, view(map));
    const moved = apply(map, p.changes);
    const shard = p.changes[0]?.shard as number;
    const planned = p.drops.get(shard) as string;
    const c = moved.shards[shard] as NonNullable<ShardMap['shards'][number]>;
    const runsOnly = (n: string) => n === planned;
    const cutOff = view(moved, { drops: p.drops, isLive: runsOnly, runs: runsOnly });
    expect(proposeRebalance(cfg, cutOff).changes.some((x) => x.shard === shard)).toBe(false);
    // Alive but not yet running the new epoch: the drop waits as well.
    const lagging = view(moved, { drops: p.drops, runs: runsOnly });
    expect(proposeRebalance(cfg, lagging).changes.some((x) => x.shard === shard)).toBe(false);
    // Without a planned drop, a dead replica goes only when every other one runs.
    const dead = c.replicas.find((n) => n !== planned) as string;
    const noPlan = view(moved, { isLive: (n) => n !== dead, runs: (n) => n !== dead });
    expect(proposeRebalance(cfg, noPlan).changes.find((x) => x.shard === shard)?.replicas).toEqual(
      c.replicas.filter((n) => n !== dead),
    );
    const twoDown = view(moved, { isLive: (n) => n !== dead, runs: runsOnly });
    expect(proposeRebalance(cfg, twoDown).changes.some((x) => x.shard === shard)).toBe(false);
  });

  it('drops a dead replica, else the fuller of a crowded zone, when no move is on record', () => {
    const replicas = [...(INITIAL.shards[0]?.replicas ?? [])];
    const extra = ['n4', 'n7'].find((n) => !replicas.includes(n)) as string;
    const four = [...replicas, extra];
    const map = apply(INITIAL, [{ shard: 0, epoch: 2, supersedes: 1, replicas: four }]);
    const dead = replicas[0] as string;
    const p = proposeRebalance(cfg, view(map, { isLive: (n) => n !== dead }));
    expect(p.changes[0]?.replicas).not.toContain(dead);
    expect(p.explanations[0]).toMatch(/it is dead/);
    const q = proposeRebalance(cfg, view(map));
    expect(q.changes[0]?.replicas.map((n) => zoneOf(n)).sort()).toEqual(['z1', 'z2', 'z3']);
  });

  it('moves nothing for a skew inside the band, and nothing without a source to copy', () => {
    // 64 shards: a fair share of 32 replicas per node. n4 one above it, n7 one below: 3%.
    const wide = (band: number) =>
      createClusterConfig(
        options({ shards: 64, rebalanceBandPct: band }),
        NODES,
        ZONES,
        new Set(),
        ['n10'],
      );
    const start = foldShardMap(changeRecords(initialPlacement(wide(10)).changes));
    const s = start.shards.find((c) => c?.replicas.includes('n7') && !c.replicas.includes('n4'));
    const c = s as NonNullable<typeof s>;
    const replicas = c.replicas.map((n) => (n === 'n7' ? 'n4' : n));
    const skewed = apply(start, [{ shard: c.shard, epoch: 2, supersedes: 1, replicas }]);
    expect(proposeRebalance(wide(10), view(skewed)).changes).toEqual([]);
    // With a band of 0 the same skew is evened out, by one move from n4 to n7.
    const tight = proposeRebalance(wide(0), view(skewed));
    expect(tight.changes).toHaveLength(1);
    expect(tight.changes[0]?.replicas).toContain('n7');
    expect([...tight.drops.values()]).toEqual(['n4']);
    // No live replica reports the shard's group running: no move.
    const map = afterZoneOutage();
    expect(proposeRebalance(cfg, view(map, { runs: () => false })).changes).toEqual([]);
  });

  it('gives a joining node replicas of its own zone, up to its share', () => {
    const members = [...STORAGE, 'n10'];
    const { map } = settle(INITIAL, { members });
    const held = (n: string) => map.shards.filter((c) => c?.replicas.includes(n)).length;
    // z1's 16 replicas over n4, n7 and n10 (which sits in z1).
    expect(zoneOf('n10')).toBe('z1');
    expect(held('n10')).toBe(5);
    expect(held('n4') + held('n7') + held('n10')).toBe(16);
    for (let s = 0; s < 16; s++) expect(zonesOf(map, s).size).toBe(3);
    expect(proposeRebalance(cfg, view(map, { members })).changes).toEqual([]);
  });

  it('drains a leaving node of every replica, into its zone while the zone has room', () => {
    const members = STORAGE.filter((n) => n !== 'n4');
    const first = proposeRebalance(cfg, view(INITIAL, { members }));
    expect(first.changes).toHaveLength(4);
    expect([...first.drops.values()].every((n) => n === 'n4')).toBe(true);
    expect(first.explanations.every((e) => /n4 is draining/.test(e))).toBe(true);
    const { map } = settle(INITIAL, { members });
    expect(map.shards.some((c) => c?.replicas.includes('n4'))).toBe(false);
    expect(map.shards.every((c) => c?.replicas.length === 3)).toBe(true);
  });

  it('ends after a zone’s return with one replica per zone, then proposes nothing', () => {
    const { map, passes } = settle(afterZoneOutage());
    for (let s = 0; s < 16; s++) expect(zonesOf(map, s).size, `s${s}`).toBe(3);
    const held = (n: string) => map.shards.filter((c) => c?.replicas.includes(n)).length;
    expect(held('n5') + held('n8')).toBe(16);
    for (const n of STORAGE) expect(held(n)).toBe(8);
    // 16 moves, four at a time, each an add and a drop.
    expect(passes).toBe(8);
  });
});
