/**
 * Raft's named bugs as canaries: for each, the scenario class that exposes it, the seed budget
 * the fuzzer finds it within (and the correct Raft passes clean), the checker that must fire, a
 * few seeds known to trip it, and what was measured. Shared by test/canary/raft.test.ts (the CI
 * form: the fixed seeds) and scripts/fuzz.ts (`npm run fuzz`: the full budgets).
 *
 * Budgets: about ln(1000) / measured hit rate, so a sweep of the budget misses the bug with odds
 * below one in a thousand.
 */
export interface RaftCanary {
  readonly bug: string;
  readonly scenario: string;
  readonly budget: number;
  readonly checker: string;
  readonly seeds: readonly number[];
  readonly measured: string;
}

const CRASH = 'scenarios/raft-crash.yaml';
const ELECTIONS = 'scenarios/raft-elections.yaml';
const POWER_LOSS = 'scenarios/raft-power-loss.yaml';
const PARTITION = 'scenarios/raft-partition.yaml';

export const RAFT_CANARIES: readonly RaftCanary[] = [
  {
    bug: 'raft.commit-previous-term',
    scenario: ELECTIONS,
    budget: 12000,
    checker: 'leader-completeness',
    seeds: [117],
    measured: '6/10,000 seeds (0.06%), first at 117, 1087, 4482',
  },
  {
    bug: 'raft.vote-before-persist',
    scenario: ELECTIONS,
    budget: 250,
    checker: 'election-safety',
    seeds: [3],
    measured: '10/300 seeds (3.3%), first at 3, 36, 48',
  },
  {
    bug: 'raft.truncate-on-stale-append',
    scenario: CRASH,
    budget: 10,
    checker: 'leader-completeness',
    seeds: [1],
    measured: '260/300 seeds (87%), first at 1, 2, 3',
  },
  {
    bug: 'raft.commit-past-verified',
    scenario: ELECTIONS,
    budget: 70,
    checker: 'state-machine-safety',
    seeds: [3],
    measured: '32/300 seeds (10.7%), first at 3, 5, 18',
  },
  {
    bug: 'raft.stale-read',
    scenario: PARTITION,
    budget: 600,
    checker: 'linearizability',
    seeds: [28],
    measured: '4/300 seeds (1.3%), first at 28, 154, 185',
  },
  {
    bug: 'raft.read-before-noop',
    scenario: POWER_LOSS,
    budget: 10,
    checker: 'linearizability',
    seeds: [2],
    measured: '161/300 seeds (54%), first at 2, 5, 6',
  },
  {
    bug: 'raft.ack-before-fsync',
    scenario: POWER_LOSS,
    budget: 200,
    checker: 'durability',
    seeds: [7],
    measured: '14/300 seeds (4.7%), first at 7, 13, 30',
  },
  {
    bug: 'raft.vote-index-only',
    scenario: ELECTIONS,
    budget: 100,
    checker: 'leader-completeness',
    seeds: [11],
    measured: '22/300 seeds (7.3%), first at 11, 15, 20',
  },
];
