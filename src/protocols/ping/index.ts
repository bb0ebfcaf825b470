/**
 * The ping broadcast protocol's definition (no workload, no bugs: a host benchmark). It takes
 * membership changes (spares, join, leave): see ping.ts.
 */
import { z } from 'zod';
import type { ProtocolDefinition } from '../../core/protocol-definition.js';
import { intSchema } from '../../options/units.js';
import { createPing, type PingOptions } from './ping.js';

export const pingBroadcast: ProtocolDefinition<PingOptions> = {
  name: 'ping',
  summary:
    'Every node pings every peer on a timer and peers answer; measures the host, teaches the node contract.',
  workloads: ['none'],
  bugs: [],
  membership: true,
  optionsSchema: z.strictObject({
    intervalMs: intSchema(1, 60_000)
      .default(10)
      .describe('how often each node broadcasts Ping, in whole ms, 1 to 60000 (once a minute)'),
  }) as z.ZodType<PingOptions>,
  create: ({ options }) => createPing(options),
};
