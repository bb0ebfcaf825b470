/**
 * The cluster protocol's definition: a placement driver on Raft over storage nodes holding many
 * shards, each a primary/backup group (README.md). Options, roles, and how to build it.
 */
import { z } from 'zod';
import { joinCollectors } from '../../core/metrics.js';
import type { ProtocolDefinition } from '../../core/protocol-definition.js';
import { intSchema } from '../../options/units.js';
import { checkpointMisfit, primaryBackup } from '../primary-backup/index.js';
import { raft } from '../raft/index.js';
import { capacityMisfit } from './capacity.js';
import { createCluster } from './cluster.js';
import { checkClusterMembership } from './membership.js';
import { ClusterMetrics } from './cluster-metrics.js';
import {
  type ClusterOptions,
  type PbOptions,
  RECOVERY_STRATEGIES,
  type RaftOptions,
  SHARDINGS,
} from './cluster-config.js';
import { shardingMisfit } from './sharding-options.js';
import { DetectorMetrics } from './detector-metrics.js';
import { CLUSTER_COVERAGE, CLUSTER_NAMED_BUGS } from './named-bugs.js';
import { RangeMetrics } from './range-metrics.js';
import { RecoveryMetrics } from './recovery-metrics.js';
import { TransferMetrics } from './transfer-metrics.js';

const optionsSchema = z.strictObject({
  managers: intSchema(1, 9)
    .default(3)
    .describe(
      'how many of the first nodes are managers (the placement driver on Raft), 1 to 9; the rest store shards',
    ),
  shards: intSchema(1, 4096)
    .default(16)
    .describe(
      'how many shards the keys are hashed into, 1 to 4096; under sharding: range, how many ranges there are at first',
    ),
  replicasMin: intSchema(1, 9)
    .default(2)
    .describe('a shard with fewer live replicas is under-replicated, 1 to 9'),
  replicasMax: intSchema(1, 9)
    .default(3)
    .describe('replicas each shard is placed with, 1 to 9 (at least replicasMin)'),
  sharding: z
    .enum(SHARDINGS)
    .default('hash')
    .describe(
      'how keys map to shards: hash, consistent hashing with vnodes tokens per shard; range, ordered key ranges that split when they grow past rangeSplitBytes (default hash)',
    ),
  vnodes: intSchema(1, 1024)
    .optional()
    .describe(
      'sharding: hash: tokens per shard on the key ring (virtual nodes), 1 to 1024 (default 64)',
    ),
  rangeSplitBytes: intSchema(1, 1_000_000_000)
    .optional()
    .describe(
      'sharding: range: a range whose primary holds more than this many bytes of its keys and values splits at its median key, 1 to 1000000000 (default 4096)',
    ),
  rangeBounds: z
    .array(z.string().min(1))
    .optional()
    .describe(
      'sharding: range: the keys at which the initial ranges after the first start, shards - 1 of them, in key order (shorter keys first: k2 before k10) (default none)',
    ),
  rangesMax: intSchema(1, 4096)
    .optional()
    .describe('sharding: range: most shards splits may make, 1 to 4096 (default 64)'),
  heartbeatMs: intSchema(1, 10_000)
    .default(50)
    .describe(
      'how often storage nodes ask the manager leader for the shard map (their heartbeat) and managers read it from Raft, in whole ms, 1 to 10000',
    ),
  quiesce: z
    .boolean()
    .default(true)
    .describe(
      "idle shard groups stop heartbeating (CockroachDB's quiesced ranges): a group goes quiet once every replica holds the whole log committed, and the storage nodes heartbeat one another once per pair to wake a group whose primary's node fails or returns (default true; false heartbeats every group all the time)",
    ),
  phiThreshold: z
    .number()
    .min(0.5)
    .max(32)
    .default(8)
    .describe(
      'the suspicion level (phi accrual) at which the manager leader suspects a storage node, 0.5 to 32',
    ),
  deadAfterMs: intSchema(0, 600_000)
    .default(500)
    .describe(
      'how long a storage node must stay suspected before it is declared dead and its shards re-replicated, in whole ms, 0 to 600000',
    ),
  detector: z
    .enum(['phi', 'fixed'])
    .default('phi')
    .describe(
      'how the manager leader judges storage nodes: phi, phi accrual held over phiThreshold for deadAfterMs; fixed, declared dead after timeoutMs of silence (default phi)',
    ),
  timeoutMs: intSchema(1, 600_000)
    .default(1000)
    .describe(
      'detector: fixed: the silence after which a storage node is declared dead, in whole ms, 1 to 600000 (default 1000)',
    ),
  underReplicatedMaxMs: intSchema(0, 3_600_000)
    .default(10_000)
    .describe(
      'the placement checker: longest a shard may stay below replicasMin live replicas, in whole ms, 0 to 3600000 (the recovery target, 10 s)',
    ),
  failoverMaxMs: intSchema(0, 3_600_000)
    .default(30_000)
    .describe(
      'the placement checker: longest a shard may go without a primary, in whole ms, 0 to 3600000 (the failover target, 30 s)',
    ),
  migrationsMax: intSchema(1, 4096)
    .default(4)
    .describe('most shards moving to a new epoch at once (state transfers in flight), 1 to 4096'),
  recovery: z
    .enum(RECOVERY_STRATEGIES)
    .default('state-transfer')
    .describe(
      "how a shard's new member gets its state: state-transfer (every file of a frozen group), checkpoint-restore (a checkpoint plus the log after it), active-backup (a hot standby promoted)",
    ),
  checkpointEvery: intSchema(1, 1_000_000)
    .default(32)
    .describe(
      "applied entries between each shard group's checkpoints under recovery: checkpoint-restore, 1 to 1000000",
    ),
  rebalanceBandPct: intSchema(0, 100)
    .default(10)
    .describe(
      "the rebalancer's hysteresis band: a node within this many percent of its fair share of replicas neither gives nor takes one, 0 to 100",
    ),
  migrationBytesPerSec: intSchema(1, 1_000_000_000)
    .optional()
    .describe(
      'bandwidth limit on state transfers, in bytes per second per sending node: a donor sends the files in chunks, the next only when the budget allows (default: no limit, one message)',
    ),
  capacity: z
    .record(z.string().regex(/^n\d+$/, { error: 'expected a node id such as n4' }), intSchema(0))
    .optional()
    .describe(
      'replicas each named storage node may hold (node id to count); a full node takes no new replica, one above it sheds; nodes left out hold any number (default: every node unbounded)',
    ),
  balance: z
    .enum(['count', 'load'])
    .default('count')
    .describe(
      'what the rebalancer evens out: count, replicas per node; load, also requests served per node (reported in heartbeats), moving a busy shard off a node above the fair load within the count band (default count)',
    ),
  manager: (raft.optionsSchema as z.ZodType<RaftOptions>)
    .prefault({})
    .describe("the managers' Raft group options, as the raft protocol takes them"),
  shard: (primaryBackup.optionsSchema as z.ZodType<PbOptions>)
    .prefault({})
    .describe("each shard group's options, as the primary-backup protocol takes them"),
});

