/**
 * The cluster's named bugs (README.md, "Named bugs"), each a switchable mutation of one step of
 * a reconfiguration, with the canary that proves the fuzzer still catches it: the scenario that
 * exposes it, the checker that must fire, the seed budget, and the figures measured over 200
 * seeds while the correct protocol passes the same seeds.
 */
import type { BugDefinition } from '../../core/protocol-definition.js';

const PAUSE = 'scenarios/cluster-pause.yaml';

export const CLUSTER_NAMED_BUGS = [
  {
    name: 'cluster.fixed-timeout-two-primaries',
    summary:
      'a storage node adopting a map that supersedes one of its groups keeps that group running ' +
      '(and copies its files while it runs), so when a fixed-timeout detector declares a paused ' +
      'primary dead, the paused node resumes into an old epoch that still commits beside the new ' +
      'one: two primaries for one shard',
    canary: {
      scenario: PAUSE,
      checker: 'linearizability',
      budget: 10,
      seeds: [1],
      measured: 'to measure',
    },
  },
  {
    name: 'cluster.copy-drops-writes',
    summary:
      'a survivor copies its old group\'s files into the new epoch while the old group goes on ' +
      'serving the shard, and stops it only once the copy is durable: writes the old group ' +
      'acknowledges during the copy are not in the new epoch',
    canary: {
      scenario: PAUSE,
      checker: 'durability',
      budget: 20,
      seeds: [1],
      measured: 'to measure',
    },
  },
] as const satisfies readonly BugDefinition[];
