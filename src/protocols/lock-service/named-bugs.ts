/**
 * The lock service's named bugs (README.md says where each comes from), with the canary that
 * proves the fuzzer still catches it, and the coverage marks its scenarios must hit, so a clean
 * sweep means the paths really ran: a lease passing on after it expired unreleased, a stale
 * write refused by its token, a lock server restarting; under `server: raft`, grants and
 * releases through the Raft group across leader crashes and partitions.
 */
import type { BugDefinition, CoverageDefinition } from '../../core/protocol-definition.js';

const PAUSE = 'scenarios/lock-pause.yaml';
const CRASH = 'scenarios/lock-crash.yaml';
const SKEW = 'scenarios/lock-skew.yaml';
const RAFT_CRASH = 'scenarios/lock-raft-crash.yaml';
const RAFT_PARTITION = 'scenarios/lock-raft-partition.yaml';

export const LOCK_NAMED_BUGS = [
  {
    name: 'lock-service.no-fencing-check',
    summary:
      'the store takes every write whatever its fencing token, so a holder paused past its ' +
      'lease writes after the next holder (catalogue B21: Kleppmann 2016; Jepsen etcd 3.4.3)',
    canary: {
      scenario: PAUSE,
      checker: 'mutual-exclusion',
      budget: 10,
      seeds: [1],
      measured: '86/200 seeds (43%), first at 1, 5, 6 (lock-skew: 148/200)',
    },
  },
  {
    name: 'lock-service.volatile-fencing-token',
    summary:
      'the lock server keeps its fencing-token counter in memory only, so after a restart it ' +
      'hands out tokens it already gave (the store then refuses the new holders, or takes two ' +
      'holders under one token)',
    canary: {
      scenario: CRASH,
      checker: 'mutual-exclusion',
      budget: 10,
      seeds: [2],
      measured: '195/200 seeds (97.5%), first at 2, 3, 4',
      says: 'fencing tokens must increase',
    },
  },
  {
    name: 'lock-service.grant-from-follower',
    summary:
      'server: raft: a follower answers an acquire from its own applied state, outside the log, ' +
      'with its applied index as the token, so a lock the leader granted, or another client ' +
      'the follower granted, is granted again (a serializable read taken for a linearizable ' +
      'one: Jepsen etcd 0.4.1 and Consul, catalogue B5)',
    canary: {
      scenario: RAFT_PARTITION,
      checker: 'mutual-exclusion',
      budget: 10,
      seeds: [1],
      measured: '188/200 seeds (94%), first at 1, 2, 3 (lock-raft-crash: 193/200)',
      says: 'fencing tokens must increase',
    },
  },
] as const satisfies readonly BugDefinition[];

export const LOCK_COVERAGE: readonly CoverageDefinition[] = [
  {
    scenario: PAUSE,
    seeds: 3,
    marks: ['lock.granted', 'lock.expired-lease-taken', 'lock.stale-token-rejected'],
  },
  { scenario: CRASH, seeds: 3, marks: ['lock.granted', 'lock.server-recovered'] },
  {
    scenario: SKEW,
    seeds: 3,
    marks: ['lock.expired-lease-taken', 'lock.stale-token-rejected', 'lock.renewed'],
  },
  // The lock table through Raft's snapshot seam: a lagging replica gets InstallSnapshot.
  {
    scenario: RAFT_CRASH,
    seeds: 3,
    marks: ['lock.granted', 'lock.released', 'raft.snapshot-installed'],
  },
  {
    scenario: RAFT_PARTITION,
    seeds: 3,
    marks: ['lock.granted', 'lock.expired-lease-taken', 'raft.snapshot-installed'],
  },
];
