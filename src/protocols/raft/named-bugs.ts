/**
 * Raft's named bugs, each a real one (README.md says where it happened), with the canary that
 * proves the fuzzer still catches it: the scenario class that exposes it, the checker that must
 * fire, the seed budget (the fuzzer finds it within seeds 1..budget and the correct Raft passes
 * every one of them), the seeds CI replays, and what was measured. And the coverage marks the
 * Raft scenarios must hit, so a clean sweep means the paths really ran.
 *
 * Budgets are about ln(1000) / measured hit rate, so a sweep of the budget misses the bug with
 * odds below one in a thousand.
 */
import { MARKS } from '../../core/marks.js';
import type { BugDefinition, CoverageDefinition } from '../../core/protocol-definition.js';

const CRASH = 'scenarios/raft-crash.yaml';
const ELECTIONS = 'scenarios/raft-elections.yaml';
const POWER_LOSS = 'scenarios/raft-power-loss.yaml';
const PARTITION = 'scenarios/raft-partition.yaml';
const FSYNC_ERRORS = 'scenarios/raft-fsync-errors.yaml';
const PARTITIONED_READS = 'scenarios/raft-partitioned-reads.yaml';
const LSM_CRASH = 'scenarios/raft-lsm-crash.yaml';
/**
 * The same scenario classes with the state machine in the LSM engine (`--option storage=lsm`):
 * the log, term and vote stay in Raft's own WAL, so every bug is still expressible; each
 * variant is measured over 300 seeds (the first: over 3,000) and pinned with its own budget.
 */
const LSM = ['storage=lsm'];

