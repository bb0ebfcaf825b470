/**
 * The test run: every file under test/, with dist/ built once first (test/global-setup.ts) so
 * end-to-end tests run the CLI a user runs. `npm run test:fast` runs test/unit and
 * test/property only.
 *
 * Two defaults cost more than half the run on a 2-core machine. vitest runs one file per core
 * less one: one at a time there, the other core idle whenever the file is not sweeping seeds on
 * worker threads; every core runs a file here. And it gives each file a fresh module registry,
 * so each of ~80 files evaluated the simulator, zod, yaml and fast-check again (import: 174 s
 * of 313 s for test/unit and test/property under load); the files share one registry per
 * worker here (import: 23 s, the run 141 s), which they can, as nothing in src/ keeps state
 * between runs (the golden hashes and determinism properties would catch it) and no test mocks
 * a module. A test that changes the process (cwd, environment, stdout) puts it back.
 *
 * The files that take longest go first. In a clean checkout vitest has no timings cached and
 * starts the largest files first, and the two longest (the canaries, and every shipped scenario
 * run twice) are small files: started last, each ended the run alone, a minute and more after
 * the rest.
 *
 * The limits are for hangs, not for slowness: on a loaded 2-core machine the suite runs several
 * times slower than on an idle one, and a test that runs a few sweeps must not fail for that.
 */
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Ten minutes: a test that runs a few sweeps on a machine under load stays well inside it. */
const LIMIT_MS = 600_000;

/** The longest files, longest first (each sweeps seeds of many scenarios). */
const LONGEST = [
  'test/canary/canaries.test.ts',
  'test/property/shipped-scenarios-determinism.test.ts',
  'test/e2e/readme.test.ts',
];

/** vitest's own order (cached timings, else size), with the longest files moved to the front. */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => {
      const i = LONGEST.findIndex((p) => f.moduleId.endsWith(p));
      return i < 0 ? LONGEST.length : i;
    };
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: LIMIT_MS,
    hookTimeout: LIMIT_MS,
    pool: 'forks',
    maxWorkers: availableParallelism(),
    isolate: false,
    sequence: { sequencer: LongestFirst },
  },
});
