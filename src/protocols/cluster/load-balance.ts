/**
 * Load-aware rebalancing (`balance: load`), the leader's last step after repairs, drops, zone
 * diversity, drains and the count balance (rebalance.ts) found nothing to do. Storage nodes
 * report, in each heartbeat, the requests per second each shard's primary served there over
 * the last second (load-meter.ts); the leader keeps each node's latest report and, through the
 * placement module's `planLoadMove`, moves one busy shard from a node serving more than the
 * fair load (outside the band `rebalanceBandPct`) to one serving less, as a count move is made:
 * the destination added in a new epoch, the source dropped once it runs.
 *
 * Hysteresis in time too: a move is planned only when nothing has moved for a whole
 * measurement window, so every report the plan reads was measured on the map as it now stands
 * (a shard's new primary has served it for a full window, and its old one no longer holds it).
 * One move at a time, for the same reason: the next is planned on fresh measurements.
 *
 * A shard's server is the replica reporting the most load for it (its primary; an old primary
 * may still report some for a window after a failover); a node's load is what it reports for
 * the shards the map places on it.
 */
import type { ShardLoad } from '../../components/placement/load-plan.js';
import { planLoadMove } from '../../components/placement/load-plan.js';
import type { NodeId } from '../../core/ids.js';
import { type ClusterConfig, shardName } from './cluster-config.js';
import { placementNodes } from './initial-placement.js';
import { LOAD_WINDOW_MS } from './load-meter.js';
import type { RebalanceProposal, RebalanceView } from './rebalance.js';
import type { ShardChange, ShardMap } from './shard-map.js';

/** A load move proposed (its sentence is a `cluster.rebalance` mark beside it). */
export const LOAD_MOVE = 'cluster.load-move';

/** The leader's view of load, only under `balance: load`. */
export interface LoadView {
  /** Each storage node's latest report: requests per second by shard. */
  readonly reports: Map<NodeId, ReadonlyMap<number, number>>;
  /** The last time a shard was seen moving (or the leadership began). */
  changedUs: number;
}

export const createLoadView = (cfg: ClusterConfig, now: number): LoadView | undefined =>
  cfg.options.balance === 'load' ? { reports: new Map(), changedUs: now } : undefined;

/** A heartbeat's report. */
export function noteLoad(
  v: LoadView,
  from: NodeId,
  report: readonly (readonly [number, number])[],
): void {
  v.reports.set(from, new Map(report));
}

type Config = NonNullable<ShardMap['shards'][number]>;

const NOTHING: RebalanceProposal = { changes: [], explanations: [], drops: new Map() };

export function proposeLoadMove(
  cfg: ClusterConfig,
  lv: LoadView,
  v: RebalanceView,
  now: number,
): RebalanceProposal {
  if (v.moving.size > 0) lv.changedUs = now;
  if (v.moving.size > 0 || now - lv.changedUs < LOAD_WINDOW_MS * 1000) return NOTHING;
  const configs = v.map.shards.filter((c): c is Config => c !== undefined);
  const loads = shardLoads(lv, configs);
  const live = v.members.filter(v.isLive);
  const nodeLoad = (n: NodeId) =>
    configs.reduce((sum, c) => sum + (c.replicas.includes(n) ? reported(lv, n, c.shard) : 0), 0);
  const nodes = placementNodes(cfg, live).map((n) => ({ ...n, load: nodeLoad(n.id) }));
  const held = new Set(configs.filter((c) => !movable(cfg, v, c)).map((c) => shardName(c.shard)));
  const shards = configs.map((c) => ({
    id: shardName(c.shard),
    replicas: c.replicas,
    minReplicas: cfg.options.replicasMin,
    maxReplicas: cfg.options.replicasMax,
  }));
  const m = planLoadMove(nodes, shards, loads, { bandPct: cfg.options.rebalanceBandPct, held });
  if (m === undefined) return NOTHING;
  const c = v.map.shards[Number(m.shard.slice(1))] as Config;
  lv.changedUs = now;
  return {
    changes: [change(c, [...c.replicas, m.to])],
    explanations: [m.explanation],
    drops: new Map([[c.shard, m.from]]),
  };
}

const reported = (lv: LoadView, n: NodeId, shard: number): number =>
  lv.reports.get(n)?.get(shard) ?? 0;

/** Each shard's server (its replica reporting the most) and the load it reports. */
function shardLoads(lv: LoadView, configs: readonly Config[]): Map<string, ShardLoad> {
  const out = new Map<string, ShardLoad>();
  for (const c of configs) {
    let best: ShardLoad | undefined;
    for (const n of [...c.replicas].sort()) {
      const load = reported(lv, n, c.shard);
      if (load > 0 && (best === undefined || load > best.load)) best = { server: n, load };
    }
    if (best !== undefined) out.set(shardName(c.shard), best);
  }
  return out;
}

/** A shard that may move: at its size, every replica live, a member and running it. */
const movable = (cfg: ClusterConfig, v: RebalanceView, c: Config): boolean =>
  c.replicas.length === cfg.options.replicasMax &&
  c.replicas.every((n) => v.isLive(n) && v.members.includes(n) && v.runs(n, c.shard, c.epoch));

const change = (c: Config, replicas: readonly NodeId[]): ShardChange => ({
  shard: c.shard,
  epoch: c.epoch + 1,
  supersedes: c.epoch,
  replicas: [...replicas].sort(),
});
