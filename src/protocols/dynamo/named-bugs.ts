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

const QUORUM = 'scenarios/dynamo-quorum.yaml';
const SLOPPY = 'scenarios/dynamo-sloppy.yaml';
const HINTS = 'scenarios/dynamo-hints.yaml';
const LWW = 'scenarios/dynamo-lww.yaml';
const DELETES = 'scenarios/dynamo-deletes.yaml';

export const DYNAMO_NAMED_BUGS: readonly BugDefinition[] = [
  {
    name: 'dynamo.lww-wall-clock',
    summary:
      'last-writer-wins stamps writes with the coordinator’s wall clock, without a read first: a node whose clock runs ahead wins over later writes (catalogue #38)',
    canary: {
      scenario: LWW,
      checker: 'durability',
      budget: 25,
      seeds: [5],
      measured: '86/300 seeds (28.7%), first at 5, 6, 7',
    },
  },
  {
    name: 'dynamo.compare-ignores-missing',
    summary:
      'a version is judged obsolete by a vector-clock compare that skips nodes only it has seen, so a concurrent sibling is dropped (catalogue #39, GoVector#68)',
    // Convergence names the dropped sibling on every seed; durability only when the final get
    // misses it (8 of the first 10), since anti-entropy spreads the drop to every home replica.
    canary: {
      scenario: SLOPPY,
      checker: 'convergence',
      budget: 10,
      seeds: [1],
      measured: '100/100 seeds (100%), first at 1, 2, 3 (durability: 100/100)',
    },
  },
  {
    name: 'dynamo.volatile-hints',
    summary:
      'a fallback keeps hinted writes in memory only and acknowledges them at once: a crash before handoff drops acknowledged writes',
    // Rare by nature: a fallback must take the write, crash before its home node is back, and
    // the final read must miss the one home node that has it. Anti-entropy would carry the write
    // home from that node (0 of 300 seeds on dynamo-sloppy), so the canary runs without it.
    canary: {
      scenario: HINTS,
      checker: 'durability',
      budget: 450,
      seeds: [102],
      measured: '5/300 seeds (1.67%), first at 102, 117, 180',
    },
  },
  {
    name: 'dynamo.stale-read-repair',
    summary:
      'read repair is sent late with what the client got and replaces each replica’s versions with it, over any newer write that reached it meanwhile',
    canary: {
      scenario: QUORUM,
      checker: 'durability',
      budget: 8,
      seeds: [1],
      measured: '266/300 seeds (88.7%), first at 1, 2, 3 (convergence: 281/300)',
    },
  },
  {
    name: 'dynamo.tombstone-gc-before-anti-entropy',
    summary:
      'tombstones, and the data they shadow, are purged after a fixed grace period whether or not every home replica has the delete: a replica that missed it brings the value back through anti-entropy (catalogue #26, Cassandra gc_grace_seconds)',
    // A home node must miss the delete (partitioned or down) for longer than the grace period,
    // and the final get must read the value it brings back. Convergence catches 13 more: a node
    // that purged a key without a floor gives a dot again, which a replica still holding the
    // tombstone refuses.
    canary: {
      scenario: DELETES,
      checker: 'durability',
      budget: 48,
      seeds: [6],
      measured: '44/300 seeds (14.7%), first at 6, 13, 16 (any checker: 57/300)',
    },
  },
];

export const DYNAMO_COVERAGE: readonly CoverageDefinition[] = [
  {
    scenario: QUORUM,
    seeds: 5,
    marks: ['dynamo.siblings', 'dynamo.read-repair', 'dynamo.recovered'],
  },
  {
    scenario: SLOPPY,
    seeds: 5,
    marks: [
      'dynamo.sloppy-fallback',
      'dynamo.hint-stored',
      'dynamo.handoff-delivered',
      'dynamo.read-repaired',
      'dynamo.recovered',
    ],
  },
  { scenario: LWW, seeds: 5, marks: ['dynamo.read-repair', 'dynamo.recovered'] },
  { scenario: DELETES, seeds: 5, marks: ['dynamo.tombstone-reaped', 'dynamo.read-repair'] },
];
