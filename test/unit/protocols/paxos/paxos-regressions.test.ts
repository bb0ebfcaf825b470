/**
 * The catalogue's schedule of each Paxos named bug (../shared/research/bugs-and-fault-models.md
 * part B, items 14–18), scripted in scenarios/regressions/paxos-*.yaml and run with and without
 * the bug at the pinned seed: the regression suite runs each without it (valid); here the bug
 * must make that one seed fail, caught by the checker named, or the scenario no longer
 * reproduces the bug.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runSeed } from '../../../../src/run/run-seed.js';
import { loadScenario } from '../../../../src/runner/load-scenario.js';

const CASES = [
  { bug: 'paxos.accept-does-not-raise-promise', checker: 'agreement' },
  { bug: 'paxos.read-skips-in-progress', checker: 'linearizability' },
  { bug: 'paxos.ignore-accepted-value', checker: 'agreement' },
  { bug: 'paxos.reply-before-durable', checker: 'agreement' },
  { bug: 'paxos.ballot-reused-after-restart', checker: 'agreement' },
] as const;

const fileOf = (bug: string) =>
  fileURLToPath(
    new URL(
      `../../../../scenarios/regressions/${bug.replace('paxos.', 'paxos-')}.yaml`,
      import.meta.url,
    ),
  );

describe.each(CASES)('$bug', ({ bug, checker }) => {
  it(`its catalogue schedule trips it in one seed, caught by ${checker}`, async () => {
    const { scenario } = await loadScenario(fileOf(bug));
    const seed = scenario.seed as number;
    const bad = runSeed(scenario, seed, { bugs: [bug] }).result;
    expect(bad.checks.find((c) => c.checker === checker)?.verdict).toBe('violation');
    expect(runSeed(scenario, seed).result.verdict).toBe('valid');
  });
});
