/**
 * The lock service's named bugs (README.md says where each comes from), with the canary that
 * proves the fuzzer still catches it, and the coverage marks its scenarios must hit, so a clean
 * sweep means the paths really ran: a lease passing on after it expired unreleased, a stale
 * write refused by its token, a lock server restarting.
 */
import type { BugDefinition, CoverageDefinition } from '../../core/protocol-definition.js';

const PAUSE = 'scenarios/lock-pause.yaml';
const CRASH = 'scenarios/lock-crash.yaml';
const SKEW = 'scenarios/lock-skew.yaml';

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
];
