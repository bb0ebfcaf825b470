/**
 * The dynamo protocol's named bugs, each a real one (README.md says where it happened), with the
 * canary that proves the fuzzer still catches it: the scenario class that exposes it, the checker
 * that must fire, the seed budget, the seeds CI replays, and what was measured. And the coverage
 * marks its scenarios must hit.
 *
 * Budgets are about ln(1000) / measured hit rate, so a sweep of the budget misses the bug with
 * odds below one in a thousand.
 */
import type { BugDefinition, CoverageDefinition } from '../../core/protocol-definition.js';

export const DYNAMO_NAMED_BUGS: readonly BugDefinition[] = [
  {
    name: 'dynamo.lww-wall-clock',
    summary:
      'last-writer-wins stamps writes with the coordinator’s wall clock, without a read first: a node whose clock runs ahead wins over later writes (catalogue #38)',
  },
  {
    name: 'dynamo.compare-ignores-missing',
    summary:
      'a version is judged obsolete by a vector-clock compare that skips nodes only it has seen, so a concurrent sibling is dropped (catalogue #39, GoVector#68)',
  },
  {
    name: 'dynamo.volatile-hints',
    summary:
      'a fallback keeps hinted writes in memory only and acknowledges them at once: a crash before handoff drops acknowledged writes',
  },
  {
    name: 'dynamo.stale-read-repair',
    summary:
      'read repair replaces a replica’s versions with what the read resolved, over any newer write that reached it meanwhile',
  },
];

export const DYNAMO_COVERAGE: readonly CoverageDefinition[] = [];
