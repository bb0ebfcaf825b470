/**
 * Canaries for Raft (DESIGN §8). Each named bug has a scenario class, a stated seed budget (the
 * fuzzer finds it within seeds 1..budget, and the correct Raft passes all of them), and here, in
 * CI, its short form: a few fixed seeds known to trip it, each caught by the checker that is
 * supposed to catch it, while the correct Raft passes the very same seeds. If a canary stops
 * failing, the harness is broken (or the protocol's behaviour moved: re-measure with
 * `npm run fuzz`, which sweeps every budget in full, and take the seeds it reports).
 *
 * The budgets come from measured hit rates (`measured`), chosen so that a sweep of the budget
 * misses the bug with odds below one in a thousand.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadScenario, type LoadedScenario } from '../../src/runner/load-scenario.js';
import { runSeed } from '../../src/run/run-seed.js';
import { RAFT_CANARIES } from './raft-canaries.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const loaded = new Map<string, LoadedScenario>();

beforeAll(async () => {
  for (const file of new Set(RAFT_CANARIES.map((c) => c.scenario)))
    loaded.set(file, await loadScenario(join(ROOT, file)));
});

const problems = (checks: readonly { checker: string; verdict: string; summary: string }[]) =>
  checks.filter((c) => c.verdict !== 'ok').map((c) => `${c.checker}/${c.verdict}: ${c.summary}`);

describe.each(RAFT_CANARIES)('canary $bug on $scenario (budget $budget seeds)', (c) => {
  test(`seeds ${c.seeds.join(', ')} trip it, caught by ${c.checker}`, () => {
    const { scenario } = loaded.get(c.scenario) as LoadedScenario;
    for (const seed of c.seeds) {
      const { result } = runSeed(scenario, seed, { bugs: [c.bug] });
      const bad = result.checks.filter((x) => x.verdict === 'violation').map((x) => x.checker);
      expect(
        bad,
        `${c.bug} seed ${seed} (measured: ${c.measured}): ${problems(result.checks).join('; ')}`,
      ).toContain(c.checker);
    }
  });

  test(`the correct Raft passes seeds ${c.seeds.join(', ')}`, () => {
    const { scenario } = loaded.get(c.scenario) as LoadedScenario;
    for (const seed of c.seeds) {
      const { result } = runSeed(scenario, seed);
      expect(problems(result.checks), `seed ${seed}`).toEqual([]);
    }
  });
});
