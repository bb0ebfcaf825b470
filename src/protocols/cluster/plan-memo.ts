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
import { parseNamespace } from '../../core/configuration-id.js';
import type { NodeId } from '../../core/ids.js';
import type { ShardMap } from './shard-map.js';

export interface PlanMemo {
  /** Bumped when a storage node reports running groups the idle pass would read differently. */
  runningChanges: number;
  /** The inputs of the last tick that planned nothing, or none since anything was planned. */
  idle: Idle | undefined;
}

interface Idle {
  readonly map: ShardMap;
  readonly key: string;
  /** The shards moving then: the pass reads no node's groups of a moving shard. */
  readonly moving: ReadonlySet<number>;
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

/**
 * A storage node's report of the groups it runs: notes whether the set changed in a way the
 * idle pass could see. The pass reads a node's groups only as "runs the shard's current epoch"
 * (repair's and a move's source, a drop's survivors) and never of a shard moving (none
 * repairs, drops or moves), so while the map and the shards moving are the idle pass's (both in
 * its key), a group of a superseded epoch, of a moving shard or of a shard the map lacks,
 * started or stopped, changes nothing it planned from; any other change (or a name that is no
 * group's) plans again.
 */
export function noteRunning(
  memo: PlanMemo,
  before: ReadonlySet<string> | undefined,
  running: readonly string[],
): ReadonlySet<string> {
  if (before !== undefined && before.size === running.length && running.every((g) => before.has(g)))
    return before;
  const after = new Set(running);
  if (memo.idle === undefined || seenBy(memo.idle, before, after)) memo.runningChanges++;
  return after;
}

/** Whether a group in one set and not the other is a current epoch the idle pass read. */
function seenBy(idle: Idle, before: ReadonlySet<string> | undefined, after: ReadonlySet<string>) {
  const current = (g: string) => {
    const p = parseNamespace(g);
    if (p === undefined) return true;
    return idle.map.shards[p.shard]?.epoch === p.epoch && !idle.moving.has(p.shard);
  };
  for (const g of after) if (before?.has(g) !== true && current(g)) return true;
  if (before !== undefined) for (const g of before) if (!after.has(g) && current(g)) return true;
  return false;
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
  memo.idle = idle
    ? { map: i.map, key: keyOf(memo, i), moving: new Set(i.moving.keys()) }
    : undefined;
}
