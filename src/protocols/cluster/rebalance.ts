/**
 * The leader's rebalance pass (CockroachDB's replicate queue, TiKV's balance schedulers), run
 * when no shard needs repair. It proposes, in this order, bounded by `migrationsMax` shards in
 * flight with the repairs:
 *
 * 1. **Drops.** A shard holding more than `replicasMax` replicas, whose last change runs on
 *    every live replica, loses one: the node its move planned to leave (below), else a dead
 *    replica, a leaving node's, or the fuller of the replicas in its most crowded zone.
 * 2. **Diversity.** A shard with two replicas in one zone while a zone with room holds none of
 *    its replicas (a zone outage's repairs, once the zone returns) moves the fuller of the two
 *    into that zone, where `chooseReplica` picks.
 * 3. **Balance and drain**, by the placement module's `planRebalance`: moves off leaving nodes
 *    (every replica, band or not), then from nodes above their fair share to nodes below it,
 *    outside the hysteresis band `rebalanceBandPct` only, so small skews move nothing.
 *
 * A move is two configuration changes, as a repair is one: the new epoch adds the destination
 * (its replica copies the shard's files, transfer.ts), and once that epoch runs on every live
 * replica, a drop epoch removes the source. The shard never has fewer replicas than before.
 * Only a shard whose current epoch runs on a live replica moves (the transfer's source), and
 * none with a dead replica (repair's).
 *
 * Not under `recovery: active-backup` yet: its shards hold a standby beside `replicasMax`
 * voters, and a move would have to say which member of the new epoch stands by. The pass then
 * proposes nothing, and joins and leaves are refused as scenario errors (membership.ts).
 */
import { chooseReplica, replicaCounts } from '../../components/placement/choose-replica.js';
import {
  DEFAULT_CONSTRAINTS,
  type Move,
  type PlacementNode,
  type PlacementShard,
} from '../../components/placement/placement-types.js';
import { planRebalance } from '../../components/placement/rebalance-plan.js';
import type { NodeId } from '../../core/ids.js';
import { type ClusterConfig, shardName } from './cluster-config.js';
import { placementNodes } from './initial-placement.js';
import type { ShardChange, ShardMap } from './shard-map.js';

/** What the leader knows when it plans. */
export interface RebalanceView {
  readonly map: ShardMap;
  /** The storage nodes that are members: every other storage node is leaving or gone. */
  readonly members: readonly NodeId[];
  readonly isLive: (n: NodeId) => boolean;
  /** Shards whose last change is not yet running on every live replica. */
  readonly moving: ReadonlyMap<number, unknown>;
  /** The replica each move leaves, dropped once the replica it added runs. */
  readonly drops: ReadonlyMap<number, NodeId>;
  /** Whether `n` reports running the group of `shard` at `epoch`. */
  readonly runs: (n: NodeId, shard: number, epoch: number) => boolean;
}

export interface RebalanceProposal {
  readonly changes: readonly ShardChange[];
  /** The trace's sentences: `drop …`, `move …`, each prefixed by its shard. */
  readonly explanations: readonly string[];
  /** For each move proposed, the replica its drop will take away. */
  readonly drops: ReadonlyMap<number, NodeId>;
}

type Config = NonNullable<ShardMap['shards'][number]>;

