/**
 * Load-based rebalancing (CockroachDB's store rebalancer, TiKV's hot-region scheduler): a node
 * serving more than its fair share of the load gives a busy shard to a node serving less, so
 * that a hot spot spreads out. The load of a shard is what its server (the node whose replica
 * answers its requests: a primary, a leaseholder) reports; a node's load is the sum over the
 * shards it serves. The fair load is the total over the nodes, split evenly.
 *
 * One move per plan, with hysteresis on both sides:
 * - the source serves more than `bandPct` percent above the fair load, the destination less
 *   than the fair load;
 * - whichever member ends up serving the shard (the destination, or one of the replicas that
 *   stay: the new configuration elects its server afresh) must serve less than the source did
 *   once it has the shard's load: `load(m) + x < load(src)`, which lowers the sum of squared
 *   loads, so a plan applied to fresh measurements again and again ends; a node serving one
 *   shard too hot for anyone else keeps it;
 * - the move keeps both ends inside the replica-count band (`bandPct` around their
 *   capacity-weighted share of replicas), so the count balance does not undo it, and never
 *   fills a node past its capacity;
 * - the shard carries at least `bandPct` percent of the fair load: lighter ones are not worth
 *   a state transfer and an election;
 * - as a count move, it never puts a second replica in a zone that had none before, unless the
 *   source is in that zone too.
 * Integer arithmetic only (DESIGN §4).
 */
import type { NodeId } from '../../core/ids.js';
import { replicaCounts } from './choose-replica.js';
import type { Move, PlacementNode, PlacementShard } from './placement-types.js';

/** What a shard's server reports it serves, in requests per second. */
export interface ShardLoad {
  readonly server: NodeId;
  readonly load: number;
}

export interface LoadPlanOptions {
  readonly bandPct: number;
  /** Shards that may not move now (moving, waiting for a repair or a source). */
  readonly held: ReadonlySet<string>;
}

/**
 * The one move that spreads load most: the busiest shard of the busiest node above the band,
 * to the least loaded node that may take it; undefined when none may move.
 */
export function planLoadMove(
  nodes: readonly PlacementNode[],
  shards: readonly PlacementShard[],
  loads: ReadonlyMap<string, ShardLoad>,
  options: LoadPlanOptions,
): Move | undefined {
  const live = nodes.filter((n) => n.draining !== true && n.capacity > 0);
  const n = live.length;
  const total = live.reduce((sum, x) => sum + x.load, 0);
  if (n === 0 || total === 0) return undefined;
  const counts = replicaCounts(shards);
  const band = countBand(live, counts, options.bandPct);
  const hot = live
    .filter((x) => x.load * n * 100 > total * (100 + options.bandPct))
    .sort((a, b) => b.load - a.load || (a.id < b.id ? -1 : 1));
  const cold = live
    .filter((x) => x.load * n < total)
    .sort((a, b) => a.load - b.load || (a.id < b.id ? -1 : 1));
  const loadOf = new Map(live.map((x) => [x.id, x.load]));
  for (const src of hot) {
    if (!band.mayLose(src)) continue;
    const busy = shards
      .filter((s) => loads.get(s.id)?.server === src.id && !options.held.has(s.id))
      .sort((a, b) => loadIn(loads, b) - loadIn(loads, a) || (a.id < b.id ? -1 : 1));
    for (const s of busy) {
      const x = loadIn(loads, s);
      // A shard lighter than the band's width around the fair load moves nothing that matters.
      if (x * n * 100 < total * options.bandPct) break;
      const stays = s.replicas.filter((r) => r !== src.id);
      if (stays.some((r) => (loadOf.get(r) ?? 0) + x >= src.load)) continue;
      const dst = cold.find(
        (d) =>
          d.load + x < src.load &&
          !s.replicas.includes(d.id) &&
          band.mayGain(d) &&
          zoneAllows(nodes, s, src, d),
      );
      if (dst !== undefined) return explain(s, src, dst, x, total, n, options.bandPct);
    }
  }
  return undefined;
}

const loadIn = (loads: ReadonlyMap<string, ShardLoad>, s: PlacementShard): number =>
  loads.get(s.id)?.load ?? 0;

/** Whether a node may lose or gain a replica and stay within the count band and capacity. */
function countBand(
  live: readonly PlacementNode[],
  counts: ReadonlyMap<NodeId, number>,
  pct: number,
) {
  const total = live.reduce((sum, x) => sum + (counts.get(x.id) ?? 0), 0);
  const capacity = live.reduce((sum, x) => sum + x.capacity, 0);
  // count/cap against total/capacity, in percent, multiplied out (as planRebalance does).
  const deviation = (x: PlacementNode, count: number, p: number) =>
    count * capacity * 100 - total * x.capacity * (100 + p);
  const held = (x: PlacementNode) => counts.get(x.id) ?? 0;
  return {
    mayLose: (x: PlacementNode) => deviation(x, held(x) - 1, -pct) >= 0,
    mayGain: (x: PlacementNode) => held(x) < x.capacity && deviation(x, held(x) + 1, pct) <= 0,
  };
}

function zoneAllows(
  nodes: readonly PlacementNode[],
  s: PlacementShard,
  src: PlacementNode,
  dst: PlacementNode,
): boolean {
  const zoneOf = new Map(nodes.map((x) => [x.id, x.zone]));
  return src.zone === dst.zone || !s.replicas.some((r) => zoneOf.get(r) === dst.zone);
}

function explain(
  s: PlacementShard,
  src: PlacementNode,
  dst: PlacementNode,
  x: number,
  total: number,
  n: number,
  bandPct: number,
): Move {
  const fair = Math.round(total / n);
  return {
    shard: s.id,
    from: src.id,
    to: dst.id,
    explanation: `${s.id}: move ${src.id} -> ${dst.id}: ${src.id} serves ${src.load} req/s against a fair ${fair}, ${dst.id} ${dst.load} (band ±${bandPct}%); ${s.id} is ${x} req/s of ${src.id}'s`,
  };
}
