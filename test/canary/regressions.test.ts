/**
 * Every scenario in scenarios/regressions/ pins the seed of a bug that was fixed (DESIGN §9).
 * Each must stay valid at its pinned seed; a regression here means the bug is back.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/runner/load-scenario.js';
import { runSeed } from '../../src/run/run-seed.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const files = readdirSync(join(ROOT, 'scenarios/regressions'))
  .filter((f) => f.endsWith('.yaml') || f.endsWith('.json'))
  .sort();

describe('regression scenarios', () => {
  it('exist', () => expect(files.length).toBeGreaterThan(0));
  for (const f of files) {
    it(`${f} is valid at its pinned seed`, async () => {
      const { scenario } = await loadScenario(join(ROOT, 'scenarios/regressions', f));
      expect(scenario.seed, `${f} must pin a seed`).toBeDefined();
      const { result } = runSeed(scenario, scenario.seed as number);
      expect(
        result.checks.filter((c) => c.verdict !== 'ok').map((c) => `${c.checker}: ${c.summary}`),
      ).toEqual([]);
      expect(result.verdict).toBe('valid');
    });
  }
});
