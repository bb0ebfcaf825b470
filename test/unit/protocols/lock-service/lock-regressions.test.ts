/**
 * The catalogue's schedule of the lock service's named bug B21 (../shared/research/
 * bugs-and-fault-models.md part B, item 21), scripted in
 * scenarios/regressions/lock-no-fencing-check.yaml, run with and without the bug at its pinned
 * seed: the regression suite runs it without (valid); here the bug must make that one seed
 * fail, caught by mutual-exclusion as a stale token taken, or the schedule no longer
 * reproduces Kleppmann's paused holder.
 */
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { runSeed } from '../../../../src/run/run-seed.js';
import { loadScenario } from '../../../../src/runner/load-scenario.js';

const FILE = fileURLToPath(
  new URL('../../../../scenarios/regressions/lock-no-fencing-check.yaml', import.meta.url),
);

it('a holder paused past its lease writes after the next holder, unless the store fences', async () => {
  const { scenario } = await loadScenario(FILE);
  const seed = scenario.seed as number;
  const bad = runSeed(scenario, seed, { bugs: ['lock-service.no-fencing-check'] }).result;
  const found = bad.checks.find((c) => c.checker === 'mutual-exclusion');
  expect(found?.verdict).toBe('violation');
  expect(found?.summary).toMatch(/took c1\.1's write c1\.1\.w1 with token 1 after c2\.\d+'s/);
  const good = runSeed(scenario, seed).result;
  expect(good.verdict).toBe('valid');
  expect(good.stats.marks['lock.stale-token-rejected']).toBeGreaterThan(0);
});
