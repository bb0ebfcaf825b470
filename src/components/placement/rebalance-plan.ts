/**
 * Rebalancing: moves that even out how full nodes are after a join, a leave or a skew, with
 * hysteresis so a cluster near balance is left alone, and a bound on moves in flight.
 *
 * A node's fair share is the total replica count split by capacity. A node more than `bandPct`
 * percent above its share is a source, one more than `bandPct` below it a destination, and a
 * move needs one end outside the band: inside it, nothing moves, so noise never starts a move
 * (CockroachDB's rebalance threshold, 5% by default, is the same band). A move must also leave
 * the source at least as full as the destination (`(s-1)/capS >= (d+1)/capD`), which makes
 * every move lower the sum of count²/capacity: a plan applied again and again ends, and then
 * proposes nothing. A draining node (a leave) moves every replica off, band or not, and a node
 * above its capacity the replicas beyond it. A move never
 * puts a second replica in a zone that had none of the shard's before, unless the source is in
 * that zone too. Shards already moving are not moved again, and the plan holds at most
 * `movesInFlightMax` moves with those in flight. Integer arithmetic only (DESIGN §4).
 */
import type { NodeId } from '../../core/ids.js';
import { chooseReplica, replicaCounts } from './choose-replica.js';
import type {
  Move,
  PlacementConstraints,
  PlacementNode,
  PlacementShard,
} from './placement-types.js';

export interface RebalanceOptions {
  /** The band around a node's fair share inside which it is balanced, in percent (e.g. 10). */
  readonly bandPct: number;
  readonly movesInFlightMax: number;
  /** Moves already running: they count against the bound and their shards stay put. */
  readonly inFlight: readonly Move[];
  /** `replicaCounts(shards)`, when the caller has counted them already (it is not changed). */
  readonly counts?: ReadonlyMap<NodeId, number>;
}

interface Fill {
  readonly node: PlacementNode;
  count: number;
}

export function planRebalance(
  nodes: readonly PlacementNode[],
  shards: readonly PlacementShard[],
  constraints: PlacementConstraints,
  options: RebalanceOptions,
): Move[] {
  const moving = new Set(options.inFlight.map((m) => m.shard));
  let budget = options.movesInFlightMax - options.inFlight.length;
  if (budget <= 0) return []; // each step below stops at its first move
  const current = new Map(shards.map((s) => [s.id, s]));
  const counts = new Map(options.counts ?? replicaCounts(shards));
  const moves: Move[] = [];
  const commit = (m: Move) => {
    const s = current.get(m.shard) as PlacementShard;
    current.set(m.shard, { ...s, replicas: [...s.replicas.filter((r) => r !== m.from), m.to] });
    counts.set(m.from, (counts.get(m.from) ?? 0) - 1);
    counts.set(m.to, (counts.get(m.to) ?? 0) + 1);
    moving.add(m.shard);
    moves.push(m);
    budget--;
  };
  for (const m of drainMoves(nodes, [...current.values()], counts, constraints, moving)) {
    if (budget <= 0) return moves;
    commit(m);
  }
  for (const m of shedMoves(nodes, [...current.values()], counts, constraints, moving)) {
    if (budget <= 0) return moves;
    commit(m);
  }
  while (budget > 0) {
    const m = balanceMove(nodes, [...current.values()], counts, options.bandPct, moving);
    if (m === undefined) break;
    commit(m);
  }
  return moves;
}

/** Every replica on a draining node, moved where a new replica would go. */
function drainMoves(
  nodes: readonly PlacementNode[],
  shards: readonly PlacementShard[],
  counts: Map<NodeId, number>,
  constraints: PlacementConstraints,
  moving: ReadonlySet<string>,
): Move[] {
  const out: Move[] = [];
  // One move per shard per plan: a shard on two draining nodes moves its second next time.
  const planned = new Set(moving);
  for (const node of nodes) {
    if (node.draining !== true) continue;
    for (const s of shards) {
      if (!s.replicas.includes(node.id) || planned.has(s.id)) continue;
      const rest = { ...s, replicas: s.replicas.filter((r) => r !== node.id) };
      const r = chooseReplica(rest, nodes, counts, constraints);
      if (!r.placed) continue;
      counts.set(r.node, (counts.get(r.node) ?? 0) + 1);
      counts.set(node.id, (counts.get(node.id) ?? 0) - 1);
      planned.add(s.id);
      out.push({
        shard: s.id,
        from: node.id,
        to: r.node,
        explanation: `${s.id}: ${node.id} is draining; ${r.explanation}`,
      });
    }
  }
  // The caller recounts as it commits each move.
  for (const m of out) {
    counts.set(m.to, (counts.get(m.to) ?? 0) - 1);
    counts.set(m.from, (counts.get(m.from) ?? 0) + 1);
  }
  return out;
}

/**
 * A node above its capacity (given after its replicas were placed) sheds the excess, band or
 * not, each replica where a new one would go, as a drain does; a replica with nowhere to go
 * stays, and is tried again on the next plan.
 */
