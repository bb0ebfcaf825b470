/**
 * The leader's plan memo (plan-memo.ts): a tick whose inputs equal those of the last tick that
 * planned nothing is idle; a change to any one input (the map, a member, a dead node, a shard
 * moving, a drop, a node's running groups) plans again; a plan that proposed forgets the idle
 * inputs; and a report of the same running groups keeps the set it had.
 */
import { describe, expect, it } from 'vitest';
import {
  createPlanMemo,
  notePlanned,
  noteRunning,
  type PlanInputs,
  stillIdle,
} from '../../../../src/protocols/cluster/plan-memo.js';
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
});
