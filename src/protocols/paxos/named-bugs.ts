/**
 * Paxos's named bugs, each from a real system or the paper (README.md says where), with the
 * canary that proves the fuzzer still catches it: the scenario class that exposes it, the
 * checker that must fire, the seed budget (the fuzzer finds it within seeds 1..budget and the
 * correct protocol passes every one of them), the seeds CI replays, and what was measured. And
 * the coverage marks the Paxos scenarios must hit, so a clean sweep means the paths really ran.
 *
 * Budgets are about ln(1000) / measured hit rate, so a sweep of the budget misses the bug with
 * odds below one in a thousand. The checker named is the one that fires on the lowest failing
 * seed (`npm run fuzz` requires it there); the consensus observer's agreement fires on most of
 * the others, as `measured` says.
 */
import type { BugDefinition, CoverageDefinition } from '../../core/protocol-definition.js';

const CRASH = 'scenarios/paxos-crash.yaml';
const PARTITION = 'scenarios/paxos-partition.yaml';
const POWER_LOSS = 'scenarios/paxos-power-loss.yaml';
const DUPLICATES = 'scenarios/paxos-duplicates.yaml';
const REPLAY = 'scenarios/paxos-replay.yaml';

export const PAXOS_NAMED_BUGS = [
  {
    name: 'paxos.accept-does-not-raise-promise',
    summary:
      'an acceptor accepts comparing only ballot rounds and without raising its promise, so it ' +
      'accepts two proposers of one round (scylladb/scylladb#6139)',
    canary: {
      scenario: CRASH,
      checker: 'linearizability',
      budget: 40,
      seeds: [1],
      measured: '18/100 seeds (18%), first at 1, 4, 7 (agreement: 25/100; either: 36/100)',
    },
  },
  {
    name: 'paxos.read-skips-in-progress',
    summary:
      'a read, or a cas whose comparison fails, answers without finishing an accepted proposal ' +
      'it saw in progress (CASSANDRA-12126)',
    canary: {
      scenario: PARTITION,
      checker: 'linearizability',
      budget: 50,
      seeds: [4],
      measured: '15/100 seeds (15%), first at 4, 5, 13',
    },
  },
  {
    name: 'paxos.ignore-accepted-value',
    summary:
      'a proposer proposes its own value although a promise reported an accepted one ' +
      '(Paxos Made Simple P2c)',
    canary: {
      scenario: CRASH,
      checker: 'agreement',
      budget: 10,
      seeds: [1],
      measured: '28/40 seeds (70%), first at 1, 2, 4 (linearizability: 26/40)',
    },
  },
  {
    name: 'paxos.reply-before-durable',
    summary:
      'an acceptor promises and accepts before its state is durable, and reneges after a crash ' +
      '(Paxos Made Live §5)',
    canary: {
      scenario: POWER_LOSS,
      checker: 'linearizability',
      budget: 190,
      seeds: [21],
      measured: '11/300 seeds (3.7%), first at 21, 82, 97 (agreement: 15/300; either: 21/300)',
    },
  },
  {
    name: 'paxos.ballot-reused-after-restart',
    summary:
      "a proposer's round is volatile, so after a restart it reuses its first ballot, and " +
      'replayed Promises of its old life make a quorum (Tencent/phxpaxos#145)',
    canary: {
      scenario: REPLAY,
      checker: 'linearizability',
      budget: 70,
      seeds: [1],
      measured: '50/500 seeds (10%), first at 1, 10, 11 (agreement: 18/500)',
    },
  },
] as const satisfies readonly BugDefinition[];

export const PAXOS_COVERAGE: readonly CoverageDefinition[] = [
  { scenario: CRASH, seeds: 5, marks: ['paxos.learned', 'paxos.finish-in-progress'] },
  { scenario: PARTITION, seeds: 5, marks: ['paxos.learned', 'paxos.finish-in-progress'] },
  { scenario: POWER_LOSS, seeds: 5, marks: ['paxos.learned', 'paxos.torn-tail-truncated'] },
  { scenario: DUPLICATES, seeds: 5, marks: ['paxos.learned', 'paxos.finish-in-progress'] },
  { scenario: REPLAY, seeds: 5, marks: ['paxos.learned'] },
];