export function proposeRebalance(cfg: ClusterConfig, v: RebalanceView): RebalanceProposal {
  if (cfg.options.recovery === 'active-backup')
    return { changes: [], explanations: [], drops: new Map() };
  const configs = v.map.shards.filter((c): c is Config => c !== undefined);
  let counted: Map<NodeId, number> | undefined; // counted when a step needs it
  const counts = () => (counted ??= replicaCounts(configs));
  const source = (c: Config) => c.replicas.some((n) => v.isLive(n) && v.runs(n, c.shard, c.epoch));
  const changes: ShardChange[] = [];
  const explanations: string[] = [];
  for (const c of configs) {
    if (c.replicas.length <= cfg.options.replicasMax || v.moving.has(c.shard) || !source(c))
      continue;
    const d = chooseDrop(cfg, v, c, counts());
    if (d === undefined) continue;
    changes.push(
      change(
        c,
        c.replicas.filter((n) => n !== d.node),
      ),
    );
    explanations.push(d.explanation);
  }
  const drops = new Map<number, NodeId>();
  const room = cfg.options.migrationsMax - v.moving.size - changes.length;
  // With no room the steps below plan no move (most ticks while a repair runs): not walked.
  if (room <= 0) return { changes, explanations, drops };
  for (const m of proposeMoves(cfg, v, { configs, counts: counts(), source, changes, room })) {
    const c = v.map.shards[Number(m.shard.slice(1))] as Config;
    changes.push(change(c, [...c.replicas, m.to]));
    explanations.push(m.explanation);
    drops.set(c.shard, m.from);
  }
  return { changes, explanations, drops };
}

/** What the drops step leaves the moves: the shards, their counts, the drops, the room. */
interface AfterDrops {
  readonly configs: readonly Config[];
  readonly counts: ReadonlyMap<NodeId, number>;
  readonly source: (c: Config) => boolean;
  readonly changes: readonly ShardChange[];
  readonly room: number;
}

/** The diversity moves, then the balance plan's, within `room` shards moving. */
function proposeMoves(cfg: ClusterConfig, v: RebalanceView, a: AfterDrops): Move[] {
  const { configs, source } = a;
  const busy = new Set(v.moving.keys());
  for (const c of a.changes) busy.add(c.shard);
  let room = a.room;
  // Shards that may move: not busy yet, at replicasMax, every replica live, with a source.
  const full = (c: Config) => c.replicas.length === cfg.options.replicasMax;
  const ready = new Set<number>();
  for (const c of configs)
    if (!busy.has(c.shard) && full(c) && c.replicas.every(v.isLive) && source(c))
      ready.add(c.shard);
  const still = (c: Config) => ready.has(c.shard) && !busy.has(c.shard);
  const nodes = planningNodes(cfg, v, configs);
  const counts = new Map(a.counts); // follows the diversity moves planned
  const moves: Move[] = [];
  for (const c of configs) {
    if (room <= 0) break;
    if (!still(c) || !c.replicas.every((n) => v.members.includes(n))) continue;
    if (cfg.bugs.zonePileUp) break; // named bug: the diversity step never runs
    const m = diversityMove(cfg, c, nodes, counts);
    if (m === undefined) continue;
    moves.push(m);
    busy.add(c.shard);
    room--;
  }
  const inFlight = configs.filter((c) => !still(c) || busy.has(c.shard)).map(held);
  const balance = planRebalance(
    nodes,
    configs.map((c) => asShard(cfg, c)),
    DEFAULT_CONSTRAINTS,
    {
      bandPct: cfg.options.rebalanceBandPct,
      movesInFlightMax: inFlight.length + Math.max(0, room),
      inFlight,
      counts: a.counts,
    },
  );
  return [...moves, ...balance];
}

const change = (c: Config, replicas: readonly NodeId[]): ShardChange => ({
  shard: c.shard,
  epoch: c.epoch + 1,
  supersedes: c.epoch,
  replicas: [...replicas].sort(),
});

const asShard = (cfg: ClusterConfig, c: Config): PlacementShard => ({
  id: shardName(c.shard),
  replicas: c.replicas,
  minReplicas: cfg.options.replicasMin,
  maxReplicas: cfg.options.replicasMax,
});

/** A shard that may not move now, as `planRebalance` takes one: in flight. */
const held = (c: Config): Move => ({
  shard: shardName(c.shard),
  from: '',
  to: '',
  explanation: 'in flight, or waiting for a repair or a source',
});

/** Live members to place on, and live non-members holding replicas, draining. */
function planningNodes(
  cfg: ClusterConfig,
  v: RebalanceView,
  configs: readonly Config[],
): PlacementNode[] {
  const holds = (n: NodeId) => configs.some((c) => c.replicas.includes(n));
  const leaving = cfg.storage.filter((n) => !v.members.includes(n) && v.isLive(n) && holds(n));
  return [
    ...placementNodes(cfg, v.members.filter(v.isLive)),
    ...placementNodes(cfg, leaving).map((n) => ({ ...n, draining: true })),
  ];
}

