/**
 * The Multi-Paxos protocol's definition: options, roles, measures, named bugs with their
 * canaries (README.md and named-bugs.ts), the coverage its scenarios must reach, and how to
 * build it.
 */
import { z } from 'zod';
import { MARKS } from '../../core/marks.js';
import type { ProtocolDefinition } from '../../core/protocol-definition.js';
import { intSchema } from '../../options/units.js';
import { ReplicationMetrics } from '../shared/replication-metrics.js';
import { createMultiPaxos, type MultiPaxosOptions } from './multi-paxos.js';
import { MULTI_PAXOS_COVERAGE, MULTI_PAXOS_NAMED_BUGS } from './named-bugs.js';

const optionsSchema = z.strictObject({
  heartbeatMs: intSchema(1, 10_000)
    .default(20)
    .describe(
      'how often the leader sends Commit as a heartbeat and resends unanswered Accepts, in whole ms, 1 to 10000',
    ),
  electionTimeoutMs: intSchema(1, 60_000)
    .default(150)
    .describe(
      'a node that hears from no leader this long runs phase 1 (randomized up to twice as long), in whole ms, 1 to 60000',
    ),
  leaseMs: intSchema(1, 60_000)
    .default(100)
    .describe(
      'how long an acceptor that heard from a leader promises no one else, by its own clock, in whole ms, 1 to 60000; with reads: lease the leader answers reads alone for 90% of it after a majority answered a heartbeat',
    ),
  reads: z
    .enum(['quorum', 'lease'])
    .default('quorum')
    .describe(
      'quorum: a read waits for a heartbeat round a majority answers (no clock trusted); lease: the leader answers at once while its lease runs (trusts clock rates within 10%)',
    ),
  batchMax: intSchema(1, 10_000)
    .default(64)
    .describe('most chosen slots in one Learn sent to a lagging follower, 1 to 10000'),
  snapshotEvery: intSchema(1, 1_000_000)
    .default(256)
    .describe(
      'take a snapshot and rewrite the WAL every this many applied slots, 1 to 1000000 (the WAL holds at most this many slots past the snapshot, plus the open ones)',
    ),
});

export const multiPaxos: ProtocolDefinition<MultiPaxosOptions> = {
  name: 'multi-paxos',
  summary:
    'Multi-Paxos replicating a kv store: a leader elected by phase 1 over all open slots, phase 2 per command, no-op gap filling, catch-up, client sessions, snapshots, quorum or lease reads.',
  workloads: ['kv'],
  bugs: MULTI_PAXOS_NAMED_BUGS,
  coverage: MULTI_PAXOS_COVERAGE,
  roles: [
    {
      name: 'leader',
      summary: 'the distinguished proposer that serves clients',
      takenBy: MARKS.promoted,
    },
  ],
  metrics: () => new ReplicationMetrics(),
  optionsSchema: optionsSchema as z.ZodType<MultiPaxosOptions>,
  create: ({ options, bugs, nodes }) => createMultiPaxos(options, bugs, nodes),
};
