/**
 * The cluster protocol's definition: a placement driver on Raft over storage nodes holding many
 * shards, each a primary/backup group (README.md). Options, roles, and how to build it.
 */
import { z } from 'zod';
import type { ProtocolDefinition } from '../../core/protocol-definition.js';
import { intSchema } from '../../options/units.js';
import { primaryBackup } from '../primary-backup/index.js';
import { raft } from '../raft/index.js';
import { createCluster } from './cluster.js';
import { ClusterMetrics } from './cluster-metrics.js';
import type { ClusterOptions, PbOptions, RaftOptions } from './cluster-config.js';

const optionsSchema = z.strictObject({
  managers: intSchema(1, 9)
    .default(3)
    .describe(
      'how many of the first nodes are managers (the placement driver on Raft), 1 to 9; the rest store shards',
    ),
  shards: intSchema(1, 4096)
    .default(16)
    .describe('how many shards the keys are hashed into, 1 to 4096'),
  replicasMin: intSchema(1, 9)
    .default(2)
    .describe('a shard with fewer live replicas is under-replicated, 1 to 9'),
  replicasMax: intSchema(1, 9)
    .default(3)
    .describe('replicas each shard is placed with, 1 to 9 (at least replicasMin)'),
  vnodes: intSchema(1, 1024)
    .default(64)
    .describe('tokens per shard on the key ring (virtual nodes), 1 to 1024'),
  heartbeatMs: intSchema(1, 10_000)
    .default(50)
    .describe(
      'how often storage nodes ask the manager leader for the shard map (their heartbeat) and managers read it from Raft, in whole ms, 1 to 10000',
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
  bugs: [],
  roles: [
    {
      name: 'manager-leader',
      summary: "the manager leading the managers' Raft group (the placement driver)",
      takenBy: 'mgr.role.primary',
    },
  ],
  metrics: () => new ClusterMetrics(),
  coverage: [
    {
      scenario: 'scenarios/cluster-crash.yaml',
      seeds: 2,
      marks: [
        'mgr.role.primary',
        'pb.role.primary',
        'cluster.declared-dead',
        'cluster.group-stopped',
        'cluster.transfer-own',
        'cluster.transfer-received',
        'cluster.transfer-done',
        'cluster.under-replicated-us',
      ],
    },
  ],
  optionsSchema: optionsSchema as z.ZodType<ClusterOptions>,
  checkWorkload(options, _workload, { nodes }) {
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
    const storage = nodes - options.managers;
    if (options.replicasMax > storage)
      return {
        path: ['replicasMax'],
        message: `${options.replicasMax} replicas per shard need as many storage nodes, and ${nodes} nodes less ${options.managers} managers leave ${storage}: lower replicasMax or add nodes`,
      };
    return undefined;
  },
  create: ({ options, nodes, localities }) => createCluster(options, nodes, localities),
};
