/**
 * Runs many seeds across worker threads (piscina) or in this thread (`--workers 1`). Results
 * come back in seed order, never completion order, so output and "lowest failing seed" are the
 * same however the threads were scheduled. A pool stays open across batches (`fuzz
 * --stop-on-first` runs one batch after another) so threads start once. The pool runs any worker
 * module of the same shape: `compare` runs its own (src/compare/compare-worker.ts) on it.
 */
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import runSeedTask, { type SeedTask } from './seed-worker.js';
import type { SeedSummary } from './seed-summary.js';

export interface PoolOptions<R = SeedSummary> {
  readonly workers: number;
  readonly onResult?: (s: R, done: number) => void;
}

interface TaskPool<T, R> {
  /** Runs the tasks and returns their results in task order; `onResult` counts across batches. */
  run(tasks: readonly T[]): Promise<R[]>;
  close(): Promise<void>;
}

export type SeedPool = TaskPool<SeedTask, SeedSummary>;

/**
 * A worker module: its file (its default export runs one task in a thread) and the same
 * function, run in this thread for `--workers 1`.
 */
export interface TaskWorker<T, R> {
  readonly file: URL;
  readonly run: (task: T) => Promise<R>;
}

/** The file beside `base` named `name`, with the extension this module runs from. */
export const workerFile = (name: string, base: string): URL =>
  new URL(`./${name}${base.endsWith('.ts') ? '.ts' : '.js'}`, base);

const SEED_WORKER: TaskWorker<SeedTask, SeedSummary> = {
  file: workerFile('seed-worker', import.meta.url),
  run: runSeedTask,
};

export function openSeedPool(options: PoolOptions): SeedPool {
  return openTaskPool(options, SEED_WORKER);
}

/**
 * Each worker thread's young generation, at most. A seed allocates tens of MB of short-lived
 * objects and keeps its world alive throughout, so a scavenge copies much of what it finds; a
 * larger nursery scavenges less often, when more of it is garbage. Measured on the cluster
 * benchmark with 2 workers (npm run bench:cluster): about 15% more seeds/s at 192 than at V8's
 * default (48 gave the same as the default; 384 and 768 no more than 192). V8 grows the nursery
 * up to this as it is used.
 */
const WORKER_YOUNG_GENERATION_MB = 192;

/** A pool of worker threads running `worker`'s tasks (or this thread, with one worker). */
export function openTaskPool<T, R>(options: PoolOptions<R>, worker: TaskWorker<T, R>) {
  let done = 0;
  const report = (s: R) => options.onResult?.(s, ++done);
  if (options.workers <= 1) {
    return {
      async run(tasks: readonly T[]) {
        const results = new Array<R>(tasks.length);
        for (let i = 0; i < tasks.length; i++) {
          results[i] = await worker.run(tasks[i] as T);
          report(results[i] as R);
          // Let the progress bar and signals breathe between seeds: between whole runs, off the
          // simulation path, so no seed's trace can depend on it.
          if (i % 16 === 15) await new Promise((r) => setImmediate(r));
        }
        return results;
      },
      close: async () => undefined,
    } satisfies TaskPool<T, R>;
  }
  const pool = new Piscina({
    filename: fileURLToPath(worker.file),
    minThreads: options.workers,
    maxThreads: options.workers,
    idleTimeout: 1000,
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
  });
  return {
    async run(tasks: readonly T[]) {
      const results = new Array<R>(tasks.length);
      await Promise.all(
        tasks.map(async (task, i) => {
          results[i] = (await pool.run(task)) as R;
          report(results[i] as R);
        }),
      );
      return results;
    },
    close: () => pool.destroy(),
  } satisfies TaskPool<T, R>;
}

/**
 * One batch on a pool of its own, opened and closed around it. The determinism property and the
 * canaries import it from the built `dist/`, which static analysis does not follow.
 * @public
 */
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
