/**
 * The cluster protocol's options, and what is derived from them once per run: which nodes are
 * managers and which store shards, where each node sits (zone, rack), the key-to-shard ring,
 * and the embedded protocols (Raft for the managers, primary/backup for each shard) built from
 * their own definitions, so their options are validated by their own schemas.
 */
import { assert } from '../../core/assert.js';
import type { NodeId } from '../../core/ids.js';
import type { Locality, ProtocolDefinition } from '../../core/protocol-definition.js';
import type { AnyProtocol } from '../../core/protocol.js';
import { primaryBackup } from '../primary-backup/index.js';
import { raft } from '../raft/index.js';
import type { LivenessOptions } from './liveness.js';
import type { CLUSTER_NAMED_BUGS } from './named-bugs.js';
import { ShardRing } from './shard-ring.js';

/** How a shard's new member gets its state (recovery-strategy.ts). */
export const RECOVERY_STRATEGIES = [
  'state-transfer',
  'checkpoint-restore',
  'active-backup',
] as const;
type RecoveryStrategy = (typeof RECOVERY_STRATEGIES)[number];

type OptionsOf<D> = D extends ProtocolDefinition<infer O> ? O : never;
export type PbOptions = OptionsOf<typeof primaryBackup>;
export type RaftOptions = OptionsOf<typeof raft>;

/** How keys map to shards: a hash ring, or ranges that split as they grow (range-split.ts). */
export const SHARDINGS = ['hash', 'range'] as const;

export interface ClusterOptions {
  readonly managers: number;
  /** Under `sharding: range`, the number of initial ranges. */
  readonly shards: number;
  readonly replicasMin: number;
  readonly replicasMax: number;
  readonly sharding: (typeof SHARDINGS)[number];
  /** Hash only: tokens per shard on the ring (VNODES_DEFAULT when absent). */
  readonly vnodes?: number;
  /** Range only: the size in bytes above which a range splits. */
  readonly rangeSplitBytes?: number;
  /** Range only: the keys where the initial ranges after the first start. */
  readonly rangeBounds?: readonly string[];
  /** Range only: most shards the splits may make. */
  readonly rangesMax?: number;
  readonly heartbeatMs: number;
  /** Idle shard groups stop heartbeating, woken by the storage nodes' own (peer-liveness.ts). */
  readonly quiesce: boolean;
  readonly phiThreshold: number;
  readonly deadAfterMs: number;
  readonly detector: 'phi' | 'fixed';
  readonly timeoutMs: number;
  readonly migrationsMax: number;
  /** How a new member gets a shard's state (recovery-strategy.ts). */
  readonly recovery: RecoveryStrategy;
  /** Applied entries between a group's checkpoints, under `checkpoint-restore`. */
  readonly checkpointEvery: number;
  readonly rebalanceBandPct: number;
  /** Bytes per second each node may send in state transfers (paced-transfer.ts); none: no limit. */
  readonly migrationBytesPerSec?: number | undefined;
  /** What the rebalancer evens out: replica counts, or also load (load-balance.ts). */
  readonly balance: 'count' | 'load';
  /** Replicas a storage node may hold, by node (capacity.ts); a node left out: unbounded. */
  readonly capacity?: Readonly<Record<string, number>> | undefined;
  /** The placement checker's limits (checkers/placement.ts): the recovery and failover targets. */
  readonly underReplicatedMaxMs: number;
  readonly failoverMaxMs: number;
  readonly manager: RaftOptions;
  readonly shard: PbOptions;
}

export interface ClusterConfig {
  readonly options: ClusterOptions;
  readonly managers: readonly NodeId[];
  /** Every node that may store shards: the non-managers, spares included. */
  readonly storage: readonly NodeId[];
  /** The storage nodes that are members when the run starts (spares join later, if ever). */
  readonly initialStorage: readonly NodeId[];
  /** Each node's zone and rack (one zone, `default`, without a topology). */
  readonly locality: ReadonlyMap<NodeId, Locality>;
  /** Keys to shards: a ring over the shards with `vnodes` tokens each. */
  readonly ring: ShardRing;
  readonly heartbeatUs: number;
  readonly liveness: LivenessOptions;
  /** The named bugs (named-bugs.ts) as booleans: each a mutation of one reconfiguration step. */
  readonly bugs: {
    /** Superseded groups keep running on a new map, their files copied as they run. */
    readonly oldGroupsRun: boolean;
    /** A survivor's old group serves on while its files are copied, stopped only after. */
    readonly copyDropsWrites: boolean;
    /** The rebalancer never moves a piled-up zone's replica back (no diversity step). */
    readonly zonePileUp: boolean;
    /** A promoted standby starts its voter's group from its own (lagging) files, uncaught-up. */
    readonly uncleanTransfer: boolean;
    /** A manager plans from a membership held in its memory, changed only while it leads. */
    readonly staleManagerView: boolean;
  };
  /** A fresh manager Raft node (one per manager node and boot). */
  createManager(): AnyProtocol;
  /**
   * The primary/backup protocol of a shard's group of `replicas` in configuration `epoch`,
   * `standby` among them: built once per configuration (its handlers are pure over the node's
   * state), each member's node started from it.
   */
  createShardGroup(
    replicas: readonly NodeId[],
    standby: readonly NodeId[],
    epoch: number,
  ): AnyProtocol;
}

