/**
 * The first placement of every shard, computed by the manager that finds the shard map empty:
 * each shard gets `replicasMax` replicas on storage nodes (and a standby under active-backup), one per zone while zones allow, then
 * by rack and by how many replicas a node already holds (the placement module's
 * choose-replica, through its repair plan: an empty shard is the most under-replicated there
 * is). Each decision comes with the sentence the trace prints. Under `sharding: range` each
 * shard also gets its range, the key space cut at `rangeBounds`.
 */
import type { AddDecision, PlacementNode } from '../../components/placement/placement-types.js';
import { planRepair } from '../../components/placement/repair-plan.js';
import { DEFAULT_CONSTRAINTS } from '../../components/placement/placement-types.js';
import { capacityOf } from './capacity.js';
import type { ClusterConfig } from './cluster-config.js';
import { shardName } from './cluster-config.js';
import { rangesFromBounds } from './key-range.js';
import type { ShardChange } from './shard-map.js';
import { membersTarget, splitMembers } from './standby.js';

export interface InitialPlacement {
  readonly changes: readonly ShardChange[];
  readonly decisions: readonly AddDecision[];
}

/** The storage nodes as the placement module sees them: their capacity (capacity.ts), no load. */
export function placementNodes(cfg: ClusterConfig, live: readonly string[]): PlacementNode[] {
  return live.map((id) => {
    const l = cfg.locality.get(id);
    return {
      id,
      zone: l?.zone ?? 'default',
      ...(l?.rack !== undefined ? { rack: l.rack } : {}),
      capacity: capacityOf(cfg.options, id),
      load: 0,
    };
  });
}

export function initialPlacement(cfg: ClusterConfig): InitialPlacement {
  const { shards } = cfg.options;
  const replicasMax = membersTarget(cfg);
  const empty = Array.from({ length: shards }, (_, s) => ({
    id: shardName(s),
    replicas: [],
    minReplicas: replicasMax,
    maxReplicas: replicasMax,
  }));
  const plan = planRepair(
    placementNodes(cfg, cfg.initialStorage),
    empty,
    DEFAULT_CONSTRAINTS,
    shards * replicasMax,
  );
  const replicas = Array.from({ length: shards }, () => [] as string[]);
  for (const d of plan.adds) (replicas[Number(d.shard.slice(1))] as string[]).push(d.node);
  // Under active-backup the last pick (the least diverse) is the standby (standby.ts).
  const ranges =
    cfg.options.sharding === 'range' ? rangesFromBounds(cfg.options.rangeBounds ?? []) : [];
  const changes = replicas.map((r, shard) => {
    const range = ranges[shard];
    return {
      shard,
      epoch: 1,
      supersedes: 0,
      ...splitMembers(cfg, [], [], r),
      ...(range === undefined ? {} : { range }),
    };
  });
  return { changes, decisions: plan.adds };
}