export const cluster: ProtocolDefinition<ClusterOptions> = {
  name: 'cluster',
  summary:
    'A placement driver on Raft (embedded) over storage nodes holding many shards, each an embedded primary/backup group; keys hashed to shards.',
  workloads: ['kv'],
  bugs: CLUSTER_NAMED_BUGS,
  roles: [
    {
      name: 'manager-leader',
      summary: "the manager leading the managers' Raft group (the placement driver)",
      takenBy: 'mgr.role.primary',
    },
  ],
  metrics: () =>
    joinCollectors(
      new ClusterMetrics(),
      new DetectorMetrics(),
      new RecoveryMetrics(),
      new TransferMetrics(),
      new RangeMetrics(),
    ),
  coverage: CLUSTER_COVERAGE,
  optionsSchema: optionsSchema as z.ZodType<ClusterOptions>,
  checkWorkload(options, _workload, { nodes, spares }) {
    if (options.managers >= nodes)
      return {
        path: ['managers'],
        message: `${options.managers} managers leave no storage node in a cluster of ${nodes}: use fewer managers or more nodes`,
      };
    if (options.replicasMin > options.replicasMax)
      return {
        path: ['replicasMin'],
        message: `replicasMin ${options.replicasMin} is above replicasMax ${options.replicasMax}`,
      };
    const sharding = shardingMisfit(options);
    if (sharding !== undefined) return sharding;
    if (options.recovery === 'checkpoint-restore') {
      const misfit = checkpointMisfit({
        ...options.shard,
        checkpointEvery: options.checkpointEvery,
      });
      if (misfit !== undefined)
        return {
          path: ['shard', ...misfit.path],
          message: `recovery: checkpoint-restore: ${misfit.message}`,
        };
    }
    const storage = nodes - options.managers;
    if (options.recovery === 'active-backup' && options.replicasMax + 1 > storage)
      return {
        path: ['recovery'],
        message: `active-backup keeps a standby beside ${options.replicasMax} replicas, ${options.replicasMax + 1} storage nodes, and ${nodes} nodes less ${options.managers} managers leave ${storage}: lower replicasMax, add nodes or choose another recovery`,
      };
    if (options.replicasMax > storage)
      return {
        path: ['replicasMax'],
        message: `${options.replicasMax} replicas per shard need as many storage nodes, and ${nodes} nodes less ${options.managers} managers leave ${storage}: lower replicasMax or add nodes`,
      };
    const misfit = capacityMisfit(options, nodes, spares ?? 0);
    if (misfit !== undefined) return { path: ['capacity'], message: misfit };
    return undefined;
  },
  membership: true,
  checkMembership: (options, change) => checkClusterMembership(options, change),
  create: ({ options, nodes, localities, bugs, spares }) =>
    createCluster(options, nodes, localities, bugs, spares),
};
