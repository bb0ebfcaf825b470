/**
 * The Raft protocol's definition: options, roles, measures, named bugs with their canaries (each
 * a real bug, see README.md and named-bugs.ts), the coverage its scenarios must reach, and how to
 * build it.
 */
import { z } from 'zod';
import { MARKS } from '../../core/marks.js';
import { intSchema } from '../../options/units.js';
import { ReplicationMetrics } from '../shared/replication-metrics.js';
import type { ProtocolDefinition } from '../../core/protocol-definition.js';
import { kvStoreOptionsSchema } from '../kv-store/index.js';
import { RAFT_COVERAGE, RAFT_NAMED_BUGS } from './named-bugs.js';
import { createRaft, type RaftOptions } from './raft.js';

// What another protocol needs to run Raft under its own state machine (the lock service).
export { createRaft, type RaftOptions } from './raft.js';
export type { Entry, RaftMessage, Snapshot } from './messages.js';
export type { RaftState } from './raft-state.js';
export type { StateMachine, StateMachineKind } from './session-kv.js';

const optionsSchema = z.strictObject({
  heartbeatMs: intSchema(1, 10_000)
    .default(20)
    .describe(
      'how often the leader sends AppendEntries as a heartbeat, in whole ms, 1 to 10000 (a leader silent for 10 s is not heartbeating)',
    ),
  electionTimeoutMs: intSchema(1, 60_000)
    .default(150)
    .describe(
      'a follower starts an election after this long without a leader (randomized up to twice as long), in whole ms, 1 to 60000 (a minute without a leader is an outage, not a timeout)',
    ),
  batchMax: intSchema(1, 10_000)
    .default(64)
    .describe('most log entries in one AppendEntries, 1 to 10000 (a message, not a snapshot)'),
  preVote: z
    .boolean()
    .default(true)
    .describe('ask for PreVotes before bumping the term (thesis §9.6)'),
  checkQuorum: z
    .boolean()
    .default(true)
    .describe(
      'a leader that has not heard from a majority for an election timeout steps down (thesis §6.2)',
    ),
  snapshotEvery: intSchema(1, 1_000_000)
    .default(256)
    .describe(
      'take a snapshot and compact the log every this many applied entries, 1 to 1000000 (a log kept longer only holds memory)',
    ),
  storage: z
    .enum(['memory', 'lsm'])
    .default('memory')
    .describe(
      'where the state machine lives: memory (rebuilt from the log after a crash) or lsm (the LSM engine on the node disk, applied index in the same write batch as the data)',
    ),
  lsm: kvStoreOptionsSchema
    .prefault({})
    .describe('the LSM engine options under storage: lsm, as the kv-store protocol takes them'),
});

export const raft: ProtocolDefinition<RaftOptions> = {
  name: 'raft',
  summary:
    'Raft replicating a kv store: pre-vote, check-quorum, persistence before replies, client sessions, ReadIndex reads, snapshots.',
  workloads: ['kv'],
  bugs: RAFT_NAMED_BUGS,
  coverage: RAFT_COVERAGE,
  roles: [
    {
      name: 'leader',
      summary: 'the node that serves clients and replicates to the others',
      takenBy: MARKS.promoted,
    },
  ],
  metrics: () => new ReplicationMetrics(),
  optionsSchema: optionsSchema as z.ZodType<RaftOptions>,
  create: ({ options, bugs, nodes }) => createRaft(options, bugs, nodes),
};