export const RAFT_NAMED_BUGS = [
  {
    name: 'raft.commit-previous-term',
    summary: 'commit an entry of an earlier term by counting replicas (Figure 8; logcabin#44)',
    canary: {
      scenario: ELECTIONS,
      checker: 'leader-completeness',
      budget: 12000,
      seeds: [117],
      measured: '6/10,000 seeds (0.06%), first at 117, 1087, 4482',
      variants: [
        {
          options: LSM,
          budget: 21000,
          seeds: [1389],
          measured: '1/3,000 seeds (0.03%), first at 1389',
        },
      ],
    },
  },
  {
    name: 'raft.vote-before-persist',
    summary:
      'grant a vote before votedFor is durable, so a crash lets the node vote twice in a term ' +
      '(hashicorp/raft#661)',
    canary: {
      scenario: ELECTIONS,
      checker: 'election-safety',
      budget: 250,
      seeds: [3],
      measured: '10/300 seeds (3.3%), first at 3, 36, 48',
      variants: [
        {
          options: LSM,
          budget: 250,
          seeds: [59],
          measured: '9/300 seeds (3%), first at 59, 165, 168',
        },
      ],
    },
  },
  {
    name: 'raft.truncate-on-stale-append',
    summary:
      'a follower truncates its log at the end of every AppendEntries, even a stale, reordered one',
    canary: {
      scenario: CRASH,
      checker: 'leader-completeness',
      budget: 10,
      seeds: [1],
      measured: '260/300 seeds (87%), first at 1, 2, 3',
      variants: [
        {
          options: LSM,
          budget: 10,
          seeds: [1],
          measured: '253/300 seeds (84%), first at 1, 2, 3',
        },
      ],
    },
  },
  {
    name: 'raft.commit-past-verified',
    summary:
      'a follower advances commitIndex to leaderCommit past the prefix it verified ' +
      '(atomix/copycat#265)',
    canary: {
      scenario: ELECTIONS,
      checker: 'state-machine-safety',
      budget: 70,
      seeds: [3],
      measured: '32/300 seeds (10.7%), first at 3, 5, 18',
      variants: [
        {
          options: LSM,
          budget: 120,
          seeds: [36],
          measured: '18/300 seeds (6%), first at 36, 51, 57',
        },
      ],
    },
  },
  {
    name: 'raft.stale-read',
    summary:
      'a leader answers reads from local state without confirming it is still leader ' +
      '(Jepsen etcd 0.4.1)',
    canary: {
      scenario: PARTITION,
      checker: 'linearizability',
      budget: 600,
      seeds: [28],
      measured: '4/300 seeds (1.3%), first at 28, 154, 185',
      variants: [
        {
          options: LSM,
          budget: 600,
          seeds: [35],
          measured: '4/300 seeds (1.3%), first at 35, 57, 141',
        },
      ],
    },
  },
  {
    name: 'raft.read-before-noop',
    summary:
      'a new leader answers reads before its no-op commits, with a stale commitIndex ' +
      '(redisraft#22)',
    canary: {
      scenario: POWER_LOSS,
      checker: 'linearizability',
      budget: 10,
      seeds: [2],
      measured: '161/300 seeds (54%), first at 2, 5, 6',
      variants: [
        {
          options: LSM,
          budget: 25,
          seeds: [3],
          measured: '95/300 seeds (32%), first at 3, 7, 10',
        },
      ],
    },
  },
  {
    name: 'raft.ack-before-fsync',
    summary:
      'the leader counts its own entry toward the quorum before its fsync completes (etcd#14370)',
    canary: {
      scenario: POWER_LOSS,
      checker: 'durability',
      budget: 200,
      seeds: [7],
      measured: '14/300 seeds (4.7%), first at 7, 13, 30',
      variants: [
        {
          options: LSM,
          budget: 200,
          seeds: [7],
          measured: '11/300 seeds (3.7%), first at 7, 17, 86',
        },
      ],
    },
  },
  {
    name: 'raft.vote-index-only',
    summary:
      'grant votes comparing only the last log index, not (last term, last index) (sile/noraft#22)',
    canary: {
      scenario: ELECTIONS,
      checker: 'leader-completeness',
      budget: 110,
      seeds: [15],
      measured: '20/300 seeds (6.7%), first at 15, 20, 41 (re-measured with the torn-tail fence)',
      variants: [
        {
          options: LSM,
          budget: 75,
          seeds: [8],
          measured: '29/300 seeds (9.7%), first at 8, 16, 32 (with the torn-tail fence)',
        },
      ],
    },
  },
  {
    name: 'raft.read-without-heartbeat',
    summary:
      'ReadIndex without its heartbeat round: a leader cut off from the majority answers reads ' +
      '(d-engine#381)',
    // Check-quorum deposes a cut-off leader within an election timeout, which makes this bug
    // behave like a lease read: only a scenario without check-quorum shows it.
    canary: {
      scenario: PARTITIONED_READS,
      checker: 'linearizability',
      budget: 25,
      seeds: [2],
      measured: '93/300 seeds (31%), first at 2, 5, 9',
      variants: [
        {
          options: LSM,
          budget: 20,
          seeds: [3],
          measured: '108/300 seeds (36%), first at 3, 4, 7',
        },
      ],
    },
  },
  {
    name: 'raft.timer-not-reset-on-append',
    summary:
      'a follower does not re-arm its election timer on AppendEntries, and stands for election ' +
      'under a live leader (redpanda#30817)',
    canary: {
      scenario: CRASH,
      checker: 'leader-stability',
      budget: 10,
      seeds: [1],
      measured: '300/300 seeds (100%), first at 1, 2, 3',
      variants: [
        {
          options: LSM,
          budget: 10,
          seeds: [1],
          measured: '300/300 seeds (100%), first at 1, 2, 3',
        },
      ],
    },
  },
  {
    name: 'raft.applied-index-apart',
    summary:
      'storage lsm: the applied index (with the sessions) is written in an engine batch apart ' +
      'from the data it describes, so a crash between them re-applies an append on replay ' +
      '(etcd #13766, #13967)',
    canary: {
      scenario: LSM_CRASH,
      checker: 'linearizability',
      budget: 30,
      seeds: [2],
      measured: '25/100 seeds (25%), first at 2, 3, 7',
    },
  },
] as const satisfies readonly BugDefinition[];

export const RAFT_COVERAGE: readonly CoverageDefinition[] = [
  {
    scenario: CRASH,
    seeds: 10,
    marks: [
      MARKS.suspect,
      MARKS.promoted,
      MARKS.caughtUp,
      'raft.check-quorum-step-down',
      'raft.conflict-truncated',
      'raft.snapshot-durable',
      'raft.snapshot-installed',
      'raft.torn-tail-truncated',
    ],
  },
  {
    scenario: LSM_CRASH,
    seeds: 5,
    marks: [MARKS.caughtUp, 'raft.snapshot-durable', 'raft.snapshot-installed'],
  },
  {
    scenario: ELECTIONS,
    seeds: 10,
    marks: [MARKS.promoted, 'raft.conflict-truncated', 'raft.torn-tail-truncated'],
  },
  {
    scenario: PARTITION,
    seeds: 10,
    marks: ['raft.check-quorum-step-down', 'raft.conflict-truncated', 'raft.snapshot-installed'],
  },
  {
    scenario: PARTITIONED_READS,
    seeds: 10,
    marks: [MARKS.promoted, 'raft.conflict-truncated'],
  },
  {
    scenario: FSYNC_ERRORS,
    seeds: 10,
    marks: ['raft.fsync-failed', 'raft.snapshot-durable', 'raft.torn-tail-truncated'],
  },
];
