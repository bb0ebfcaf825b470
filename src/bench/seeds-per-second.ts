/**
 * The fuzzer's own speed on one scenario: seeds per second through the same worker pool `fuzz`
 * uses, the median of the runs (at most 3), each the same seeds. Every seed must pass: a
 * benchmark of a failing scenario would time the wrong work. Wall-clock time is read here, off
 * the simulation path.
 *
 * The rate is a sweep's: one pool, opened and warmed first, runs every timed batch, as one
 * `fuzz --seeds 5000` run keeps its threads for the whole sweep. Opening a pool starts its
 * threads, each of which loads the simulator and runs its first seeds on cold code; that
 * start-up is measured on its own (`startupMs`: from opening the pool to the end of a first
 * batch of WARM_UP_SEEDS_PER_WORKER seeds a worker) rather than folded into the rate. With one
 * worker the seeds run in this thread, which the warm-up batch warms the same way. (Figures
 * taken before this measured each run on a fresh pool: one worker warm, since its seeds ran in
 * the thread the warm-up had warmed, and two workers cold, start-up included, which made two
 * workers look slower against one than a sweep finds them.)
 */
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../runner/load-scenario.js';
import { openSeedPool } from '../runner/seed-pool.js';
import type { SeedTask } from '../runner/seed-worker.js';

export interface SeedsPerSecond {
  readonly workers: number;
  readonly seedsPerSec: number;
  readonly runs: number[];
  /** From opening the pool to the end of its warm-up batch, in ms. */
  readonly startupMs: number;
}

/** Seeds each worker runs before the timed batches: its first seeds run on cold code. */
const WARM_UP_SEEDS_PER_WORKER = 10;
/** The warm-up's seeds come after the timed ones, so no timed seed ran before. */
const WARM_UP_FIRST_SEED = 1_000_001;

export const median = (xs: readonly number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** `file` is relative to the package root (`scenarios/…`). */
export async function seedsPerSecond(
  file: string,
  seeds: number,
  workers: number,
  runs: number,
): Promise<SeedsPerSecond> {
  const { text, scenario } = await loadScenario(
    fileURLToPath(new URL(`../../${file}`, import.meta.url)),
  );
  const task = (seed: number): SeedTask => ({
    text,
    file: scenario.file,
    seed,
    bugs: [],
    twice: false,
  });
  const tasks = Array.from({ length: seeds }, (_, i) => task(i + 1));
  const warmUp = Array.from({ length: WARM_UP_SEEDS_PER_WORKER * workers }, (_, i) =>
    task(WARM_UP_FIRST_SEED + i),
  );
  const opened = performance.now();
  const pool = openSeedPool({ workers });
  try {
    await pool.run(warmUp);
    const startupMs = performance.now() - opened;
    const rates: number[] = [];
    for (let i = 0; i < Math.min(runs, 3); i++) {
      const t0 = performance.now();
      const results = await pool.run(tasks);
      const bad = results.filter((r) => r.verdict !== 'valid').length;
      if (bad > 0) throw new Error(`bench: ${bad} seeds of ${file} did not pass`);
      rates.push((seeds / (performance.now() - t0)) * 1000);
    }
    return {
      workers,
      seedsPerSec: Number(median(rates).toFixed(1)),
      runs: rates.map((r) => Number(r.toFixed(1))),
      startupMs: Math.round(startupMs),
    };
  } finally {
    await pool.close();
  }
}
