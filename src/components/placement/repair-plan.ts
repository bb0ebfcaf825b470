/**
 * Re-replication: every shard with fewer replicas on live nodes than its minimum gets replicas
 * added (choose-replica.ts) until it has its minimum or no node has room, most endangered first
 * (fewest live replicas, then id), at most `addsMax` additions per plan so a manager can bound
 * how many copies run at once. Replicas on nodes not in `nodes` count as lost. A shard that
 * cannot be helped says why, so the trace shows it stayed under-replicated on purpose.
 */
import { chooseReplica, replicaCounts } from './choose-replica.js';
import type {
  AddDecision,
  PlacementConstraints,
  PlacementNode,
  PlacementShard,
} from './placement-types.js';

export interface RepairPlan {
  readonly adds: readonly AddDecision[];
  /** Shards still under their minimum after the plan, each with the reason. */
  readonly stuck: readonly { readonly shard: string; readonly explanation: string }[];
}

export function planRepair(
  nodes: readonly PlacementNode[],
  shards: readonly PlacementShard[],
  constraints: PlacementConstraints,
  addsMax: number,
): RepairPlan {
  const live = new Set(nodes.map((n) => n.id));
  const current = shards.map((s) => ({ ...s, replicas: s.replicas.filter((r) => live.has(r)) }));
  const counts = replicaCounts(current);
  const endangered = current
    .filter((s) => s.replicas.length < s.minReplicas)
    .sort((a, b) => a.replicas.length - b.replicas.length || (a.id < b.id ? -1 : 1));
  const adds: AddDecision[] = [];
  const stuck: { shard: string; explanation: string }[] = [];
  for (const shard of endangered) {
    let s: PlacementShard = shard;
    while (s.replicas.length < s.minReplicas && adds.length < addsMax) {
      const r = chooseReplica(s, nodes, counts, constraints);
      if (!r.placed) {
        stuck.push({ shard: s.id, explanation: r.explanation });
        break;
      }
      adds.push({ shard: r.shard, node: r.node, explanation: r.explanation });
      counts.set(r.node, (counts.get(r.node) ?? 0) + 1);
      s = { ...s, replicas: [...s.replicas, r.node] };
    }
  }
  return { adds, stuck };
}
