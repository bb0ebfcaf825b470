/**
 * `faultline fuzz <scenario> --seeds N`: a seed sweep for finding bugs. Seeds run across worker
 * threads and are combined in seed order; `--shard i/n` runs one contiguous block of the sweep
 * (vitest's sharding) so n CI machines cover it exactly once and `faultline merge` adds their
 * `--json` documents up; `--swarm` gives each seed its own subset of the random nemesis kinds;
 * `--stop-on-first` stops after the first seed-ordered batch that holds a failure; `--shrink`
 * shrinks the lowest failing seed into a regression scenario.
 */
import { availableParallelism } from 'node:os';
import type { Argv } from 'yargs';
import { shardRange, type Shard } from '../../fuzz/shard.js';
import { validateBugs } from '../../scenario/index.js';
import { c } from '../colors.js';
import { EXIT, EXIT_CODE_TABLE, UserError, exitCodeFor } from '../../runner/exit-codes.js';
import { FUZZ_SCHEMA_VERSION, fuzzTotals, type FuzzDocument } from '../fuzz-document.js';
import { loadScenario } from '../../runner/load-scenario.js';
import { readResult } from '../result-file.js';
import { parseSeed, type SeedRange } from '../../runner/seed-range.js';
import { isFailing, sweepReplay } from '../../runner/sweep-seeds.js';
import { sweepShowingProgress, sweepText, writeFailingReports } from '../sweep.js';
import {
  checkRuns,
  REGRESSIONS_DIR,
  SHRINK_RUNS_DEFAULT,
  shrinkAndWrite,
  type ShrinkWritten,
} from './shrink.js';

/**
 * With --stop-on-first, seeds run in batches of this many, in seed order; the sweep stops after
 * the first batch with a failure. Fixed (not a multiple of --workers) so where it stops depends
 * on nothing but the seeds.
 */
const STOP_BATCH = 32;

export interface FuzzArgs {
  scenario: string | string[];
  seeds: string;
  from: string;
  workers?: number;
  shard?: string;
  swarm?: boolean;
  stopOnFirst?: boolean;
  shrink?: boolean;
  json?: boolean;
  bug?: string[];
  out: string;
  reportsMax: number;
  outDir: string;
  runs: number;
}

export const fuzzBuilder = (y: Argv) =>
  y
    .positional('scenario', {
      type: 'string',
      array: true,
      demandOption: true,
      describe:
        'scenario files (.yaml, .yml or .json); several run one after another, e.g. scenarios/raft-*.yaml',
    })
    .option('seeds', { type: 'string', demandOption: true, describe: 'how many seeds to run' })
    .option('from', { type: 'string', default: '1', describe: 'the first seed' })
    .option('workers', {
      type: 'number',
      describe: 'worker threads (default: one per core; 1 runs in this thread)',
    })
    .option('shard', {
      type: 'string',
      describe:
        'run only block i of n of the seeds (i/n, 1-based, contiguous blocks as vitest shards)',
    })
    .option('swarm', {
      type: 'boolean',
      describe:
        'swarm testing: each seed switches on its own subset of the random nemesis kinds, at scaled rates',
    })
    .option('stop-on-first', {
      type: 'boolean',
      describe: `stop after the first batch of ${STOP_BATCH} seeds (in seed order) with a failure`,
    })
    .option('shrink', {
      type: 'boolean',
      describe: 'shrink the lowest failing seed into a scenario file (see `faultline shrink`)',
    })
    .option('json', {
      type: 'boolean',
      describe: 'print one JSON document on stdout (input for `faultline merge`)',
    })
    .option('bug', {
      type: 'string',
      array: true,
      describe: 'switch on a named bug (repeatable); see `faultline list`',
    })
    .option('out', {
      type: 'string',
      default: 'reports',
      describe: 'where reports of failing seeds are written',
    })
    .option('reports-max', {
      type: 'number',
      default: 1,
      describe: 'write reports for at most this many failing seeds (lowest first)',
    })
    .option('out-dir', {
      type: 'string',
      default: REGRESSIONS_DIR,
      describe: 'with --shrink: where the shrunk scenario is written',
    })
    .option('runs', {
      type: 'number',
      default: SHRINK_RUNS_DEFAULT,
      describe: 'with --shrink: at most this many simulations while shrinking',
    })
    .example(
      '$0 fuzz scenarios/fast/pb-sync-crash.yaml --seeds 1000',
      'seeds 1..1000 across all cores',
    )
    .example(
      '$0 fuzz scenarios/fast/pb-sync-crash.yaml --seeds 1000 --shard 2/4 --json > shard.json',
      'seeds 251..500, for `faultline merge`',
    )
    .epilogue(EXIT_CODE_TABLE);

