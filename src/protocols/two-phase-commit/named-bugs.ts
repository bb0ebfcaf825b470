/**
 * Two-phase commit's named bugs, each from a real system or the textbook (README.md says
 * where), with the canary that proves the fuzzer still catches it: the scenario class that
 * exposes it, the checker that must fire, the seed budget (the fuzzer finds it within seeds
 * 1..budget and the correct protocol passes every one of them), the seeds CI replays, and what
 * was measured. And the coverage marks the 2PC scenarios must hit, so a clean sweep means the
 * paths really ran.
 */
import type { BugDefinition, CoverageDefinition } from '../../core/protocol-definition.js';

const CRASH = 'scenarios/2pc-crash.yaml';
const PARTITION = 'scenarios/2pc-partition.yaml';
const POWER_LOSS = 'scenarios/2pc-power-loss.yaml';

export const TWO_PC_NAMED_BUGS = [
  {
    name: 'two-phase-commit.participant-forgets-prepared',
    summary:
      'a participant that restarts rolls back the transactions it had prepared instead of ' +
      'staying in doubt (MariaDB MDEV-35019, MariaDB/server#3578)',
    canary: {
      scenario: CRASH,
      checker: 'atomicity',
      budget: 20,
      seeds: [2],
      measured:
        '33/100 seeds (33%), first at 2, 3, 9 (atomic-commit: 51/100; a rolled-back read changes no balance)',
    },
  },
  {
    name: 'two-phase-commit.commit-on-vote-timeout',
    summary:
      'the coordinator takes a vote missing at its timeout for YES and commits ' +
      '(Gray & Lamport 2006 §3; BHG §7.4: a timeout may only abort)',
    canary: {
      scenario: PARTITION,
      checker: 'atomicity',
      budget: 5,
      seeds: [1],
      measured: '100/100 seeds (100%), first at 1, 2, 3 (atomic-commit and serializability too)',
    },
  },
  {
    name: 'two-phase-commit.send-before-logging-decision',
    summary:
      'the coordinator sends COMMIT before its decision is durable, and after a crash presumes ' +
      'abort (actiontech/dble#1192)',
    canary: {
      scenario: POWER_LOSS,
      checker: 'atomicity',
      budget: 45,
      seeds: [4],
      measured: '34/200 seeds (17%), first at 4, 7, 11 (atomic-commit: 43/200; either: 49/200)',
    },
  },
  {
    name: 'two-phase-commit.early-read-lock-release',
    summary:
      'a participant releases its shared (read) locks when it votes YES instead of at the ' +
      'decision, so two-phase locking no longer holds across shards (BHG §7.1)',
    canary: {
      scenario: PARTITION,
      checker: 'serializability',
      budget: 25,
      seeds: [1],
      measured: '29/100 seeds (29%), first at 1, 2, 5, each a G2-item cycle',
      says: '^G2-item',
    },
  },
] as const satisfies readonly BugDefinition[];

export const TWO_PC_COVERAGE: readonly CoverageDefinition[] = [
  { scenario: CRASH, seeds: 5, marks: ['twopc.decision-logged', 'twopc.in-doubt-recovered'] },
  { scenario: PARTITION, seeds: 5, marks: ['twopc.decision-logged', 'twopc.decision-request'] },
  {
    scenario: POWER_LOSS,
    seeds: 5,
    marks: ['twopc.decision-logged', 'twopc.coordinator-recovered'],
  },
];
