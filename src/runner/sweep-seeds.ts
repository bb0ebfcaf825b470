/**
 * A seed range of one scenario through the worker pool, results in seed order: what `run
 * --seeds`, `fuzz` and the library's `runScenario` share. Optionally in seed-ordered batches that
 * stop after the first batch with a failure, so where a sweep stops never depends on thread
 * timing. Progress goes to a callback; showing it is the caller's business.
 */
import { replayCommand } from '../run/run-result.js';
import type { Scenario } from '../scenario/index.js';
import type { LoadedScenario } from './load-scenario.js';
import { openSeedPool } from './seed-pool.js';
import type { SeedRange } from './seed-range.js';
import type { SeedSummary } from './seed-summary.js';
import type { SeedTask } from './seed-worker.js';

export interface SweepOptions {
  readonly bugs: readonly string[];
  readonly workers: number;
  readonly swarm: boolean;
  /** Run each seed twice and keep the second trace hash (`--check-determinism`). */
  readonly twice: boolean;
  /**
   * Stop after the first batch that holds a failure. Batches are this many seeds in seed order,
   * whatever the number of workers, so where a sweep stops never depends on thread timing.
   */
  readonly stopOnFirstBatch?: number;
  /** Called after each seed with the number done and the number failing so far. */
  readonly onProgress?: (done: number, failing: number) => void;
}

export interface SweepRun {
  readonly summaries: readonly SeedSummary[];
  readonly wallMs: number;
  /** With stopOnFirstBatch: the last seed run when the sweep stopped early. */
  readonly stoppedAfter?: number;
}

export const isFailing = (s: SeedSummary): boolean => s.verdict !== 'valid';

export async function sweepSeeds(
  loaded: LoadedScenario,
  range: SeedRange,
  o: SweepOptions,
): Promise<SweepRun> {
  const { scenario, text } = loaded;
  const total = range.to - range.from + 1;
  // Wall time for the seeds/s line only: measured around the sweep, never read by a run.
  const started = performance.now();
  let failures = 0;
  const pool = openSeedPool({
    workers: total === 1 ? 1 : o.workers,
    onResult: (s, done) => {
      if (isFailing(s)) failures++;
      o.onProgress?.(done, failures);
    },
  });
  const task = (seed: number): SeedTask => ({
    text,
    file: scenario.file,
    seed,
    bugs: o.bugs,
    twice: o.twice,
    swarm: o.swarm,
    ...(scenario.optionOverrides === undefined ? {} : { options: scenario.optionOverrides }),
  });
  const summaries: SeedSummary[] = [];
  let stoppedAfter: number | undefined;
  try {
    const batch = o.stopOnFirstBatch ?? total;
    for (let from = range.from; from <= range.to; from += batch) {
      const to = Math.min(range.to, from + batch - 1);
      const tasks: SeedTask[] = [];
      for (let s = from; s <= to; s++) tasks.push(task(s));
      const results = await pool.run(tasks);
      summaries.push(...results);
      if (o.stopOnFirstBatch !== undefined && results.some(isFailing) && to < range.to) {
        stoppedAfter = to;
        break;
      }
    }
  } finally {
    await pool.close();
  }
  const wallMs = performance.now() - started;
  return stoppedAfter === undefined ? { summaries, wallMs } : { summaries, wallMs, stoppedAfter };
}

/** The command that reruns one seed of this sweep exactly (`cli`: see replayCommand). */
export function sweepReplay(
  scenario: Pick<Scenario, 'file' | 'name' | 'contentHash' | 'bugs' | 'optionOverrides'>,
  seed: number,
  bugs: readonly string[],
  swarm: boolean,
  cli?: string,
): string {
  const r = {
    scenario: { file: scenario.file, name: scenario.name, contentHash: scenario.contentHash },
    seed,
    bugs: [...scenario.bugs, ...bugs],
    ...(scenario.optionOverrides === undefined ? {} : { options: scenario.optionOverrides }),
  };
  return replayCommand(swarm ? { ...r, swarm: true } : r, scenario.bugs, cli);
}