function shedMoves(
  nodes: readonly PlacementNode[],
  shards: readonly PlacementShard[],
  counts: Map<NodeId, number>,
  constraints: PlacementConstraints,
  moving: ReadonlySet<string>,
): Move[] {
  const out: Move[] = [];
  const planned = new Set(moving);
  const zoneOf = new Map(nodes.map((n) => [n.id, n.zone]));
  for (const node of nodes) {
    const held = counts.get(node.id) ?? 0;
    if (node.draining === true || held <= node.capacity) continue;
    let excess = held - node.capacity;
    for (const s of shards) {
      if (excess === 0) break;
      if (!s.replicas.includes(node.id) || planned.has(s.id)) continue;
      const rest = { ...s, replicas: s.replicas.filter((r) => r !== node.id) };
      const r = chooseReplica(rest, nodes, counts, constraints);
      if (!r.placed) continue;
      // As a balance move: never into a zone holding the shard already, unless from it.
      const zone = zoneOf.get(r.node);
      if (zone !== node.zone && rest.replicas.some((x) => zoneOf.get(x) === zone)) continue;
      counts.set(r.node, (counts.get(r.node) ?? 0) + 1);
      planned.add(s.id);
      excess--;
      const why = `${node.id} holds ${held} replicas against a capacity of ${node.capacity}`;
      out.push({
        shard: s.id,
        from: node.id,
        to: r.node,
        explanation: `${s.id}: move ${node.id} -> ${r.node}: ${why}; ${r.explanation.replace(`${s.id}: `, '')}`,
      });
    }
  }
  for (const m of out) counts.set(m.to, (counts.get(m.to) ?? 0) - 1);
  return out;
}

/** The one move that helps most: from the fullest node to the emptiest it may go to. */
function balanceMove(
  nodes: readonly PlacementNode[],
  shards: readonly PlacementShard[],
  counts: ReadonlyMap<NodeId, number>,
  bandPct: number,
  moving: ReadonlySet<string>,
): Move | undefined {
  const live = nodes.filter((n) => n.draining !== true && n.capacity > 0);
  const fills: Fill[] = live.map((node) => ({ node, count: counts.get(node.id) ?? 0 }));
  const total = fills.reduce((sum, f) => sum + f.count, 0);
  const capacity = fills.reduce((sum, f) => sum + f.node.capacity, 0);
  // count/cap against total/capacity, in percent, multiplied out: above zero is above share.
  const deviation = (f: Fill, pct: number) =>
    f.count * capacity * 100 - total * f.node.capacity * (100 + pct);
  const over = (f: Fill) => deviation(f, bandPct) > 0;
  const under = (f: Fill) => deviation(f, -bandPct) < 0;
  const fuller = (a: Fill, b: Fill) =>
    b.count * a.node.capacity - a.count * b.node.capacity || (a.node.id < b.node.id ? -1 : 1);
  const byFill = [...fills].sort(fuller);
  const emptiestFirst = [...byFill].reverse();
  const zoneOf = new Map(nodes.map((n) => [n.id, n.zone]));
  for (const src of byFill) {
    for (const dst of emptiestFirst) {
      if (src === dst || (!over(src) && !under(dst))) continue;
      // (s-1)/capS >= (d+1)/capD: the move does not overshoot.
      if ((src.count - 1) * dst.node.capacity < (dst.count + 1) * src.node.capacity) continue;
      if (dst.count >= dst.node.capacity) continue;
      const m = movableShard(src.node, dst.node, shards, zoneOf, moving);
      if (m !== undefined) return explainMove(m, src, dst, total, capacity, bandPct);
    }
  }
  return undefined;
}

function movableShard(
  src: PlacementNode,
  dst: PlacementNode,
  shards: readonly PlacementShard[],
  zoneOf: ReadonlyMap<NodeId, string>,
  moving: ReadonlySet<string>,
): PlacementShard | undefined {
  return shards.find(
    (s) =>
      !moving.has(s.id) &&
      s.replicas.includes(src.id) &&
      !s.replicas.includes(dst.id) &&
      (src.zone === dst.zone || !s.replicas.some((r) => zoneOf.get(r) === dst.zone)),
  );
}

function explainMove(
  s: PlacementShard,
  src: Fill,
  dst: Fill,
  total: number,
  capacity: number,
  bandPct: number,
): Move {
  const share = (f: Fill) => `${f.count} replicas against a fair ${fair(f, total, capacity)}`;
  return {
    shard: s.id,
    from: src.node.id,
    to: dst.node.id,
    explanation: `${s.id}: move ${src.node.id} -> ${dst.node.id}: ${src.node.id} holds ${share(src)}, ${dst.node.id} ${share(dst)} (band ±${bandPct}%)`,
  };
}

/** A node's fair share as text with one decimal, computed in integers. */
function fair(f: Fill, total: number, capacity: number): string {
  const tenths = Math.round((total * f.node.capacity * 10) / capacity);
  return `${Math.floor(tenths / 10)}.${tenths % 10}`;
}