/**
 * Primary/backup epochs each configuration of a shard may elect: configuration `e` elects
 * epochs above `(e - 1) * EPOCHS_PER_CONFIGURATION` (Vertical Paxos: a configuration's ballots
 * are its own and above its predecessor's). A group of a later configuration starts from copies
 * of an earlier one's files, whose logs hold that group's epochs; electing one of those again
 * gave two different entries one (epoch, index), and a member that brought an unacknowledged
 * entry in its copy kept it inside the new primary's log (cluster-chaos seed 9921). A group
 * would need a billion elections, at least a millisecond each, to run into the next one's.
 */
export const EPOCHS_PER_CONFIGURATION = 1_000_000_000;

/** The epoch above which configuration `epoch`'s group elects (0 for the first). */
export function shardEpochFloor(epoch: number): number {
  const floor = (epoch - 1) * EPOCHS_PER_CONFIGURATION;
  assert(
    Number.isSafeInteger(floor + EPOCHS_PER_CONFIGURATION),
    () => `configuration ${epoch}: its epochs overflow`,
  );
  return floor;
}

const NO_BUGS: ReadonlySet<string> = new Set();

const VNODES_DEFAULT = 64;
export const RANGE_SPLIT_BYTES_DEFAULT = 4096;
const RANGES_MAX_DEFAULT = 64;

/**
 * The most shards a run can have, a storage node's capacity in replicas as the placement sees
 * it: `shards` under hashing, `rangesMax` under ranges (splits add shards).
 */
export const shardsMax = (o: ClusterOptions): number =>
  o.sharding === 'range' ? (o.rangesMax ?? RANGES_MAX_DEFAULT) : o.shards;

type ClusterBug = (typeof CLUSTER_NAMED_BUGS)[number]['name'];

export function createClusterConfig(
  options: ClusterOptions,
  nodes: readonly NodeId[],
  localities: readonly Locality[] | undefined,
  bugs: ReadonlySet<string> = NO_BUGS,
  spares: readonly NodeId[] = [],
): ClusterConfig {
  const on = (name: ClusterBug) => bugs.has(name);
  const managers = nodes.slice(0, options.managers);
  const shard: PbOptions =
    options.recovery === 'checkpoint-restore'
      ? { ...options.shard, checkpointEvery: options.checkpointEvery }
      : options.shard;
  const storage = nodes.slice(options.managers);
  // One primary/backup protocol per group configuration, shared by its members and their
  // restarts: its handlers keep nothing of their own (the state is the node's). At most one per
  // configuration a run's map ever holds.
  const groups = new Map<string, AnyProtocol>();
  const locality = new Map<NodeId, Locality>();
  for (const [i, n] of nodes.entries()) locality.set(n, localities?.[i] ?? { zone: 'default' });
  return {
    options,
    managers,
    storage,
    initialStorage: storage.filter((n) => !spares.includes(n)),
    locality,
    ring: ShardRing.of(options.shards, options.vnodes ?? VNODES_DEFAULT),
    heartbeatUs: options.heartbeatMs * 1000,
    liveness: {
      detector: options.detector,
      phiThreshold: options.phiThreshold,
      heartbeatUs: options.heartbeatMs * 1000,
      deadAfterUs: options.deadAfterMs * 1000,
      timeoutUs: options.timeoutMs * 1000,
    },
    bugs: {
      oldGroupsRun: on('cluster.fixed-timeout-two-primaries'),
      copyDropsWrites: on('cluster.copy-drops-writes'),
      zonePileUp: on('cluster.zone-pile-up'),
      uncleanTransfer: on('cluster.unclean-transfer'),
      staleManagerView: on('cluster.stale-manager-view'),
    },
    createManager: () => raft.create({ options: options.manager, bugs: NO_BUGS, nodes: managers }),
    createShardGroup: (replicas, standby, epoch) => {
      const key = `${epoch} ${replicas.join(',')} ${standby.join(',')}`;
      let group = groups.get(key);
      if (group === undefined) {
        group = primaryBackup.create({
          options: {
            ...shard,
            ...(standby.length === 0 ? {} : { standbys: standby }),
            ...(options.quiesce ? { quiesce: true } : {}),
            epochFloor: shardEpochFloor(epoch),
          },
          bugs: NO_BUGS,
          nodes: replicas,
        });
        groups.set(key, group);
      }
      return group;
    },
  };
}

export const shardName = (s: number): string => `s${s}`;

/**
 * The storage nodes that are members now, as the operator's membership says (`ctx.peers`, which
 * a join or a leave changes at once on every node): a node that left or is leaving is not one.
 */
export const storageMembers = (cfg: ClusterConfig, peers: readonly NodeId[]): NodeId[] =>
  cfg.storage.filter((n) => peers.includes(n));

/** The shard a key belongs to (shard-ring.ts). */
export const shardOf = (cfg: ClusterConfig, key: string): number => cfg.ring.shardOf(key);
