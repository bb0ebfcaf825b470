/**
 * The lock service's definition: options, roles, named bugs with their canaries (README.md and
 * named-bugs.ts), the coverage its scenarios must reach, and how to build it.
 */
import { z } from 'zod';
import { MARKS } from '../../core/marks.js';
import type { ProtocolDefinition } from '../../core/protocol-definition.js';
import { intSchema } from '../../options/units.js';
import type { LockServiceOptions } from './lock-config.js';
import { createLockService } from './lock-service.js';
import { LOCK_COVERAGE, LOCK_NAMED_BUGS } from './named-bugs.js';

const optionsSchema = z.strictObject({
  fencing: z
    .boolean()
    .default(true)
    .describe(
      'the store refuses a write whose fencing token is below the highest it has taken for that key (Kleppmann 2016; default true)',
    ),
  ttlMaxMs: intSchema(1, 600_000)
    .default(1000)
    .describe(
      'the longest lease the server grants, and how long a restarted server grants nothing (every lease it gave has expired by then), in whole ms, 1 to 600000 (default 1000)',
    ),
  server: z
    .enum(['single', 'raft'])
    .default('single')
    .describe(
      "single: one lock server (n1); raft: a Raft group of `servers` replicas (n1 and the last servers-1 nodes) whose state machine holds the leases, the fencing token the grant's log index (default single)",
    ),
  servers: intSchema(1, 9)
    .default(3)
    .describe(
      "the Raft group's size under server: raft, 1 to 9 (default 3; a majority of them must be up)",
    ),
});

const US_PER_MS = 1000;

export const lockService: ProtocolDefinition<LockServiceOptions> = {
  name: 'lock-service',
  summary:
    'a lock server granting leases with a TTL and fencing tokens (SET NX PX), a store that checks the tokens or not, and lock clients that pause and whose clocks drift: n1 serves locks, n2 is the store, the rest take locks.',
  workloads: ['lock'],
  bugs: LOCK_NAMED_BUGS,
  coverage: LOCK_COVERAGE,
  roles: [
    { name: 'lock-server', summary: 'the node granting leases (n1)', takenBy: 'lock.server' },
    {
      name: 'lock-replica',
      summary: 'a replica of the Raft group granting leases (server: raft)',
      takenBy: 'lock.replica',
      shared: true,
    },
    {
      name: 'lock-leader',
      summary: "the Raft group's leader, which serves lease requests (server: raft)",
      takenBy: MARKS.promoted,
    },
    { name: 'store', summary: 'the protected store (n2)', takenBy: 'lock.store' },
    {
      name: 'lock-client',
      summary: 'a process that takes locks and writes under them (n3 and on)',
      takenBy: 'lock.client',
      shared: true,
    },
  ],
  optionsSchema: optionsSchema as z.ZodType<LockServiceOptions>,
  checkWorkload: (options, workload, cluster) => {
    if (cluster.nodes < 3)
      return {
        path: [],
        message: `the lock service needs a lock server, a store and a lock client: cluster.nodes is ${cluster.nodes}, expected at least 3`,
      };
    const replicas = options.server === 'raft' ? (options.servers ?? 3) : 1;
    if (cluster.nodes < replicas + 2)
      return {
        path: ['servers'],
        message: `servers is ${replicas}: with a store and a lock client that needs at least ${replicas + 2} nodes, cluster.nodes is ${cluster.nodes}`,
      };
    const ttl = workload.options.ttl;
    if (typeof ttl === 'number' && ttl > options.ttlMaxMs * US_PER_MS)
      return {
        path: ['ttlMaxMs'],
        message: `ttlMaxMs is ${options.ttlMaxMs}, below the workload's ttl of ${ttl / US_PER_MS}ms: the server would cut every lease short; expected at least ${Math.ceil(ttl / US_PER_MS)}`,
      };
    return undefined;
  },
  create: ({ options, bugs, nodes }) => createLockService(options, bugs, nodes),
};
