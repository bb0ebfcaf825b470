/**
 * The fuzzer's own speed on one scenario: seeds per second through the same worker pool `fuzz`
 * uses, a fresh pool per run over the same seeds, the median of the runs (at most 3). Every
 * seed must pass: a benchmark of a failing scenario would time the wrong work. Wall-clock time
 * is read here, off the simulation path.
 */
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../runner/load-scenario.js';
import { runSeeds } from '../runner/seed-pool.js';
import type { SeedTask } from '../runner/seed-worker.js';

export interface SeedsPerSecond {
  readonly workers: number;
  readonly seedsPerSec: number;
  readonly runs: number[];
}

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
  const tasks: SeedTask[] = Array.from({ length: seeds }, (_, i) => ({
    text,
    file: scenario.file,
    seed: i + 1,
    bugs: [],
    twice: false,
  }));
  await runSeeds(tasks.slice(0, Math.min(20, seeds)), { workers }); // warm-up
  const rates: number[] = [];
  for (let i = 0; i < Math.min(runs, 3); i++) {
    const t0 = performance.now();
    const results = await runSeeds(tasks, { workers });
    const bad = results.filter((r) => r.verdict !== 'valid').length;
    if (bad > 0) throw new Error(`bench: ${bad} seeds of ${file} did not pass`);
    rates.push((seeds / (performance.now() - t0)) * 1000);
  }
  return {
    workers,
    seedsPerSec: Number(median(rates).toFixed(1)),
    runs: rates.map((r) => Number(r.toFixed(1))),
  };
}
