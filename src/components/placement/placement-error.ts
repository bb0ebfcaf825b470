/**
 * What a placement cannot do, found before it is asked to: a shard needing more replicas than
 * there are nodes (or zones, when one per zone is required), bounds the wrong way round, or too
 * little capacity for every shard's minimum. Each is a typed problem with a suggestion, so the
 * scenario layer can turn it into exit 65 at the field that asked for it.
 */
import type { PlacementConstraints, PlacementNode, PlacementShard } from './placement-types.js';

export type PlacementProblemCode =
  | 'min-above-max'
  | 'min-above-nodes'
  | 'min-above-zones'
  | 'capacity-short';

export interface PlacementProblem {
  readonly code: PlacementProblemCode;
  /** The shard it concerns, when one does. */
  readonly shard?: string;
  readonly message: string;
  readonly suggestion: string;
}

/** Every reason the shards cannot all reach their minimum on these nodes; empty when they can. */
export function placementProblems(
  nodes: readonly PlacementNode[],
  shards: readonly PlacementShard[],
  constraints: PlacementConstraints,
): PlacementProblem[] {
  const live = nodes.filter((n) => n.draining !== true);
  const zones = new Set(live.map((n) => n.zone)).size;
  const out: PlacementProblem[] = [];
  for (const s of shards) {
    const problem = shardProblem(s, live.length, zones, constraints);
    if (problem !== undefined) out.push(problem);
  }
  const needed = shards.reduce((sum, s) => sum + s.minReplicas, 0);
  const capacity = live.reduce((sum, n) => sum + n.capacity, 0);
  if (needed > capacity)
    out.push({
      code: 'capacity-short',
      message: `the shards need ${needed} replicas at least, but the nodes hold ${capacity}`,
      suggestion: 'add nodes, raise their capacity, or lower minReplicas',
    });
  return out;
}

function shardProblem(
  s: PlacementShard,
  nodes: number,
  zones: number,
  constraints: PlacementConstraints,
): PlacementProblem | undefined {
  if (s.minReplicas > s.maxReplicas)
    return {
      code: 'min-above-max',
      shard: s.id,
      message: `${s.id}: minReplicas ${s.minReplicas} is above maxReplicas ${s.maxReplicas}`,
      suggestion: `set maxReplicas to ${s.minReplicas} or more`,
    };
  if (s.minReplicas > nodes)
    return {
      code: 'min-above-nodes',
      shard: s.id,
      message: `${s.id} needs ${s.minReplicas} replicas, but the cluster has ${nodes} live nodes`,
      suggestion: `add ${s.minReplicas - nodes} node(s) or lower minReplicas to ${nodes}`,
    };
  if (constraints.zoneSpread === 'required' && s.minReplicas > zones)
    return {
      code: 'min-above-zones',
      shard: s.id,
      message: `${s.id} needs ${s.minReplicas} replicas one per zone, but the topology has ${zones} zones`,
      suggestion: `add ${s.minReplicas - zones} zone(s), lower minReplicas to ${zones}, or make the zone spread preferred`,
    };
  return undefined;
}
