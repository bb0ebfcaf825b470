/**
 * The vocabulary of replica placement, as a placement driver sees the cluster (CockroachDB's
 * allocator, TiKV's PD, HDFS's block placement): live nodes with their locality, capacity and
 * load, and shards (ranges, regions, blocks) with their replica sets and replica-count bounds.
 * Plain data, no behaviour: each decision lives in its own file beside this one.
 */
import type { NodeId } from '../../core/ids.js';

/** A live node a replica may be placed on. */
export interface PlacementNode {
  readonly id: NodeId;
  /** Its zone; nodes of a scenario without a topology all sit in one zone. */
  readonly zone: string;
  readonly rack?: string;
  /** How many replicas it may hold. */
  readonly capacity: number;
  /** What it serves besides its replica count (requests/s, bytes…), comparable across nodes. */
  readonly load: number;
  /** Being decommissioned: it takes no new replica and every replica it holds moves off. */
  readonly draining?: boolean;
}

export interface PlacementShard {
  readonly id: string;
  /** The nodes holding a replica, in no particular order. */
  readonly replicas: readonly NodeId[];
  readonly minReplicas: number;
  readonly maxReplicas: number;
}

/** How hard the one-replica-per-domain rule is. */
export type SpreadRule = 'preferred' | 'required';

export interface PlacementConstraints {
  /**
   * `preferred` (the default): a second replica in a zone only when no other zone has room;
   * `required`: never, so a shard with fewer zones than replicas stays under-replicated.
   */
  readonly zoneSpread: SpreadRule;
}

export const DEFAULT_CONSTRAINTS: PlacementConstraints = { zoneSpread: 'preferred' };

/** One replica added, with the reason the trace prints. */
export interface AddDecision {
  readonly shard: string;
  readonly node: NodeId;
  readonly explanation: string;
}

/** One replica moved (added on `to`, then removed from `from`), with its reason. */
export interface Move {
  readonly shard: string;
  readonly from: NodeId;
  readonly to: NodeId;
  readonly explanation: string;
}
