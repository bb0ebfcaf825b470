/**
 * The Paxos protocol's definition: options, measures, named bugs with their canaries (each a
 * real bug, see README.md and named-bugs.ts), the coverage its scenarios must reach, and how to
 * build it.
 */
import { z } from 'zod';
import type { ProtocolDefinition } from '../../core/protocol-definition.js';
import { intSchema } from '../../options/units.js';
import { PAXOS_COVERAGE, PAXOS_NAMED_BUGS } from './named-bugs.js';
import { createPaxos, type PaxosOptions } from './paxos.js';

const optionsSchema = z.strictObject({
  roundTimeoutMs: intSchema(1, 60_000)
    .default(30)
    .describe(
      'a proposer that has no majority of answers this long after its Prepare or Accept tries a higher ballot, in whole ms, 1 to 60000',
    ),
  backoffMs: intSchema(1, 10_000)
    .default(5)
    .describe(
      'a proposer that lost a ballot waits a random while up to this long (doubling per try, to 16 times) before the next, in whole ms, 1 to 10000',
    ),
  attemptsMax: intSchema(1, 1000)
    .default(12)
    .describe('ballots a proposer tries for one client request before it gives up, 1 to 1000'),
  timeoutMs: intSchema(1, 60_000)
    .default(300)
    .describe(
      'a proposer starts no new ballot for a client request this long after it arrived, and gives up (Cassandra cas_contention_timeout), in whole ms, 1 to 60000',
    ),
  registersMax: intSchema(1, 1_000_000)
    .default(10_000)
    .describe(
      'keys a node keeps a register for, 1 to 1000000: past it a request for a new key fails (registers-full) and an acceptor ignores messages about new keys (paxos.registers-full)',
    ),
  walBytesMax: intSchema(4096, 1_073_741_824)
    .default(67_108_864)
    .describe(
      'bytes the WAL may grow to (it is never compacted), 4096 to 1 GiB: a node whose next write would pass it writes nothing more and so answers no Prepare or Accept again, as a node with a full disk (paxos.wal-full)',
    ),
});

export const paxos: ProtocolDefinition<PaxosOptions> = {
  name: 'paxos',
  summary:
    'single-decree Paxos per key as Cassandra lightweight transactions: a linearizable compare-and-set register per key, any node proposes, acceptors durable before replying.',
  workloads: ['cas-register'],
  bugs: PAXOS_NAMED_BUGS,
  coverage: PAXOS_COVERAGE,
  optionsSchema: optionsSchema as z.ZodType<PaxosOptions>,
  create: ({ options, bugs, nodes }) => createPaxos(options, bugs, nodes),
};

/** Ballots (ballot.ts), for Multi-Paxos, which orders its leaders' ballots the same way. */
export { ballotOf, NODES_MAX, ROUNDS_RESERVED, roundOf } from './ballot.js';
