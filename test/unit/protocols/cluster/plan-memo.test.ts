/**
 * The leader's plan memo (plan-memo.ts): a tick whose inputs equal those of the last tick that
 * planned nothing is idle; a change to any one input (the map, a member, a dead node, a shard
 * moving, a drop, a node's running groups) plans again; a plan that proposed forgets the idle
 * inputs; and a report of the same running groups keeps the set it had. A report whose changed
 * groups the idle pass never read (a superseded epoch's, a moving shard's) keeps it idle, and a
 * property checks that such a report leaves the pass's repairs and moves as they were.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupNamespace } from '../../../../src/core/configuration-id.js';
import {
  type ClusterOptions,
  createClusterConfig,
} from '../../../../src/protocols/cluster/cluster-config.js';
import { cluster } from '../../../../src/protocols/cluster/index.js';
import {
  createPlanMemo,
  notePlanned,
  noteRunning,
  type PlanInputs,
  stillIdle,
} from '../../../../src/protocols/cluster/plan-memo.js';
import { proposeRebalance } from '../../../../src/protocols/cluster/rebalance.js';
import { proposeRepair } from '../../../../src/protocols/cluster/repair.js';
import type { ShardMap } from '../../../../src/protocols/cluster/shard-map.js';

const map: ShardMap = { version: 3, shards: [{ shard: 0, epoch: 2, replicas: ['n4', 'n5'] }] };

function inputs(): {
  i: PlanInputs;
  dead: Map<string, number>;
  moving: Map<number, number>;
  drops: Map<number, string>;
} {
  const dead = new Map<string, number>();
  const moving = new Map<number, number>();
  const drops = new Map<number, string>();
  return { i: { map, members: ['n4', 'n5', 'n6'], dead, moving, drops }, dead, moving, drops };
}

describe('the plan memo', () => {
  it('is idle only for the inputs of the last tick that planned nothing', () => {
    const memo = createPlanMemo();
    const { i, dead, moving, drops } = inputs();
    expect(stillIdle(memo, i)).toBe(false);
    notePlanned(memo, i, true);
    expect(stillIdle(memo, i)).toBe(true);
    expect(stillIdle(memo, { ...i, map: { ...map } })).toBe(false);
    expect(stillIdle(memo, { ...i, members: ['n4', 'n5'] })).toBe(false);
    dead.set('n5', 10);
    expect(stillIdle(memo, i)).toBe(false);
    dead.clear();
    moving.set(0, 10);
    expect(stillIdle(memo, i)).toBe(false);
    moving.clear();
    drops.set(0, 'n4');
    expect(stillIdle(memo, i)).toBe(false);
    drops.clear();
    expect(stillIdle(memo, i)).toBe(true);
    noteRunning(memo, undefined, ['s0e2']);
    expect(stillIdle(memo, i)).toBe(false);
  });

  it('forgets the idle inputs once a tick proposes', () => {
    const memo = createPlanMemo();
    const { i } = inputs();
    notePlanned(memo, i, true);
    notePlanned(memo, i, false);
    expect(stillIdle(memo, i)).toBe(false);
  });

  it('keeps a node’s running set when it reports the same groups, in any order', () => {
    const memo = createPlanMemo();
    const first = noteRunning(memo, undefined, ['s0e2', 's1e1']);
    expect(memo.runningChanges).toBe(1);
    expect(noteRunning(memo, first, ['s1e1', 's0e2'])).toBe(first);
    expect(memo.runningChanges).toBe(1);
    const next = noteRunning(memo, first, ['s0e2']);
    expect([...next]).toEqual(['s0e2']);
    expect(memo.runningChanges).toBe(2);
    expect(noteRunning(memo, next, ['s0e3'])).not.toBe(next);
    expect(memo.runningChanges).toBe(3);
  });

  it('stays idle for a report changing only groups the idle pass did not read', () => {
    const memo = createPlanMemo();
    const { i, moving } = inputs();
    const two: ShardMap = {
      version: 4,
      shards: [...map.shards, { shard: 1, epoch: 1, replicas: ['n6'] }],
    };
    const at = { ...i, map: two };
    moving.set(1, 5);
    notePlanned(memo, at, true);
    const first = noteRunning(memo, undefined, ['s0e1', 's1e1', 's7e1']);
    expect(stillIdle(memo, at)).toBe(true); // superseded, moving, not in the map
    const next = noteRunning(memo, first, ['s1e1']);
    expect(stillIdle(memo, at)).toBe(true);
    noteRunning(memo, next, ['s0e2', 's1e1']); // shard 0's current epoch: read
    expect(stillIdle(memo, at)).toBe(false);
    notePlanned(memo, at, true);
    noteRunning(memo, next, ['checkpoint']); // no group's name: planned again, to be safe
    expect(stillIdle(memo, at)).toBe(false);
  });
});

const NODES = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7', 'n8', 'n9'];
const STORAGE = NODES.slice(3);
const ZONES = NODES.map((_, i) => ({ zone: `z${(i % 3) + 1}` }));
const SHARDS = 6;
const cfg = createClusterConfig(
  cluster.optionsSchema?.parse({ shards: SHARDS, migrationsMax: 3 }) as ClusterOptions,
  NODES,
  ZONES,
  new Set(),
);
const GROUPS = Array.from({ length: SHARDS * 3 }, (_, g) =>
  groupNamespace(Math.floor(g / 3), 1 + (g % 3)),
);

/** A map of SHARDS shards at epochs 1..3, two to four replicas each, nodes dead or moving. */
const world = fc.record({
  shards: fc.array(
    fc.record({
      epoch: fc.integer({ min: 1, max: 3 }),
      replicas: fc.uniqueArray(fc.constantFrom(...STORAGE), { minLength: 2, maxLength: 4 }),
    }),
    { minLength: SHARDS, maxLength: SHARDS },
  ),
  dead: fc.subarray(STORAGE, { maxLength: 2 }),
  moving: fc.subarray(Array.from({ length: SHARDS }, (_, s) => s)),
  running: fc.array(fc.subarray(GROUPS), { minLength: STORAGE.length, maxLength: STORAGE.length }),
  node: fc.integer({ min: 0, max: STORAGE.length - 1 }),
  report: fc.subarray(GROUPS),
});

