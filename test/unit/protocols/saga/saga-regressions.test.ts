/**
 * The catalogue's schedule of each saga named bug (../shared/research/bugs-and-fault-models.md
 * part B, items 33 and 34), scripted in scenarios/regressions/saga-*.yaml, run with and without
 * the bug at the pinned seed: the regression suite runs each without it (valid); here the bug
 * must make that one seed fail, caught by saga-completion saying what broke, or the scenario no
 * longer reproduces the bug.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runSeed } from '../../../../src/run/run-seed.js';
import { loadScenario } from '../../../../src/runner/load-scenario.js';

const CASES = [
  { bug: 'saga.forward-compensation', says: /compensations must run in reverse order/ },
  { bug: 'saga.non-idempotent-compensation', says: /compensation ran 2 times/ },
] as const;

const fileOf = (bug: string) =>
  fileURLToPath(
    new URL(
      `../../../../scenarios/regressions/${bug.replace('saga.', 'saga-')}.yaml`,
      import.meta.url,
    ),
  );

describe.each(CASES)('$bug', ({ bug, says }) => {
  it('its schedule trips it in one seed, caught by saga-completion', async () => {
    const { scenario } = await loadScenario(fileOf(bug));
    const seed = scenario.seed as number;
    const bad = runSeed(scenario, seed, { bugs: [bug] }).result;
    const check = bad.checks.find((c) => c.checker === 'saga-completion');
    expect(check?.verdict).toBe('violation');
    expect(check?.summary).toMatch(says);
    expect(runSeed(scenario, seed).result.verdict).toBe('valid');
  });
});