/** The fuller replica of a crowded zone, into a zone with room that holds none of the shard. */
function diversityMove(
  cfg: ClusterConfig,
  c: Config,
  nodes: readonly PlacementNode[],
  counts: Map<NodeId, number>,
): Move | undefined {
  const zoneOf = (n: NodeId) => cfg.locality.get(n)?.zone ?? 'default';
  if (new Set(c.replicas.map(zoneOf)).size === c.replicas.length) return undefined; // none share
  const inZone = (z: string) => c.replicas.filter((n) => zoneOf(n) === z).length;
  const crowded = c.replicas.filter((n) => inZone(zoneOf(n)) > 1).sort(byFill(counts));
  const from = crowded[0];
  if (from === undefined) return undefined;
  const rest = { ...asShard(cfg, c), replicas: c.replicas.filter((n) => n !== from) };
  const r = chooseReplica(rest, nodes, counts, DEFAULT_CONSTRAINTS);
  if (!r.placed || inZone(zoneOf(r.node)) > 0) return undefined;
  counts.set(from, (counts.get(from) ?? 0) - 1);
  counts.set(r.node, (counts.get(r.node) ?? 0) + 1);
  const z = zoneOf(from);
  const why = `zone ${z} holds ${inZone(z)} of its replicas and ${zoneOf(r.node)} none`;
  const pick = r.explanation.replace(`${rest.id}: `, '');
  return {
    shard: rest.id,
    from,
    to: r.node,
    explanation: `${rest.id}: move ${from} -> ${r.node}: ${why}; ${pick}`,
  };
}

/** Fuller first, then by id: which of several equal candidates goes. */
const byFill = (counts: ReadonlyMap<NodeId, number>) => (a: NodeId, b: NodeId) =>
  (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || (a < b ? -1 : 1);

/**
 * Which replica a shard above `replicasMax` loses, and why; none while a replica other than
 * the one dropped is dead or not yet running the current epoch. A drop never takes away the
 * last source of the shard's state: a move whose added replica was declared dead before it ran
 * keeps its source, and the repair replaces the dead one instead.
 */
function chooseDrop(
  cfg: ClusterConfig,
  v: RebalanceView,
  c: Config,
  counts: ReadonlyMap<NodeId, number>,
): { readonly node: NodeId; readonly explanation: string } | undefined {
  const id = shardName(c.shard);
  const keep = (n: NodeId) => `${id}: drop ${n} of ${c.replicas.length} replicas`;
  const rest = (n: NodeId) =>
    c.replicas.every((r) => r === n || (v.isLive(r) && v.runs(r, c.shard, c.epoch)));
  const planned = v.drops.get(c.shard);
  if (planned !== undefined && c.replicas.includes(planned))
    return rest(planned)
      ? { node: planned, explanation: `${keep(planned)}: the replica its move added runs` }
      : undefined;
  const dead = c.replicas.find((n) => !v.isLive(n) && rest(n));
  if (dead !== undefined) return { node: dead, explanation: `${keep(dead)}: it is dead` };
  const gone = c.replicas.find((n) => !v.members.includes(n) && rest(n));
  if (gone !== undefined) return { node: gone, explanation: `${keep(gone)}: it is leaving` };
  const zoneOf = (n: NodeId) => cfg.locality.get(n)?.zone ?? 'default';
  const inZone = (n: NodeId) => c.replicas.filter((r) => zoneOf(r) === zoneOf(n)).length;
  const node = c.replicas
    .filter(rest)
    .sort((a, b) => inZone(b) - inZone(a) || byFill(counts)(a, b))[0];
  if (node === undefined) return undefined;
  return {
    node,
    explanation: `${keep(node)}: zone ${zoneOf(node)} holds ${inZone(node)} of them, and ${node} is the fuller`,
  };
}