/** `--shard 2/4`: block 2 of 4. */
function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new UserError(`--shard: expected i/n like 2/4, got "${text}"`, EXIT.usage);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count)
    throw new UserError(
      `--shard: ${text.trim()}: the shard index must be between 1 and ${Math.max(1, count)}`,
      EXIT.usage,
    );
  return { index, count };
}

/**
 * One sweep per scenario, one after another, with the same seeds and flags. With --json several
 * scenarios print one `fuzz-set` document holding each sweep's document; `merge` takes either.
 * The exit code is the worst of them.
 */
export async function fuzzCommand(args: FuzzArgs): Promise<number> {
  const files = Array.isArray(args.scenario) ? args.scenario.map(String) : [String(args.scenario)];
  if (files.length === 1) return (await fuzzOne({ ...args, scenario: files[0] as string })).code;
  const docs: FuzzDocument[] = [];
  const codes: number[] = [];
  for (const [i, file] of files.entries()) {
    if (i > 0 && args.json !== true) process.stdout.write('\n');
    const r = await fuzzOne({ ...args, scenario: file }, true);
    codes.push(r.code);
    if (r.doc !== undefined) docs.push(r.doc);
  }
  if (args.json === true)
    process.stdout.write(
      `${JSON.stringify({ schemaVersion: FUZZ_SCHEMA_VERSION, tool: 'faultline', kind: 'fuzz-set', documents: docs })}\n`,
    );
  return worstExitCode(codes);
}

/** Violation (1) beats unknown (2) beats valid (0); any other code (an error) beats them all. */
export function worstExitCode(codes: readonly number[]): number {
  const rank = (c: number) => (c === 0 ? 0 : c === 2 ? 1 : c === 1 ? 2 : 3);
  return codes.reduce((w, c) => (rank(c) > rank(w) ? c : w), 0);
}

