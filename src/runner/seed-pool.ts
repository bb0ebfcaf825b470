/**
 * Runs many seeds across worker threads (piscina) or in this thread (`--workers 1`). Results
 * come back in seed order, never completion order, so output and "lowest failing seed" are the
 * same however the threads were scheduled. A pool stays open across batches (`fuzz
 * --stop-on-first` runs one batch after another) so threads start once.
 */
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import runSeedTask, { type SeedTask } from './seed-worker.js';
import type { SeedSummary } from './seed-summary.js';

export interface PoolOptions {
  readonly workers: number;
  readonly onResult?: (s: SeedSummary, done: number) => void;
}

export interface SeedPool {
  /** Runs the tasks and returns their summaries in task order; `onResult` counts across batches. */
  run(tasks: readonly SeedTask[]): Promise<SeedSummary[]>;
  close(): Promise<void>;
}

export function openSeedPool(options: PoolOptions): SeedPool {
  let done = 0;
  const report = (s: SeedSummary) => options.onResult?.(s, ++done);
  if (options.workers <= 1) {
    return {
      async run(tasks) {
        const results = new Array<SeedSummary>(tasks.length);
        for (let i = 0; i < tasks.length; i++) {
          results[i] = await runSeedTask(tasks[i] as SeedTask);
          report(results[i] as SeedSummary);
          // Let the progress bar and signals breathe between seeds: between whole runs, off the
          // simulation path, so no seed's trace can depend on it.
          if (i % 16 === 15) await new Promise((r) => setImmediate(r));
        }
        return results;
      },
      close: async () => undefined,
    };
  }
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const pool = new Piscina({
    filename: fileURLToPath(new URL(`./seed-worker${ext}`, import.meta.url)),
    minThreads: options.workers,
    maxThreads: options.workers,
    idleTimeout: 1000,
  });
  return {
    async run(tasks) {
      const results = new Array<SeedSummary>(tasks.length);
      await Promise.all(
        tasks.map(async (task, i) => {
          results[i] = (await pool.run(task)) as SeedSummary;
          report(results[i] as SeedSummary);
        }),
      );
      return results;
    },
    close: () => pool.destroy(),
  };
}

export async function runSeeds(
  tasks: readonly SeedTask[],
  options: PoolOptions,
): Promise<SeedSummary[]> {
  const pool = openSeedPool(tasks.length === 1 ? { ...options, workers: 1 } : options);
  try {
    return await pool.run(tasks);
  } finally {
    await pool.close();
  }
}