describe('the plan memo, against the pass it skips', () => {
  it('property: a running report it does not count leaves repairs and moves as they were', () => {
    let unseen = 0;
    fc.assert(
      fc.property(world, (w) => {
        const shardMap: ShardMap = {
          version: 9,
          shards: w.shards.map((c, shard) => ({
            shard,
            epoch: c.epoch,
            replicas: c.replicas.sort(),
          })),
        };
        const running = new Map(STORAGE.map((n, k) => [n, new Set(w.running[k])] as const));
        const moving = new Map(w.moving.map((s) => [s, 0] as const));
        const dead = new Map(w.dead.map((n) => [n, 0] as const));
        const pass = () => {
          const isLive = (n: string) => !dead.has(n);
          const runs = (n: string, s: number, e: number) =>
            running.get(n)?.has(groupNamespace(s, e)) ?? false;
          const view = { map: shardMap, members: STORAGE, isLive, moving, drops: new Map(), runs };
          return {
            repair: proposeRepair(cfg, shardMap, isLive, moving, runs),
            rebalance: proposeRebalance(cfg, view),
          };
        };
        const memo = createPlanMemo();
        const i = { map: shardMap, members: STORAGE, dead, moving, drops: new Map() };
        notePlanned(memo, i, true);
        const before = pass();
        const node = STORAGE[w.node] as string;
        running.set(node, new Set(noteRunning(memo, running.get(node), w.report)));
        if (!stillIdle(memo, i)) return;
        unseen++;
        expect(pass()).toEqual(before);
      }),
      { numRuns: 400, seed: 7 },
    );
    expect(unseen).toBeGreaterThan(20);
  });
});
