/**
 * Where to add one replica of a shard: the allocator's core rule, as CockroachDB's
 * (`allocator_scorer.go`: diversity first, then fullness, then load) and HDFS's block placement
 * order it. Among live nodes that do not hold the shard and have room, prefer in turn
 *   1. a zone holding fewer of the shard's replicas (none, when a zone with room has none),
 *   2. a rack holding fewer of them,
 *   3. the lower share of its capacity used,
 *   4. the lower load,
 * and the node id last, so the choice is a function of the input alone. With the zone spread
 * `required`, a zone already holding a replica is no candidate at all. Every decision carries a
 * sentence saying why, which a protocol puts in its trace. Integer arithmetic only (DESIGN §4).
 */
import type { NodeId } from '../../core/ids.js';
import type {
  AddDecision,
  PlacementConstraints,
  PlacementNode,
  PlacementShard,
} from './placement-types.js';

export type AddResult =
  | ({ readonly placed: true } & AddDecision)
  | { readonly placed: false; readonly shard: string; readonly explanation: string };

interface Candidate {
  readonly node: PlacementNode;
  readonly inZone: number;
  readonly inRack: number;
  readonly held: number;
}

/** How many replicas each node holds, over every shard (anything with its replicas). */
export function replicaCounts(
  shards: readonly { readonly replicas: readonly NodeId[] }[],
): Map<NodeId, number> {
  const counts = new Map<NodeId, number>();
  for (const s of shards) for (const r of s.replicas) counts.set(r, (counts.get(r) ?? 0) + 1);
  return counts;
}

export function chooseReplica(
  shard: PlacementShard,
  nodes: readonly PlacementNode[],
  counts: ReadonlyMap<NodeId, number>,
  constraints: PlacementConstraints,
): AddResult {
  const holders = nodes.filter((n) => shard.replicas.includes(n.id));
  let best: Candidate | undefined;
  let among = 0;
  for (const node of nodes) {
    const held = counts.get(node.id) ?? 0;
    if (node.draining === true || shard.replicas.includes(node.id) || held >= node.capacity)
      continue;
    const inZone = countOf(holders, (h) => h.zone === node.zone);
    if (constraints.zoneSpread === 'required' && inZone > 0) continue;
    const inRack = node.rack === undefined ? 0 : countOf(holders, (h) => h.rack === node.rack);
    const c = { node, inZone, inRack, held };
    among++;
    // The first of the least, as the first of a stable sort: no array sorted per pick.
    if (best === undefined || compareCandidates(c, best) < 0) best = c;
  }
  if (best === undefined)
    return { placed: false, shard: shard.id, explanation: noRoom(shard, constraints) };
  return {
    placed: true,
    shard: shard.id,
    node: best.node.id,
    explanation: explain(shard, best, among),
  };
}

function countOf<T>(xs: readonly T[], p: (x: T) => boolean): number {
  let n = 0;
  for (const x of xs) if (p(x)) n++;
  return n;
}

function compareCandidates(a: Candidate, b: Candidate): number {
  return (
    a.inZone - b.inZone ||
    a.inRack - b.inRack ||
    // a.held / a.capacity against b.held / b.capacity, multiplied out.
    a.held * b.node.capacity - b.held * a.node.capacity ||
    a.node.load - b.node.load ||
    (a.node.id < b.node.id ? -1 : a.node.id > b.node.id ? 1 : 0)
  );
}

function explain(shard: PlacementShard, c: Candidate, among: number): string {
  const where = c.node.rack === undefined ? c.node.zone : `${c.node.zone}/${c.node.rack}`;
  const zone =
    c.inZone === 0
      ? `zone ${c.node.zone} holds none of its ${shard.replicas.length} replicas`
      : `every zone with room holds a replica already; ${c.node.zone} holds ${c.inZone}`;
  const rack = c.node.rack === undefined || c.inRack > 0 ? '' : `, nor does rack ${c.node.rack}`;
  const fill = `${c.held}/${c.node.capacity} replicas, load ${c.node.load}`;
  return `${shard.id}: add a replica on ${c.node.id} (${where}): ${zone}${rack}; ${fill}; best of ${among} candidate${among === 1 ? '' : 's'}`;
}

function noRoom(shard: PlacementShard, constraints: PlacementConstraints): string {
  const rule =
    constraints.zoneSpread === 'required' ? ' in a zone that holds none of its replicas' : '';
  return `${shard.id}: no live node${rule} has room for another replica`;
}
