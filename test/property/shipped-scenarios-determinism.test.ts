/**
 * Every shipped scenario is deterministic (DESIGN §4, §8): it parses, and for a few seeds two
 * runs give the same trace hash and the same client history, byte for byte. The files are found
 * when the tests are collected (scenarios/**\/*.yaml and examples/**\/*.yaml), so a scenario added
 * later is covered without touching this test.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { loadScenario } from '../../src/runner/load-scenario.js';
import { stableStringify } from '../../src/core/encoding.js';
import { runSeed } from '../../src/run/run-seed.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SEEDS = [1, 2, 3];

/** Repository-relative paths of the scenario files under `dir`, sorted. */
function scenarioFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => `${dir}/${f.split('\\').join('/')}`)
    .sort();
}

const FILES = [...scenarioFiles('scenarios'), ...scenarioFiles('examples')];

test('the shipped scenario files are found', () => {
  expect(FILES.length).toBeGreaterThan(0);
  expect(FILES).toContain('scenarios/showcase.yaml');
  expect(FILES).toContain('examples/gossip-kv/gossip.yaml');
});

describe.each(FILES)('%s', (file) => {
  test(`parses, and seeds ${SEEDS.join(', ')} each run twice to the same trace hash and history`, async () => {
    const { scenario } = await loadScenario(join(ROOT, file));
    for (const seed of SEEDS) {
      const a = runSeed(scenario, seed);
      const b = runSeed(scenario, seed);
      expect(b.result.traceHash, `${file} seed ${seed}: trace hash`).toBe(a.result.traceHash);
      expect(stableStringify(b.history), `${file} seed ${seed}: history`).toBe(
        stableStringify(a.history),
      );
      expect(b.result.verdict, `${file} seed ${seed}: verdict`).toBe(a.result.verdict);
      expect(a.result.events, `${file} seed ${seed}: ran`).toBeGreaterThan(0);
    }
  });
});
