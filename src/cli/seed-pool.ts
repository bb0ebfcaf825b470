/**
 * Runs many seeds across worker threads (piscina) or in this thread (`--workers 1`). Results
 * come back in seed order, never completion order, so output and "lowest failing seed" are the
 * same however the threads were scheduled.
 */
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { runSeedTask, type SeedTask } from './seed-worker.js';
import type { SeedSummary } from './seed-summary.js';

export interface PoolOptions {
  readonly workers: number;
  readonly onResult?: (s: SeedSummary, done: number) => void;
}

export async function runSeeds(tasks: readonly SeedTask[], options: PoolOptions): Promise<SeedSummary[]> {
  const results = new Array<SeedSummary>(tasks.length);
  let done = 0;
  if (options.workers <= 1 || tasks.length === 1) {
    for (let i = 0; i < tasks.length; i++) {
      results[i] = await runSeedTask(tasks[i] as SeedTask);
      options.onResult?.(results[i] as SeedSummary, ++done);
      // Let the progress bar and signals breathe between seeds.
      if (i % 16 === 15) await new Promise((r) => setImmediate(r));
    }
    return results;
  }
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const pool = new Piscina({
    filename: fileURLToPath(new URL(`./seed-worker${ext}`, import.meta.url)),
    minThreads: options.workers,
    maxThreads: options.workers,
    idleTimeout: 1000,
  });
  try {
    await Promise.all(
      tasks.map(async (task, i) => {
        results[i] = (await pool.run(task)) as SeedSummary;
        options.onResult?.(results[i] as SeedSummary, ++done);
      }),
    );
  } finally {
    await pool.destroy();
  }
  return results;
}
