/**
 * Per-node capacity (`capacity`, node id to replicas), the fullness part of CockroachDB's
 * allocator and of HDFS's block placement: a node holds at most its capacity in replicas. The
 * placement module already honours it everywhere a replica is added (`chooseReplica` skips a
 * full node, `planRebalance` moves nothing onto one and weighs each node's fair share by its
 * capacity) and sheds from a node above it; this file says what each node's capacity is, and
 * refuses, before the run, capacities that cannot hold `replicasMin` replicas of every shard.
 *
 * Counted in replicas, not bytes: a shard's size on disk is its group's files, which the
 * simulator does not bound, so a byte capacity would be a guess. A node left out of the map may
 * hold one replica of every shard, as every node does without the option.
 */
import type { NodeId } from '../../core/ids.js';
import { type ClusterOptions, shardsMax } from './cluster-config.js';

/** How many replicas `node` may hold. */
export const capacityOf = (options: ClusterOptions, node: NodeId): number =>
  Math.min(options.capacity?.[node] ?? shardsMax(options), shardsMax(options));

/**
 * Why the capacities do not fit the cluster of `nodes` members (n1..nN) and `spares` (after
 * them), or undefined: a capacity given to a manager or to no node at all, or too little room
 * on the members for `replicasMin` replicas of every shard (a node holds one of a shard at
 * most).
 */
export function capacityMisfit(
  options: ClusterOptions,
  nodes: number,
  spares: number,
): string | undefined {
  const given = options.capacity;
  if (given === undefined) return undefined;
  const ids = Object.keys(given).sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
  for (const id of ids) {
    const i = Number(id.slice(1));
    if (i >= 1 && i <= options.managers)
      return `${id} is a manager and holds no replica: give capacities to storage nodes n${options.managers + 1} to n${nodes}`;
    if (i < 1 || i > nodes + spares)
      return `${id} is not a node of this cluster of ${nodes + spares}: give capacities to storage nodes n${options.managers + 1} to n${nodes + spares}`;
  }
  let room = 0;
  for (let i = options.managers + 1; i <= nodes; i++) room += capacityOf(options, `n${i}`);
  const needed = options.shards * options.replicasMin;
  if (room >= needed) return undefined;
  return `the storage nodes hold ${room} replicas at most, and ${options.shards} shards need ${needed} (replicasMin ${options.replicasMin} each): raise the capacities by ${needed - room} in all, add storage nodes, or lower replicasMin or shards`;
}
