/**
 * The search's pruning rules against the brute-force oracle, each on the histories where it acts:
 * wider ones than the generic agreement test (up to 12 operations on up to 6 threads, intervals
 * reaching far, a third of the operations unknown), and ones whose unknown operations were all
 * called at the start, so that those that cancel out can be used early or late (the visited
 * set's dominance rule). Then every rule's deliberately broken variant (search-mutations.ts) must
 * be caught by the same property, or the property is too weak to vouch for the rule.
 */
import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { bruteForceLinearizable } from '../../src/checkers/linearizability/brute-force.js';
import { checkLinearizable } from '../../src/checkers/linearizability/check.js';
import { findModel } from '../../src/checkers/linearizability/models/index.js';
import {
  SEARCH_MUTATIONS,
  type SearchMutation,
} from '../../src/checkers/linearizability/search-mutations.js';
import type { LinOp } from '../../src/checkers/linearizability/types.js';
import {
  almostLinearizableArb,
  GENERATED_MODEL_NAMES,
  historyArb,
  poolArb,
  wideArb,
} from './linearizability-generators.js';

const RUNS = 1_000;

/** Whether the search, broken by `mutation` or not, gives the oracle's verdict. */
function agrees(name: string, ops: readonly LinOp[], mutation?: SearchMutation): boolean {
  const model = findModel(name)!;
  const verdict = checkLinearizable(ops, model, {
    evidence: false,
    ...(mutation !== undefined ? { mutation } : {}),
  }).verdict;
  return verdict === (bruteForceLinearizable(ops, model) ? 'ok' : 'violation');
}

describe('the search agrees with brute force where its rules act', () => {
  for (const name of GENERATED_MODEL_NAMES) {
    test.prop([wideArb(name)], { numRuns: RUNS })(`${name}: wide histories`, (ops) => {
      expect(agrees(name, ops), JSON.stringify(ops)).toBe(true);
    });
    test.prop([poolArb(name)], { numRuns: RUNS })(`${name}: unknown operations first`, (ops) => {
      expect(agrees(name, ops), JSON.stringify(ops)).toBe(true);
    });
  }
});

/**
 * Where each broken variant shows: the model and histories, and the seed of the run that finds
 * it (a fixed seed keeps the test deterministic; any seed finds it within a few thousand runs).
 */
const CAUGHT: Record<
  SearchMutation,
  { model: string; arb: (name: string) => fc.Arbitrary<LinOp[]>; seed: number }
> = {
  'read-only-first.past-return': { model: 'register', arb: almostLinearizableArb, seed: 7 },
  'pool-classes.latest-first': { model: 'mutex', arb: wideArb, seed: 42 },
  'pool-dominance.reversed': { model: 'fifo-queue', arb: poolArb, seed: 1 },
  'pool-unchanged.known-too': { model: 'register', arb: wideArb, seed: 42 },
  'pool-overwritten.any-legal': { model: 'kv', arb: wideArb, seed: 42 },
  'doomed-reads.ignore-writes': { model: 'cas-register', arb: wideArb, seed: 42 },
  'pending-appends.by-call': { model: 'kv-list', arb: almostLinearizableArb, seed: 42 },
  'reads-ahead.unknown-too': { model: 'register', arb: wideArb, seed: 42 },
  'doom-from-start.by-call': { model: 'register', arb: historyArb, seed: 1 },
};

describe('every broken rule is caught by the property', () => {
  it('names every mutation the search has', () => {
    expect(Object.keys(CAUGHT).sort()).toEqual(SEARCH_MUTATIONS.map((m) => m.name).sort());
  });

  for (const { name: mutation, summary } of SEARCH_MUTATIONS) {
    it(`${mutation}: ${summary}`, () => {
      const { model, arb, seed } = CAUGHT[mutation];
      const run = fc.check(
        fc.property(arb(model), (ops) => agrees(model, ops, mutation)),
        { numRuns: 5_000, seed, endOnFailure: true },
      );
      expect(run.failed).toBe(true);
      // The history it fails on is one the correct search gets right.
      const [ops] = run.counterexample!;
      expect(agrees(model, ops)).toBe(true);
    });
  }
});
