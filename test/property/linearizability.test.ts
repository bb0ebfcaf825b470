/**
 * The checker agrees with a brute-force oracle (every order consistent with real time) on many
 * small random histories per model, with unknown operations and concurrency, including histories
 * biased to be almost linearizable and histories where half the operations are unknown; and every
 * violation's evidence window is non-linearizable.
 */
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import {
  bruteForceLinearizable,
  withoutPartitions,
} from '../../src/checkers/linearizability/brute-force.js';
import { checkLinearizable } from '../../src/checkers/linearizability/check.js';
import { cutHistory } from '../../src/checkers/linearizability/evidence.js';
import { findModel } from '../../src/checkers/linearizability/models/index.js';
import { searchLinearization } from '../../src/checkers/linearizability/search.js';
import {
  almostLinearizableArb,
  GENERATED_MODEL_NAMES,
  historyArb,
  infoHeavyArb,
} from './linearizability-generators.js';

/** 10,000 random histories per model in all: 5,000 uniform and 5,000 almost linearizable. */
const RUNS = 5_000;
/** Plus 1,500 per model where every other operation is unknown. */
const INFO_HEAVY_RUNS = 1_500;

describe('linearizability checker vs brute force', () => {
  for (const name of GENERATED_MODEL_NAMES) {
    const model = findModel(name)!;
    const agrees = (ops: Parameters<typeof bruteForceLinearizable>[0]) => {
      const r = checkLinearizable(ops, model);
      const oracle = bruteForceLinearizable(ops, model);
      expect(r.verdict, JSON.stringify(ops)).toBe(oracle ? 'ok' : 'violation');
      if (r.verdict === 'violation') {
        // Evidence checked by the oracle: cut at the culprit's return the prefix fails, and
        // without its culprit it does not; the window fails with every other operation unknown.
        const ev = r.evidence!;
        expect(ev.prefixMinimal).toBe(true);
        const prior = ev.prefix.filter((id) => id !== ev.culprit.id);
        const priorCut = Math.max(
          -Infinity,
          ...prior.map((id) => ops.find((o) => o.id === id)!.ret),
        );
        expect(bruteForceLinearizable(cutHistory(ops, new Set(ev.prefix), ev.cut), model)).toBe(
          false,
        );
        expect(bruteForceLinearizable(cutHistory(ops, new Set(prior), priorCut), model)).toBe(true);
        expect(bruteForceLinearizable(cutHistory(ops, new Set(ev.windowIds), ev.cut), model)).toBe(
          false,
        );
        // Full evidence: the window is the smallest (without its earliest-completed operation,
        // it can be linearized).
        const full = checkLinearizable(ops, model, { evidence: 'full' }).evidence!;
        expect(full.windowMinimal).toBe(true);
        const byRet = full.windowIds
          .map((id) => ops.find((o) => o.id === id)!)
          .sort((a, b) => a.ret - b.ret || a.id - b.id);
        const smaller = byRet.slice(1).map((o) => o.id);
        expect(bruteForceLinearizable(cutHistory(ops, new Set(smaller), full.cut), model)).toBe(
          true,
        );
      }
    };
    test.prop([historyArb(name)], { numRuns: RUNS })(`${name}: random histories`, agrees);
    test.prop([almostLinearizableArb(name)], { numRuns: RUNS })(
      `${name}: almost-linearizable histories`,
      agrees,
    );
    test.prop([infoHeavyArb(name)], { numRuns: INFO_HEAVY_RUNS })(
      `${name}: histories where half the operations are unknown`,
      agrees,
    );
  }

  test.prop([fc.constantFrom(...GENERATED_MODEL_NAMES), fc.integer({ min: 1, max: 1_000_000 })], {
    numRuns: 300,
  })('splitting by key never changes the verdict (P-compositionality)', (name, seed) => {
    const model = findModel(name)!;
    const ops = fc.sample(historyArb(name), { numRuns: 1, seed })[0]!;
    const whole = searchLinearization(ops, withoutPartitions(model)).verdict;
    expect(checkLinearizable(ops, model).verdict).toBe(whole);
    expect(checkLinearizable(ops, model, { noPartition: true }).verdict).toBe(whole);
  });
});
