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

/** The inputs of an idle pass, as copies, compared in order with a later tick's. */
interface Idle {
  readonly map: ShardMap;
  readonly members: readonly NodeId[];
  readonly dead: readonly NodeId[];
  /** The shards moving then: the pass reads no node's groups of a moving shard. */
  readonly moving: readonly number[];
  readonly drops: readonly (readonly [number, NodeId])[];
  readonly runningChanges: number;
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
 * its inputs), a group of a superseded epoch, of a moving shard or of a shard the map lacks,
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
    return idle.map.shards[p.shard]?.epoch === p.epoch && !idle.moving.includes(p.shard);
  };
  let kept = 0;
  for (const g of after) {
    if (before?.has(g) === true) kept++;
    else if (current(g)) return true;
  }
  // Groups stopped: only when fewer of `before` were kept than it holds.
  if (before === undefined || kept === before.size) return false;
  for (const g of before) if (!after.has(g) && current(g)) return true;
  return false;
}

/** Whether the pass would plan nothing again: its inputs are those of the last idle tick. */
export function stillIdle(memo: PlanMemo, i: PlanInputs): boolean {
  const idle = memo.idle;
  return (
    idle !== undefined &&
    idle.map === i.map &&
    idle.runningChanges === memo.runningChanges &&
    same(idle.members, i.members) &&
    same(idle.dead, i.dead.keys()) &&
    same(idle.moving, i.moving.keys()) &&
    sameDrops(idle.drops, i.drops)
  );
}

/** The pass planned nothing from these inputs (or planned, when `idle` is false). */
export function notePlanned(memo: PlanMemo, i: PlanInputs, idle: boolean): void {
  memo.idle = idle
    ? {
        map: i.map,
        members: [...i.members],
        dead: [...i.dead.keys()],
        moving: [...i.moving.keys()],
        drops: [...i.drops],
        runningChanges: memo.runningChanges,
      }
    : undefined;
}

/** The same values in the same order (a map's keys in the order they were set). */
function same<T>(was: readonly T[], now: Iterable<T>): boolean {
  let k = 0;
  for (const x of now) if (k >= was.length || was[k++] !== x) return false;
  return k === was.length;
}

function sameDrops(was: Idle['drops'], now: ReadonlyMap<number, NodeId>): boolean {
  let k = 0;
  for (const [shard, node] of now) {
    const w = was[k++];
    if (w === undefined || w[0] !== shard || w[1] !== node) return false;
  }
  return k === was.length;
}
