/**
 * The catalogue's schedule of each two-phase commit named bug (../shared/research/
 * bugs-and-fault-models.md part B, items 31 and 32), scripted in
 * scenarios/regressions/2pc-*.yaml, and the early read-lock release on a pinned seed, run with
 * and without the bug at the pinned seed: the regression suite runs each without it (valid);
 * here the bug must make that one seed fail, caught by the checker named, or the scenario no
 * longer reproduces the bug.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runSeed } from '../../../../src/run/run-seed.js';
import { loadScenario } from '../../../../src/runner/load-scenario.js';

const CASES = [
  { bug: 'two-phase-commit.participant-forgets-prepared', checker: 'atomicity' },
  { bug: 'two-phase-commit.commit-on-vote-timeout', checker: 'atomicity' },
  { bug: 'two-phase-commit.send-before-logging-decision', checker: 'atomicity' },
  { bug: 'two-phase-commit.early-read-lock-release', checker: 'serializability' },
] as const;

const fileOf = (bug: string) =>
  fileURLToPath(
    new URL(
      `../../../../scenarios/regressions/${bug.replace('two-phase-commit.', '2pc-')}.yaml`,
      import.meta.url,
    ),
  );

describe.each(CASES)('$bug', ({ bug, checker }) => {
  it(`its schedule trips it in one seed, caught by ${checker}`, async () => {
    const { scenario } = await loadScenario(fileOf(bug));
    const seed = scenario.seed as number;
    const bad = runSeed(scenario, seed, { bugs: [bug] }).result;
    expect(bad.checks.find((c) => c.checker === checker)?.verdict).toBe('violation');
    expect(runSeed(scenario, seed).result.verdict).toBe('valid');
  });
});
