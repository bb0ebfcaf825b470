/**
 * The saga protocol's definition: options, roles, measures, named bugs with their canaries (each
 * a real bug, see README.md and named-bugs.ts), the coverage its scenarios must reach, and how
 * to build it.
 */
import { z } from 'zod';
import type { ProtocolDefinition } from '../../core/protocol-definition.js';
import { SERVICES } from '../../core/saga-ops.js';
import { intSchema } from '../../options/units.js';
import { SAGA_COVERAGE, SAGA_NAMED_BUGS } from './named-bugs.js';
import { createSaga, type SagaOptions } from './saga.js';
import { SagaMetrics } from './saga-metrics.js';

const NODES = 1 + SERVICES.length;

const optionsSchema = z.strictObject({
  retryMs: intSchema(1, 60_000)
    .default(10)
    .describe(
      'the orchestrator sends a command again when it has no answer this long after sending it, doubling the wait with each retry of the same command, in whole ms, 1 to 60000 (default 10)',
    ),
  retryMaxMs: intSchema(1, 60_000)
    .default(160)
    .describe(
      'the longest wait between two retries of a command, in whole ms, 1 to 60000 (default 160)',
    ),
});

export const saga: ProtocolDefinition<SagaOptions> = {
  name: 'saga',
  summary:
    'an orchestrated Saga booking trips across flight, hotel and car services: steps in order, compensations in reverse order after a refusal, a durable saga log at the orchestrator, services that each own their data durably and apply every command once.',
  workloads: ['saga'],
  bugs: SAGA_NAMED_BUGS,
  coverage: SAGA_COVERAGE,
  roles: [
    {
      name: 'orchestrator',
      summary: 'the node running every saga',
      takenBy: 'saga.orchestrator',
    },
    {
      name: 'service',
      summary: 'a node running one service (flight, hotel, car)',
      takenBy: 'saga.service',
      shared: true,
    },
  ],
  metrics: () => new SagaMetrics(),
  optionsSchema: optionsSchema as z.ZodType<SagaOptions>,
  checkWorkload: (_options, _workload, cluster) =>
    cluster.nodes === NODES
      ? undefined
      : {
          path: [],
          message: `a saga needs an orchestrator and the ${SERVICES.join(', ')} services: cluster.nodes is ${cluster.nodes}, expected ${NODES}`,
        },
  create: ({ options, bugs, nodes }) => createSaga(options, bugs, nodes),
};
