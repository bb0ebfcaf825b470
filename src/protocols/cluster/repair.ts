/**
 * Re-replication (HDFS's NameNode on a dead DataNode; CockroachDB's replicate queue): for each
 * shard with a replica on a node the leader declared dead, a new configuration epoch whose
 * replica set is the live survivors plus the nodes the placement module's repair plan picks
 * (one per zone while zones allow; `choose-replica` explains each pick, and the explanation
 * goes into the trace). A shard short of replicas for another reason (an earlier repair found
 * no room) is topped up the same way. At most `migrationsMax` shards move at once: a shard
 * counts as moving from the change that starts its new epoch until every replica of that
 * epoch reports the group running; and a shard moves only while a live replica reports its
 * current epoch's group running, the source of the state transfer. New replicas go only to
 * `placeable` nodes: members, not a spare yet to join nor a node leaving.
 */
import type { AddDecision } from '../../components/placement/placement-types.js';
import { DEFAULT_CONSTRAINTS } from '../../components/placement/placement-types.js';
import { planRepair } from '../../components/placement/repair-plan.js';
import type { NodeId } from '../../core/ids.js';
import type { ClusterConfig } from './cluster-config.js';
import { shardName } from './cluster-config.js';
import { placementNodes } from './initial-placement.js';
import type { ShardChange, ShardMap } from './shard-map.js';
import { membersTarget, splitMembers, votersOf } from './standby.js';

export interface RepairProposal {
  readonly changes: readonly ShardChange[];
  readonly decisions: readonly AddDecision[];
  /** Shards that could not be helped, with why. */
  readonly stuck: readonly { readonly shard: string; readonly explanation: string }[];
}

type Config = NonNullable<ShardMap['shards'][number]>;

/** No repair: one shared, frozen answer (most ticks). */
const NOTHING: RepairProposal = Object.freeze({ changes: [], decisions: [], stuck: [] });

export function proposeRepair(
  cfg: ClusterConfig,
  map: ShardMap,
  isLive: (n: NodeId) => boolean,
  moving: ReadonlyMap<number, unknown>,
  runs: (n: NodeId, shard: number, epoch: number) => boolean,
  placeable: (n: NodeId) => boolean = () => true,
): RepairProposal {
  const room = cfg.options.migrationsMax - moving.size;
  if (room <= 0) return NOTHING;
  const target = membersTarget(cfg);
  // Only a shard whose current epoch runs on a live replica can move: that replica's files
  // are the source of the transfer. Without one (every replica declared dead, or the last
  // move unfinished) the shard waits, rather than start a group with nothing to copy.
  // Under active-backup only a voter will do: a standby's files may lag.
  const needs = (c: Config) =>
    (!c.replicas.every(isLive) || c.replicas.length < target) &&
    !moving.has(c.shard) &&
    votersOf(c).some((n) => isLive(n) && runs(n, c.shard, c.epoch));
  const needy = new Set<number>();
  for (const c of map.shards) if (c !== undefined && needs(c)) needy.add(c.shard);
  if (needy.size === 0) return NOTHING;
  // Every shard is given, so the plan counts how full each node is; only the needy are below
  // their minimum.
  const shards = map.shards
    .filter((c): c is Config => c !== undefined)
    .map((c) => ({
      id: shardName(c.shard),
      replicas: c.replicas,
      minReplicas: needy.has(c.shard) ? target : 0,
      maxReplicas: target,
    }));
  const live = cfg.storage.filter((n) => isLive(n) && placeable(n));
  const plan = planRepair(placementNodes(cfg, live), shards, DEFAULT_CONSTRAINTS, room);
  const added = new Map<number, NodeId[]>();
  for (const d of plan.adds) {
    const s = Number(d.shard.slice(1));
    added.set(s, [...(added.get(s) ?? []), d.node]);
  }
  const changes: ShardChange[] = [];
  for (const [s, nodes] of [...added].sort(([a], [b]) => a - b)) {
    const c = map.shards[s];
    if (c === undefined) continue;
    const live = votersOf(c).filter(isLive);
    const members = splitMembers(cfg, live, (c.standby ?? []).filter(isLive), nodes);
    changes.push({ shard: s, epoch: c.epoch + 1, supersedes: c.epoch, ...members });
  }
  return { changes, decisions: plan.adds, stuck: plan.stuck };
}
