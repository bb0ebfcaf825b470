/**
 * The model variants `faultline check` builds from options rather than names agree with the
 * brute-force oracle like the named models do (linearizability.test.ts): the registers in
 * Knossos's semantics (`--initial`: an initial value, a read of nil matching anything), a
 * multi-register with an initial map, and jepsen.independent copies (`--independent`), which
 * the checker splits by key and the oracle does not. Each violation's evidence is re-checked.
 */
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { bruteForceLinearizable } from '../../src/checkers/linearizability/brute-force.js';
import { checkLinearizable } from '../../src/checkers/linearizability/check.js';
import { cutHistory } from '../../src/checkers/linearizability/evidence.js';
import { createModel } from '../../src/checkers/linearizability/models/index.js';
import type { AnyModel } from '../../src/checkers/linearizability/types.js';
import type { LinOp } from '../../src/checkers/linearizability/types.js';
import {
  almostLinearizableArb,
  historyArb,
  infoHeavyArb,
  VARIANT_SPECS,
} from './linearizability-generators.js';

/** 3,000 random histories per variant in all, and 1,000 where half the operations are unknown. */
const RUNS = 1_500;
const INFO_HEAVY_RUNS = 1_000;

const VARIANTS: Record<string, AnyModel> = {
  'cas-register --initial 0': createModel('cas-register', { initial: 0 })!,
  'register --initial 0': createModel('register', { initial: 0 })!,
  'multi-register --initial {:x 0}': createModel('multi-register', {
    initial: new Map([[':x', '0']]),
  })!,
  'multi-register --independent': createModel('multi-register', { independent: true })!,
  'cas-register --independent': createModel('cas-register', { independent: true })!,
  'mutex --independent': createModel('mutex', { independent: true })!,
};

describe('model variants vs brute force', () => {
  test('every variant the generators know is built here', () => {
    expect(Object.keys(VARIANTS).sort()).toEqual(Object.keys(VARIANT_SPECS).sort());
  });

  for (const [name, model] of Object.entries(VARIANTS)) {
    const agrees = (ops: LinOp[]) => {
      const r = checkLinearizable(ops, model);
      expect(r.verdict, JSON.stringify(ops)).toBe(
        bruteForceLinearizable(ops, model) ? 'ok' : 'violation',
      );
      if (r.verdict !== 'violation') return;
      const ev = r.evidence!;
      expect(bruteForceLinearizable(cutHistory(ops, new Set(ev.prefix), ev.cut), model)).toBe(
        false,
      );
      expect(bruteForceLinearizable(cutHistory(ops, new Set(ev.windowIds), ev.cut), model)).toBe(
        false,
      );
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
    test(`${name}: the generators give both verdicts`, () => {
      const verdicts = fc
        .sample(almostLinearizableArb(name), { numRuns: 300, seed: 3 })
        .map((h) => bruteForceLinearizable(h, model));
      expect(verdicts.filter((v) => v).length).toBeGreaterThan(20);
      expect(verdicts.filter((v) => !v).length).toBeGreaterThan(20);
    });
  }
});
