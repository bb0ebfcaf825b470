/**
 * The catalogue's schedule of each Multi-Paxos named bug (../shared/research/bugs-and-fault-models.md
 * part B, items 16 and 17, for a log), scripted in scenarios/regressions/multi-paxos-*.yaml and
 * run with and without the bug at the pinned seed: the regression suite runs each without it
 * (valid); here the bug must make that one seed fail, caught by every checker named, or the
 * scenario no longer reproduces the bug.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runSeed } from '../../../../src/run/run-seed.js';
import { loadScenario } from '../../../../src/runner/load-scenario.js';

const CASES = [
  { bug: 'multi-paxos.ignore-promised-values', checkers: ['linearizability', 'agreement'] },
  {
    bug: 'multi-paxos.reply-before-durable',
    checkers: ['durability', 'linearizability', 'agreement'],
  },
] as const;

const fileOf = (bug: string) =>
  fileURLToPath(
    new URL(
      `../../../../scenarios/regressions/${bug.replace('multi-paxos.', 'multi-paxos-')}.yaml`,
      import.meta.url,
    ),
  );

describe.each(CASES)('$bug', ({ bug, checkers }) => {
  it(`its catalogue schedule trips it in one seed, caught by ${checkers.join(', ')}`, async () => {
    const { scenario } = await loadScenario(fileOf(bug));
    const seed = scenario.seed as number;
    const bad = runSeed(scenario, seed, { bugs: [bug] }).result;
    for (const checker of checkers)
      expect(bad.checks.find((c) => c.checker === checker)?.verdict, checker).toBe('violation');
    expect(runSeed(scenario, seed).result.verdict).toBe('valid');
  });
});
