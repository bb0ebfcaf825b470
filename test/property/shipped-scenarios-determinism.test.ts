/**
 * Every shipped scenario is deterministic (DESIGN §4, §8): it parses, and for a few seeds two
 * runs give the same trace hash and the same client history, byte for byte. The files are found
 * when the tests are collected (scenarios/**\/*.yaml and examples/**\/*.yaml), so a scenario added
 * later is covered without touching this test. A lesson file (`variants:`) is checked variant by
 * variant.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parseLesson } from '../../src/compare/lesson-file.js';
import { loadScenario } from '../../src/runner/load-scenario.js';
import { formatScenarioError, type Scenario } from '../../src/scenario/index.js';
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

/** A scenario file's scenario, or each variant of a lesson file (`faultline compare`'s). */
async function scenariosOf(file: string): Promise<Scenario[]> {
  const path = join(ROOT, file);
  const text = readFileSync(path, 'utf8');
  if (!/^variants:/m.test(text)) return [(await loadScenario(path)).scenario];
  const lesson = await parseLesson(text, path);
  if (!lesson.ok) throw new Error(lesson.errors.map(formatScenarioError).join('\n'));
  return lesson.lesson.variants.map((v) => v.scenario);
}

describe.each(FILES)('%s', (file) => {
  test(`parses, and seeds ${SEEDS.join(', ')} each run twice to the same trace hash and history`, async () => {
    for (const scenario of await scenariosOf(file)) twice(file, scenario);
  });
});

/** Each seed twice: the same trace hash, history and verdict. */
function twice(file: string, scenario: Scenario): void {
  const where = `${file} (${scenario.name})`;
  for (const seed of SEEDS) {
    const a = runSeed(scenario, seed);
    const b = runSeed(scenario, seed);
    expect(b.result.traceHash, `${where} seed ${seed}: trace hash`).toBe(a.result.traceHash);
    expect(stableStringify(b.history), `${where} seed ${seed}: history`).toBe(
      stableStringify(a.history),
    );
    expect(b.result.verdict, `${where} seed ${seed}: verdict`).toBe(a.result.verdict);
    expect(a.result.events, `${where} seed ${seed}: ran`).toBeGreaterThan(0);
  }
}
