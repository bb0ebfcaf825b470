/**
 * The two-phase commit protocol's definition: options, roles, measures, named bugs with their
 * canaries (each a real bug, see README.md and named-bugs.ts), the coverage its scenarios must
 * reach, and how to build it.
 */
import { z } from 'zod';
import type { ProtocolDefinition } from '../../core/protocol-definition.js';
import { intSchema } from '../../options/units.js';
import { TWO_PC_COVERAGE, TWO_PC_NAMED_BUGS } from './named-bugs.js';
import { createTwoPhaseCommit, type TwoPcOptions } from './two-phase-commit.js';
import { TwoPcMetrics } from './twopc-metrics.js';

const optionsSchema = z.strictObject({
  voteTimeoutMs: intSchema(1, 60_000)
    .default(50)
    .describe(
      'the coordinator aborts a transaction whose votes are not all in this long after its Prepare, in whole ms, 1 to 60000',
    ),
  resendMs: intSchema(1, 60_000)
    .default(20)
    .describe(
      'the coordinator re-sends a COMMIT not yet acknowledged this often, in whole ms, 1 to 60000',
    ),
  askMs: intSchema(1, 60_000)
    .default(30)
    .describe(
      'a participant in doubt this long asks the coordinator for the decision, and asks again this often, in whole ms, 1 to 60000',
    ),
  cooperativeTermination: z
    .boolean()
    .default(false)
    .describe(
      'a participant in doubt also asks the other participants, and one that knows the outcome, or has not voted and so aborts, answers (BHG §7.4; default false)',
    ),
});

export const twoPhaseCommit: ProtocolDefinition<TwoPcOptions> = {
  name: 'two-phase-commit',
  summary:
    'two-phase commit over sharded bank accounts: a coordinator and a participant per shard, both with durable logs, presumed abort, strict two-phase locking (no-wait) at the participants.',
  workloads: ['bank'],
  bugs: TWO_PC_NAMED_BUGS,
  coverage: TWO_PC_COVERAGE,
  roles: [
    {
      name: 'coordinator',
      summary: 'the node deciding every transaction',
      takenBy: 'twopc.coordinator',
    },
    {
      name: 'participant',
      summary: 'a node holding one shard of the accounts',
      takenBy: 'twopc.participant',
      shared: true,
    },
  ],
  metrics: () => new TwoPcMetrics(),
  optionsSchema: optionsSchema as z.ZodType<TwoPcOptions>,
  checkWorkload: (_options, workload, cluster) => {
    if (cluster.nodes < 2)
      return {
        path: [],
        message: `two-phase commit needs a coordinator and a participant: cluster.nodes is ${cluster.nodes}, expected at least 2`,
      };
    const accounts = workload.options.accounts;
    if (typeof accounts === 'number' && accounts < cluster.nodes - 1)
      return {
        path: [],
        message: `workload.accounts is ${accounts}, fewer than the ${cluster.nodes - 1} shards (every node but the coordinator holds one): expected at least ${cluster.nodes - 1}`,
      };
    return undefined;
  },
  create: ({ options, bugs, nodes }) => createTwoPhaseCommit(options, bugs, nodes),
};
