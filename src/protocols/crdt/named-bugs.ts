/**
 * The crdt protocol's named bugs, each a real one (README.md says where it happened), with the
 * canary that proves the fuzzer still catches it: the scenario class that exposes it, the
 * checker that must fire, the seed budget (the fuzzer finds it within seeds 1..budget and the
 * correct protocol passes every one of them), the seeds CI replays, and what was measured. Three
 * are the data types' own mutations (components/crdt/named-bugs.ts), switched on through the
 * protocol; two are the protocol's. And the coverage marks its scenarios must hit.
 *
 * Budgets are about ln(1000) / measured hit rate, so a sweep of the budget misses the bug with
 * odds below one in a thousand.
 */
import type { BugDefinition, CoverageDefinition } from '../../core/protocol-definition.js';
import type { CrdtBug } from '../../components/crdt/named-bugs.js';

const COUNTER = 'scenarios/crdt-counter.yaml';
const OR_SET = 'scenarios/crdt-or-set.yaml';
const REGISTER = 'scenarios/crdt-register.yaml';
const TEXT = 'scenarios/crdt-text.yaml';

export const CRDT_NAMED_BUGS = [
  {
    name: 'crdt.or-set-no-unique-tags',
    summary:
      'the OR-Set tags an add with the element instead of a fresh dot, so a remove cancels concurrent adds of it (catalogue #36)',
    // The replicas still converge (the states form a lattice): only the specification tells.
    canary: {
      scenario: OR_SET,
      checker: 'convergence',
      says: 'specification',
      budget: 10,
      seeds: [1],
      measured: '197/200 seeds (98.5%), first at 1, 2, 3',
    },
  },
  {
    name: 'crdt.orswot-merge-keeps-present',
    summary:
      'the ORSWOT merge keeps an element both sides hold with all its dots, though one side removed some (basho/riak_dt#82)',
    // Exact schedule: scenarios/regressions/crdt-riak-dt-82.yaml.
    canary: {
      scenario: OR_SET,
      checker: 'convergence',
      budget: 20,
      seeds: [1],
      measured: '71/200 seeds (35.5%), first at 1, 5, 6',
    },
  },
  {
    name: 'crdt.g-counter-merge-sums',
    summary:
      'the G-Counter merge adds the counts instead of taking the maximum, so every merge counts a delta again',
    // Counts double with every delta merged and pass 2^53 within the first second: the vector
    // clock's own guard trips before the run can end, so the finding is an assertion.
    canary: {
      scenario: COUNTER,
      checker: 'invariants',
      says: 'bad counter',
      budget: 10,
      seeds: [1],
      measured: '300/300 seeds trip the assertion, first at seed 1',
    },
  },
  {
    name: 'crdt.ack-before-fsync',
    summary:
      'acknowledge an update before its WAL record is durable (nats-server#7564, ZOOKEEPER-4646)',
    canary: {
      scenario: COUNTER,
      checker: 'convergence',
      says: 'acknowledged updates are missing',
      budget: 25,
      seeds: [3],
      measured: '93/300 seeds (31%), first at 3, 5, 12',
    },
  },
  {
    name: 'crdt.reset-delta-on-send',
    summary:
      'count a delta group delivered once sent and forget it, without the peer’s acknowledgement (swift-distributed-actors#210)',
    canary: {
      scenario: COUNTER,
      checker: 'convergence',
      says: 'replicas diverged',
      budget: 35,
      seeds: [3],
      measured: '67/300 seeds (22.3%), first at 3, 5, 8',
    },
  },
] as const satisfies readonly BugDefinition[];

/** The protocol's bug names that switch on a data type's own mutation. */
const LIBRARY_BUGS: Readonly<Record<string, CrdtBug>> = {
  'crdt.or-set-no-unique-tags': 'or-set.no-unique-tags',
  'crdt.orswot-merge-keeps-present': 'or-set.merge-keeps-present-on-both',
  'crdt.g-counter-merge-sums': 'g-counter.merge-sums',
};

/** The library mutations the protocol's named bugs `bugs` stand for. */
export function libraryBugs(bugs: ReadonlySet<string>): ReadonlySet<string> {
  const out = new Set<string>();
  for (const bug of bugs) {
    const lib = LIBRARY_BUGS[bug];
    if (lib !== undefined) out.add(lib);
  }
  return out;
}

export const CRDT_COVERAGE: readonly CoverageDefinition[] = [
  {
    scenario: COUNTER,
    seeds: 10,
    marks: [
      'crdt.delta-sent',
      'crdt.full-state-sent',
      'crdt.causal-gap-refused',
      'crdt.recovered',
      'crdt.wal-torn-tail',
    ],
  },
  { scenario: OR_SET, seeds: 10, marks: ['crdt.delta-sent', 'crdt.full-state-sent'] },
  { scenario: REGISTER, seeds: 10, marks: ['crdt.delta-sent', 'crdt.full-state-sent'] },
  { scenario: TEXT, seeds: 10, marks: ['crdt.delta-sent', 'crdt.full-state-sent'] },
];
