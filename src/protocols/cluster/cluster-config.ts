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
import { ShardRing } from './shard-ring.js';

type OptionsOf<D> = D extends ProtocolDefinition<infer O> ? O : never;
export type PbOptions = OptionsOf<typeof primaryBackup>;
export type RaftOptions = OptionsOf<typeof raft>;

export interface ClusterOptions {
  readonly managers: number;
  readonly shards: number;
  readonly replicasMin: number;
  readonly replicasMax: number;
  readonly vnodes: number;
  readonly heartbeatMs: number;
  readonly phiThreshold: number;
  readonly deadAfterMs: number;
  readonly migrationsMax: number;
  /** The placement checker's limits (checkers/placement.ts): the recovery and failover targets. */
  readonly underReplicatedMaxMs: number;
  readonly failoverMaxMs: number;
  readonly manager: RaftOptions;
  readonly shard: PbOptions;
}

export interface ClusterConfig {
  readonly options: ClusterOptions;
  readonly managers: readonly NodeId[];
  readonly storage: readonly NodeId[];
  /** Each node's zone and rack (one zone, `default`, without a topology). */
  readonly locality: ReadonlyMap<NodeId, Locality>;
  /** Keys to shards: a ring over the shards with `vnodes` tokens each. */
  readonly ring: ShardRing;
  readonly heartbeatUs: number;
  readonly liveness: LivenessOptions;
  /** A fresh manager Raft node (one per manager node and boot). */
  createManager(): AnyProtocol;
  /** A fresh primary/backup node for a shard's group of `replicas` in configuration `epoch`. */
  createShardGroup(replicas: readonly NodeId[], epoch: number): AnyProtocol;
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

export function createClusterConfig(
  options: ClusterOptions,
  nodes: readonly NodeId[],
  localities: readonly Locality[] | undefined,
): ClusterConfig {
  const managers = nodes.slice(0, options.managers);
  const locality = new Map<NodeId, Locality>();
  for (const [i, n] of nodes.entries()) locality.set(n, localities?.[i] ?? { zone: 'default' });
  return {
    options,
    managers,
    storage: nodes.slice(options.managers),
    locality,
    ring: new ShardRing(options.shards, options.vnodes),
    heartbeatUs: options.heartbeatMs * 1000,
    liveness: {
      phiThreshold: options.phiThreshold,
      heartbeatUs: options.heartbeatMs * 1000,
      deadAfterUs: options.deadAfterMs * 1000,
    },
    createManager: () => raft.create({ options: options.manager, bugs: NO_BUGS, nodes: managers }),
    createShardGroup: (replicas, epoch) =>
      primaryBackup.create({
        options: { ...options.shard, epochFloor: shardEpochFloor(epoch) },
        bugs: NO_BUGS,
        nodes: replicas,
      }),
  };
}

export const shardName = (s: number): string => `s${s}`;

/** The shard a key belongs to (shard-ring.ts). */
export const shardOf = (cfg: ClusterConfig, key: string): number => cfg.ring.shardOf(key);
