/**
 * The leader plans again only when what it plans from changed. Its plan (repairs, drops,
 * diversity and balance moves: repair.ts, rebalance.ts) is a pure function of the shard map,
 * the storage members, the nodes it holds dead, the shards moving, the drops awaited and the
 * groups each node reports running; a tick that finds all of them as they were at the last
 * tick that planned nothing would plan nothing again, and skips the pass. The leader ticks
 * every heartbeat and the pass walks every shard and node, so in a settled cluster this saves
 * most of the leader's work; what it decides is the same, tick for tick.
 *
 * Not under `sharding: range` (a split is planned from the sizes every heartbeat reports) nor
 * `balance: load` (a load move reads the clock): there every tick plans.
 */
import type { NodeId } from '../../core/ids.js';
import type { ShardMap } from './shard-map.js';

export interface PlanMemo {
  /** Bumped when a storage node reports a different set of running groups. */
  runningChanges: number;
  /** The inputs of the last tick that planned nothing, or none since anything was planned. */
  idle: { readonly map: ShardMap; readonly key: string } | undefined;
}

/** What the pass reads besides the map, as the leader holds it. */
export interface PlanInputs {
  readonly map: ShardMap;
  readonly members: readonly NodeId[];
  readonly dead: ReadonlyMap<NodeId, unknown>;
  readonly moving: ReadonlyMap<number, unknown>;
  readonly drops: ReadonlyMap<number, NodeId>;
}

export const createPlanMemo = (): PlanMemo => ({ runningChanges: 0, idle: undefined });

/** A storage node's report of the groups it runs: notes whether the set changed. */
export function noteRunning(
  memo: PlanMemo,
  before: ReadonlySet<string> | undefined,
  running: readonly string[],
): ReadonlySet<string> {
  if (before !== undefined && before.size === running.length && running.every((g) => before.has(g)))
    return before;
  memo.runningChanges++;
  return new Set(running);
}

const keyOf = (memo: PlanMemo, i: PlanInputs): string =>
  [
    i.members.join(','),
    [...i.dead.keys()].join(','),
    [...i.moving.keys()].join(','),
    [...i.drops].join(','),
    memo.runningChanges,
  ].join('|');

/** Whether the pass would plan nothing again: its inputs are those of the last idle tick. */
export function stillIdle(memo: PlanMemo, i: PlanInputs): boolean {
  return memo.idle !== undefined && memo.idle.map === i.map && memo.idle.key === keyOf(memo, i);
}

/** The pass planned nothing from these inputs (or planned, when `idle` is false). */
export function notePlanned(memo: PlanMemo, i: PlanInputs, idle: boolean): void {
  memo.idle = idle ? { map: i.map, key: keyOf(memo, i) } : undefined;
}
