/**
 * The Raft protocol's definition: options, named bugs (each a real bug, see README.md), and how
 * to build it.
 */
import { z } from 'zod';
import { MARKS } from '../../core/marks.js';
import { ReplicationMetrics } from '../shared/replication-metrics.js';
import type { ProtocolDefinition } from '../../core/protocol-definition.js';
import { createRaft, type RaftOptions } from './raft.js';

const optionsSchema = z.strictObject({
  heartbeatMs: z
    .number()
    .positive()
    .default(20)
    .describe('how often the leader sends AppendEntries as a heartbeat, in ms'),
  electionTimeoutMs: z
    .number()
    .positive()
    .default(150)
    .describe(
      'a follower starts an election after this long without a leader (randomized up to twice as long), in ms',
    ),
  batchMax: z
    .number()
    .int()
    .positive()
    .default(64)
    .describe('most log entries in one AppendEntries'),
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
  snapshotEvery: z
    .number()
    .int()
    .positive()
    .default(256)
    .describe('take a snapshot and compact the log every this many applied entries'),
});

export const raft: ProtocolDefinition<RaftOptions> = {
  name: 'raft',
  summary:
    'Raft replicating a kv store: pre-vote, check-quorum, persistence before replies, client sessions, ReadIndex reads, snapshots.',
  workloads: ['kv'],
  bugs: [
    {
      name: 'raft.commit-previous-term',
      summary: 'commit an entry of an earlier term by counting replicas (Figure 8; logcabin#44)',
    },
    {
      name: 'raft.vote-before-persist',
      summary:
        'grant a vote before votedFor is durable, so a crash lets the node vote twice in a term (hashicorp/raft#661)',
    },
    {
      name: 'raft.truncate-on-stale-append',
      summary:
        'a follower truncates its log at the end of every AppendEntries, even a stale, reordered one',
    },
    {
      name: 'raft.commit-past-verified',
      summary:
        'a follower advances commitIndex to leaderCommit past the prefix it verified (atomix/copycat#265)',
    },
    {
      name: 'raft.stale-read',
      summary:
        'a leader answers reads from local state without confirming it is still leader (Jepsen etcd 0.4.1)',
    },
    {
      name: 'raft.read-before-noop',
      summary:
        'a new leader answers reads before its no-op commits, with a stale commitIndex (redisraft#22)',
    },
    {
      name: 'raft.ack-before-fsync',
      summary:
        'the leader counts its own entry toward the quorum before its fsync completes (etcd#14370)',
    },
    {
      name: 'raft.vote-index-only',
      summary:
        'grant votes comparing only the last log index, not (last term, last index) (sile/noraft#22)',
    },
  ],
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
