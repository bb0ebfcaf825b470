/**
 * The README's example of faultline in a vitest suite, run exactly as written: it imports the
 * package by name (Node resolves a package's own name through its `exports`, so this is the
 * built dist/, as a user gets it), and its seed sweeps set their own timeouts, since vitest's
 * default of 5 s is less than they take on a slow machine. test/e2e/readme.test.ts keeps the
 * README block the same as this file from its first import on.
 */
// readme: vitest-example
import { fc, test } from '@fast-check/vitest';
import { expect, it } from 'vitest';
import { loadScenario, runScenario, runSeed, scenarioArbitrary } from 'faultline';

// Seed sweeps take seconds: give them more than vitest's default 5 s.
const TIMEOUT_MS = 120_000;

it(
  'pb-sync-crash survives 40 seeds',
  async () => {
    const run = await runScenario(
      'scenarios/fast/pb-sync-crash.yaml',
      { seeds: { from: 1, to: 40 } },
      { workers: 2 },
    );
    expect(run.failing.map((s) => s.seed)).toEqual([]); // run.verdict, run.results, run.replay
  },
  TIMEOUT_MS,
);

const base = await loadScenario('scenarios/fast/pb-sync-crash.yaml'); // a path or YAML text
test.prop([scenarioArbitrary(base, { maxFaults: 3 }), fc.nat()], { numRuns: 10 })(
  'no acknowledged write is lost',
  (scenario, seed) => {
    const { result } = runSeed(scenario, seed);
    expect(result.checks.find((c) => c.checker === 'durability')?.verdict).toBe('ok');
  },
  TIMEOUT_MS,
);
