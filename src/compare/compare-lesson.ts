/**
 * `faultline compare`'s work: every variant of a lesson over the same seeds, through the
 * runner's worker pool (each seed measured where it ran), then summarized per variant
 * (variant-summary.ts). Variants run one after another and seeds in order, and results come
 * back in task order, so the comparison is the same however threads were scheduled.
 */
import { openTaskPool, workerFile } from '../runner/seed-pool.js';
import type { SeedRange } from '../runner/seed-range.js';
import runCompareTask, { type CompareTask } from './compare-worker.js';
import type { Lesson } from './lesson-file.js';
import type { SeedMeasures } from './seed-measures.js';
import { summarizeVariant, type VariantSummary } from './variant-summary.js';

export interface Comparison {
  readonly lesson: Pick<Lesson, 'file' | 'name' | 'lesson'>;
  readonly seeds: SeedRange;
  readonly variants: readonly VariantSummary[];
}

export interface CompareOptions {
  readonly seeds: SeedRange;
  readonly workers: number;
  /** Called after each seed with the number done of the total. */
  readonly onProgress?: (done: number, total: number) => void;
}

const COMPARE_WORKER = { file: workerFile('compare-worker', import.meta.url), run: runCompareTask };

export async function compareLesson(lesson: Lesson, o: CompareOptions): Promise<Comparison> {
  const perVariant = o.seeds.to - o.seeds.from + 1;
  const total = perVariant * lesson.variants.length;
  const pool = openTaskPool<CompareTask, SeedMeasures>(
    {
      workers: total === 1 ? 1 : o.workers,
      onResult: (_, done) => o.onProgress?.(done, total),
    },
    COMPARE_WORKER,
  );
  const tasks: CompareTask[] = [];
  for (const v of lesson.variants)
    for (let seed = o.seeds.from; seed <= o.seeds.to; seed++)
      tasks.push({ text: v.text, file: lesson.file, seed });
  let results: SeedMeasures[];
  try {
    results = await pool.run(tasks);
  } finally {
    await pool.close();
  }
  const variants = lesson.variants.map((v, i) =>
    summarizeVariant(v, results.slice(i * perVariant, (i + 1) * perVariant)),
  );
  const { file, name } = lesson;
  return { lesson: { file, name, lesson: lesson.lesson }, seeds: o.seeds, variants };
}
