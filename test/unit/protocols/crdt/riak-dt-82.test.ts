/**
 * basho/riak_dt#82's schedule, scripted in scenarios/regressions/crdt-riak-dt-82.yaml, run with
 * and without the bug: the regression suite runs it without (valid at its pinned seed); here the
 * bug must make it fail, or the scenario no longer reproduces the report.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { runSeed } from '../../../../src/run/run-seed.js';
import { loadScenario } from '../../../../src/runner/load-scenario.js';

const FILE = fileURLToPath(
  new URL('../../../../scenarios/regressions/crdt-riak-dt-82.yaml', import.meta.url),
);

it('the ORSWOT merge that keeps an element present on both sides brings back a removed dot', async () => {
  const { scenario } = await loadScenario(FILE);
  const seed = scenario.seed as number;
  const bad = runSeed(scenario, seed, { bugs: ['crdt.orswot-merge-keeps-present'] }).result;
  const finding = bad.checks.find((c) => c.checker === 'convergence');
  expect(finding?.verdict).toBe('violation');
  expect(finding?.summary).toMatch(/element "x": dots \{n1:1\}/);
  const good = runSeed(scenario, seed).result;
  expect(good.checks.find((c) => c.checker === 'convergence')?.summary).toMatch(
    /^3 replicas converged .* to \[\], the specification of 4 updates \(4 acknowledged/,
  );
  expect(join(scenario.file)).toContain('crdt-riak-dt-82');
});
