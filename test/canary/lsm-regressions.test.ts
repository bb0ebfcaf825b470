/**
 * The storage regressions (scenarios/regressions/lsm-*.yaml) each write one research catalogue
 * schedule for a named kv-store bug: at the pinned seed, the bug switched on is caught by
 * crash-consistency (and regressions.test.ts checks that the correct engine passes it).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runSeed } from '../../src/run/run-seed.js';
import { loadScenario } from '../../src/runner/load-scenario.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIR = join(ROOT, 'scenarios/regressions');
const files = readdirSync(DIR).filter((f) => /^lsm-.*\.yaml$/.test(f));

/** The bug a regression names in its header: `# With the named bug kv-store.<name> on`. */
const bugOf = (file: string): string | undefined =>
  /named bug (kv-store\.[a-z-]+) on/.exec(readFileSync(join(DIR, file), 'utf8'))?.[1];

describe('storage regressions catch their bug at the pinned seed', () => {
  it('exist', () => expect(files.length).toBeGreaterThanOrEqual(5));
  it.each(files)('%s', async (f) => {
    const bug = bugOf(f);
    expect(bug, `${f} names no bug`).toBeDefined();
    const { scenario } = await loadScenario(join(DIR, f));
    const { result } = runSeed(scenario, scenario.seed as number, { bugs: [bug as string] });
    const finding = result.checks.find((c) => c.checker === 'crash-consistency');
    expect(finding?.verdict, finding?.summary).toBe('violation');
  });
});
