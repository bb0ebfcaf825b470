/**
 * The search's own rules against the brute-force oracle, on wider histories than the generic
 * agreement test (up to 12 operations on up to 6 threads, intervals reaching far, a third of the
 * operations unknown): the pool of unknown writes with its classes of interchangeable members and
 * its dominance rule, the pool operation a later one overwrites, the reads that can never hold
 * (`Model.sets`, the appends still pending), the reads checked ahead, and the order candidates
 * are tried in. Each must keep the verdict exact.
 */
import { describe, expect } from 'vitest';
import { test } from '@fast-check/vitest';
import { bruteForceLinearizable } from '../../src/checkers/linearizability/brute-force.js';
import { checkLinearizable } from '../../src/checkers/linearizability/check.js';
import { findModel } from '../../src/checkers/linearizability/models/index.js';
import type { LinOp } from '../../src/checkers/linearizability/types.js';
import { wideArb } from './linearizability-generators.js';

/** The models whose rules differ: registers (pool, overwrites, sets) and kv (pending appends). */
const MODELS = ['register', 'cas-register', 'kv', 'kv-list'] as const;
const RUNS = 1_500;

describe('the search on wide histories agrees with brute force', () => {
  for (const name of MODELS) {
    const model = findModel(name)!;
    test.prop([wideArb(name)], { numRuns: RUNS })(name, (ops: LinOp[]) => {
      const expected = bruteForceLinearizable(ops, model) ? 'ok' : 'violation';
      expect(checkLinearizable(ops, model, { evidence: false }).verdict, JSON.stringify(ops)).toBe(
        expected,
      );
    });
  }
});
