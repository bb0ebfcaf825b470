/**
 * Multi-Paxos's named bugs, each from a real system or the paper (README.md says where), with
 * the canary that proves the fuzzer still catches it, and the coverage marks the Multi-Paxos
 * scenarios must hit, so a clean sweep means leader changes, no-op fills, catch-up and snapshots
 * really ran.
 *
 * Budgets are about ln(1000) / measured hit rate, so a sweep of the budget misses the bug with
 * odds below one in a thousand.
 */
import { MARKS } from '../../core/marks.js';
import type { BugDefinition, CoverageDefinition } from '../../core/protocol-definition.js';

const CRASH = 'scenarios/multi-paxos-crash.yaml';
const PARTITION = 'scenarios/multi-paxos-partition.yaml';
const POWER_LOSS = 'scenarios/multi-paxos-power-loss.yaml';
const DUPLICATES = 'scenarios/multi-paxos-duplicates.yaml';
const LEASE = 'scenarios/multi-paxos-lease.yaml';

export const MULTI_PAXOS_NAMED_BUGS = [
  {
    name: 'multi-paxos.ignore-promised-values',
    summary:
      'a new leader fills every open slot with a no-op, ignoring the values its promises ' +
      'reported accepted there (Paxos Made Simple P2c, for a log)',
    canary: {
      scenario: CRASH,
      checker: 'durability',
      budget: 11,
      seeds: [2],
      measured: '27/40 seeds (68%), first at 2, 3, 5',
    },
  },
  {
    name: 'multi-paxos.reply-before-durable',
    summary:
      'an acceptor promises and accepts before its state is durable, and reneges after a crash ' +
      '(Paxos Made Live §5)',
    canary: {
      scenario: POWER_LOSS,
      checker: 'durability',
      budget: 17,
      seeds: [3],
      measured: '83/200 seeds (41.5%), first at 3, 7, 8',
    },
  },
] as const satisfies readonly BugDefinition[];

export const MULTI_PAXOS_COVERAGE: readonly CoverageDefinition[] = [
  {
    scenario: CRASH,
    seeds: 10,
    marks: [
      MARKS.promoted,
      MARKS.caughtUp,
      'multi-paxos.catch-up',
      'multi-paxos.check-quorum-step-down',
      'multi-paxos.snapshot-durable',
      'multi-paxos.snapshot-installed',
    ],
  },
  {
    scenario: PARTITION,
    seeds: 10,
    marks: [MARKS.promoted, 'multi-paxos.check-quorum-step-down', 'multi-paxos.catch-up'],
  },
  {
    scenario: POWER_LOSS,
    seeds: 10,
    marks: [MARKS.promoted, 'multi-paxos.snapshot-durable', 'multi-paxos.torn-tail-truncated'],
  },
  {
    scenario: DUPLICATES,
    seeds: 10,
    marks: [MARKS.promoted, 'multi-paxos.catch-up', 'multi-paxos.snapshot-installed'],
  },
  {
    scenario: LEASE,
    seeds: 5,
    marks: [MARKS.promoted, 'multi-paxos.lease-read', 'multi-paxos.check-quorum-step-down'],
  },
];
