/**
 * `faultline compare <lesson>`: every variant of a lesson file over the same seeds, printed as
 * one table with the variants as columns (src/compare has the logic; this is flags and output).
 * `--json` prints the same as one document. A comparison is not a verdict: it exits 0 when the
 * runs were made, whatever they found; 64 for bad flags, 65 for a bad lesson file.
 */
import { availableParallelism } from 'node:os';
import type { Argv } from 'yargs';
import { compareLesson, type Comparison } from '../../compare/compare-lesson.js';
import { comparisonTable } from '../../compare/comparison-table.js';
import { type Lesson, parseLesson } from '../../compare/lesson-file.js';
import { ALL_CLIENTS } from '../../compare/client-sides.js';
import { formatScenarioError } from '../../scenario/index.js';
import { EXIT, EXIT_CODE_TABLE, UserError } from '../../runner/exit-codes.js';
import { readScenarioFile } from '../../runner/load-scenario.js';
import { loadProtocolModules } from '../../runner/protocol-module.js';
import { parseSeedsFlag, type SeedRange } from '../../runner/seed-range.js';
import { outputWidth, wrapLine } from '../format.js';

export interface CompareArgs {
  lesson: string;
  seeds?: string;
  from?: string;
  workers?: number;
  json?: boolean;
}

/** Seeds per variant when neither the lesson nor --seeds says. */
const DEFAULT_SEEDS: SeedRange = { from: 1, to: 10 };

export const compareBuilder = (y: Argv) =>
  y
    .positional('lesson', {
      type: 'string',
      demandOption: true,
      describe: 'a lesson file: a base scenario and its variants (scenarios/lessons/cap.yaml)',
    })
    .option('seeds', {
      type: 'string',
      describe: 'a seed range A..B, or a count N from --from (default: the lesson’s, else 1..10)',
    })
    .option('from', { type: 'string', describe: 'with a count of --seeds: the first seed (1)' })
    .option('workers', {
      type: 'number',
      describe: 'worker threads (default: one per core; 1 runs in this thread)',
    })
    .option('json', { type: 'boolean', describe: 'print one JSON document on stdout' })
    .example('$0 compare scenarios/lessons/cap.yaml', 'the CAP tradeoff as one table')
    .epilogue(EXIT_CODE_TABLE);

export async function compareCommand(args: CompareArgs): Promise<number> {
  if (args.workers !== undefined && (!Number.isInteger(args.workers) || args.workers < 1))
    throw new UserError('--workers: expected a positive integer', EXIT.usage);
  const seeds = args.seeds !== undefined ? parseSeedsFlag(args.seeds, args.from).range : undefined;
  if (args.seeds === undefined && args.from !== undefined)
    throw new UserError('--from: goes with a count of --seeds (--seeds 20 --from 5)', EXIT.usage);
  const lesson = await readLesson(args.lesson);
  const range = seeds ?? lesson.seeds ?? DEFAULT_SEEDS;
  const workers = args.workers ?? Math.max(1, availableParallelism());
  const out = args.json ? process.stderr : process.stdout;
  out.write(
    `lesson=${lesson.name} file=${lesson.file} seeds=${range.from}..${range.to} ` +
      `variants=${lesson.variants.length} workers=${workers}\n`,
  );
  const comparison = await compareLesson(lesson, { seeds: range, workers });
  if (args.json) process.stdout.write(`${JSON.stringify(comparisonDocument(comparison))}\n`);
  else process.stdout.write(`${comparisonText(comparison).join('\n')}\n`);
  return EXIT.valid;
}

async function readLesson(file: string): Promise<Lesson> {
  const parsed = await parseLesson(readScenarioFile(file), file, loadProtocolModules);
  if (!parsed.ok)
    throw new UserError(parsed.errors.map(formatScenarioError).join('\n'), EXIT.dataError);
  return parsed.lesson;
}

function comparisonText(c: Comparison): string[] {
  const width = Math.min(100, outputWidth());
  const n = c.seeds.to - c.seeds.from + 1;
  return [
    '',
    ...wrapLine(c.lesson.lesson.trim().replace(/\s+/g, ' '), width, ''),
    '',
    ...comparisonTable(c),
    '',
    ...wrapLine(
      `${n} seeds per variant (${c.seeds.from}..${c.seeds.to}), totals over the seeds; ` +
        'latency in virtual time; - not measured. A side is where a client stood when it ' +
        'invoked: connected (reached every node), majority or minority of the nodes; ' +
        `"${ALL_CLIENTS}" when a variant's clients are not placed beside nodes.`,
      width,
      '',
    ),
  ];
}

/** The comparison as data: the same measures the table prints, unrounded. */
function comparisonDocument(c: Comparison) {
  return { tool: 'faultline', command: 'compare', ...c };
}