async function fuzzOne(
  args: FuzzArgs & { scenario: string },
  collect = false,
): Promise<{ code: number; doc?: FuzzDocument }> {
  const count = parseSeed(args.seeds, '--seeds');
  if (count < 1)
    throw new UserError(`--seeds: expected at least 1 seed, got ${args.seeds}`, EXIT.usage);
  const from = parseSeed(args.from, '--from');
  if (!Number.isSafeInteger(from + count - 1))
    throw new UserError(`--seeds: ${from} + ${count} seeds is past the largest seed`, EXIT.usage);
  const shard = args.shard === undefined ? undefined : parseShard(args.shard);
  if (args.workers !== undefined && (!Number.isInteger(args.workers) || args.workers < 1))
    throw new UserError('--workers: expected a positive integer', EXIT.usage);
  if (!Number.isInteger(args.reportsMax) || args.reportsMax < 0)
    throw new UserError('--reports-max: expected a whole number', EXIT.usage);
  checkRuns(args.runs);
  const loaded = await loadScenario(args.scenario);
  const { scenario } = loaded;
  const bugs = args.bug ?? [];
  const bad = validateBugs(scenario, bugs);
  if (bad !== undefined) throw new UserError(`--bug: ${bad}`, EXIT.usage);

  const sweep: SeedRange = { from, to: from + count - 1 };
  const range = shard === undefined ? sweep : shardRange(sweep, shard);
  const workers = args.workers ?? Math.max(1, availableParallelism());
  const swarm = args.swarm === true;
  const stopOnFirst = args.stopOnFirst === true;
  const json = args.json === true;
  const log = json ? process.stderr : process.stdout;
  const flags = `${[...scenario.bugs, ...bugs].map((b) => ` bug=${b}`).join('')}${swarm ? ' swarm' : ''}${stopOnFirst ? ' stop-on-first' : ''}`;
  const shardText =
    shard === undefined
      ? ''
      : ` shard=${shard.index}/${shard.count} (${range === undefined ? 'no seeds' : `seeds ${range.from}..${range.to}`})`;
  log.write(
    `seeds=${sweep.from}..${sweep.to}${shardText} scenario=${scenario.file} protocol=${scenario.protocol.name} workers=${workers}${flags}\n`,
  );

  const run =
    range === undefined
      ? { summaries: [], wallMs: 0 }
      : await sweepShowingProgress(
          loaded,
          range,
          {
            bugs,
            workers,
            swarm,
            twice: false,
            ...(stopOnFirst ? { stopOnFirstBatch: STOP_BATCH } : {}),
          },
          json,
        );
  const { summaries, wallMs } = run;
  const reports = writeFailingReports(scenario, summaries, {
    bugs,
    swarm,
    out: args.out,
    max: Math.max(args.reportsMax, args.shrink ? 1 : 0),
  });
  const lowest = summaries.find(isFailing);
  const replay = lowest === undefined ? undefined : sweepReplay(scenario, lowest.seed, bugs, swarm);
  let shrunk: ShrinkWritten | undefined;
  if (args.shrink && lowest !== undefined && reports[0] !== undefined) {
    shrunk = await shrinkAndWrite(readResult(reports[0]), reports[0], {
      outDir: args.outDir,
      runs: args.runs,
    });
  }
  const code = exitCodeFor(summaries.map((s) => s.verdict));
  if (json) {
    const doc: FuzzDocument = {
      schemaVersion: FUZZ_SCHEMA_VERSION,
      tool: 'faultline',
      kind: 'fuzz',
      scenario: { file: scenario.file, name: scenario.name, contentHash: scenario.contentHash },
      bugs: [...new Set([...scenario.bugs, ...bugs])].sort(),
      swarm,
      sweep,
      shard: shard ?? null,
      stopOnFirst,
      stoppedAfter: run.stoppedAfter ?? null,
      workers,
      wallMs: Math.round(wallMs),
      ...fuzzTotals(summaries),
      replay: replay ?? null,
      reports,
      results: summaries,
    };
    const full =
      shrunk === undefined
        ? doc
        : {
            ...doc,
            shrunk: {
              file: shrunk.file,
              faultsBefore: shrunk.outcome.faultsBefore.length,
              faultsAfter: shrunk.outcome.faultsAfter.length,
              run: shrunk.run,
            },
          };
    if (collect) return { code, doc: full };
    process.stdout.write(`${JSON.stringify(full)}\n`);
    return { code };
  }
  const out = process.stdout;
  for (const line of sweepText(scenario.name, summaries, wallMs, replay)) out.write(`${line}\n`);
  if (run.stoppedAfter !== undefined)
    out.write(
      `  stopped after seed ${run.stoppedAfter} (--stop-on-first: the first batch of ${STOP_BATCH} seeds with a failure)\n`,
    );
  for (const r of reports) out.write(`  report: ${r}\n`);
  if (shrunk !== undefined) for (const line of shrunk.lines) out.write(`${line}\n`);
  if (lowest !== undefined && !args.shrink)
    out.write(`${c().dim(`shrink it: faultline shrink ${reports[0] ?? '<result.json>'}`)}\n`);
  return { code };
}
