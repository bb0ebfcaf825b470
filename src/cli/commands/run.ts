/**
 * `faultline run <scenario>`: one seed in detail, or a range of seeds across worker threads with
 * a progress bar and a summary table. Prints the seed before anything runs, the replay command
 * first on failure, and writes `reports/<scenario>/<seed>/` (always for one seed; for a sweep,
 * for the lowest failing seeds, rerun here with the trace on, which also re-checks determinism).
 */
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { runSeedAs } from '../../run/swarm.js';
import { replayCommand } from '../../run/run-result.js';
import { validateBugs } from '../../scenario/index.js';
import { c } from '../colors.js';
import { EXIT, EXIT_CODE_TABLE, UserError, exitCodeFor } from '../../runner/exit-codes.js';
import { runDetails, seedLine } from '../format.js';
import { loadScenario, type LoadedScenario } from '../../runner/load-scenario.js';
import { reportDir, TraceFile, writeReport } from '../report-writer.js';
import { parseSeed, parseSeedRange, type SeedRange } from '../../runner/seed-range.js';
import { summarizeResult } from '../../runner/seed-summary.js';
import { isFailing, sweepReplay } from '../../runner/sweep-seeds.js';
import { countVerdicts, sweepShowingProgress, sweepText, writeFailingReports } from '../sweep.js';

export interface RunArgs {
  scenario: string;
  seed?: string;
  seeds?: string;
  workers?: number;
  json?: boolean;
  out: string;
  bug?: string[];
  checkDeterminism?: boolean;
  reportsMax: number;
  swarm?: boolean;
}

export const runBuilder = (y: Argv) =>
  y
    .positional('scenario', {
      type: 'string',
      demandOption: true,
      describe: 'scenario file (.yaml, .yml or .json)',
    })
    .option('seed', {
      type: 'string',
      describe: 'run this one seed (random if neither --seed nor --seeds, and printed)',
    })
    .option('seeds', { type: 'string', describe: 'run a seed range, inclusive: A..B' })
    .option('workers', {
      type: 'number',
      describe: 'worker threads for a seed range (default: one per core; 1 runs in this thread)',
    })
    .option('json', {
      type: 'boolean',
      describe: 'print one JSON document on stdout instead of text',
    })
    .option('out', { type: 'string', default: 'reports', describe: 'where reports are written' })
    .option('bug', {
      type: 'string',
      array: true,
      describe: 'switch on a named bug (repeatable); see `faultline list`',
    })
    .option('check-determinism', {
      type: 'boolean',
      describe: 'run each seed twice and compare trace hashes (exit 70 on a mismatch)',
    })
    .option('reports-max', {
      type: 'number',
      default: 5,
      describe: 'in a sweep, write reports for at most this many failing seeds (lowest first)',
    })
    .option('swarm', {
      type: 'boolean',
      describe:
        'swarm testing: each seed runs its own subset of the random nemesis kinds (as `fuzz --swarm` did)',
    })
    .conflicts('seed', 'seeds')
    .example('$0 run scenarios/fast/pb-async-crash.yaml --seed 3', 'one seed, in detail')
    .example(
      '$0 run scenarios/fast/pb-sync-crash.yaml --seeds 1..1000',
      'a sweep across worker threads',
    )
    .epilogue(EXIT_CODE_TABLE);

export async function runCommand(args: RunArgs): Promise<number> {
  const loaded = await loadScenario(args.scenario);
  const { scenario } = loaded;
  const bugs = args.bug ?? [];
  const bad = validateBugs(scenario, bugs);
  if (bad !== undefined) throw new UserError(`--bug: ${bad}`, EXIT.usage);
  if (args.workers !== undefined && (!Number.isInteger(args.workers) || args.workers < 1))
    throw new UserError('--workers: expected a positive integer', EXIT.usage);
  let range: SeedRange;
  if (args.seeds !== undefined) range = parseSeedRange(args.seeds);
  else if (args.seed !== undefined) {
    const s = parseSeed(args.seed, '--seed');
    range = { from: s, to: s };
  } else if (scenario.seeds !== undefined) range = scenario.seeds;
  else if (scenario.seed !== undefined) range = { from: scenario.seed, to: scenario.seed };
  else {
    const s = randomInt(0, 2 ** 31);
    range = { from: s, to: s };
  }
  if (range.from === range.to) return runOne(loaded, range.from, bugs, args);
  return runSweep(loaded, range, bugs, args);
}

function runOne(loaded: LoadedScenario, seed: number, bugs: string[], args: RunArgs): number {
  const { scenario } = loaded;
  const out = args.json ? process.stderr : process.stdout;
  out.write(
    `seed=${seed} scenario=${scenario.file} protocol=${scenario.protocol.name}${[...scenario.bugs, ...bugs].map((b) => ` bug=${b}`).join('')}${args.swarm ? ' swarm' : ''}\n`,
  );
  const dir = reportDir(args.out, scenario.name, seed);
  mkdirp(dir);
  const trace = new TraceFile(join(dir, 'trace.ndjson'));
  const swarm = args.swarm === true;
  const { result, history } = runSeedAs(swarm, scenario, seed, { bugs, trace: trace.write });
  if (args.checkDeterminism) {
    const again = runSeedAs(swarm, scenario, seed, { bugs }).result.traceHash;
    if (again !== result.traceHash)
      throw new UserError(
        `nondeterminism detected: seed ${seed} gave trace hashes ${result.traceHash} and ${again}`,
        EXIT.internal,
      );
  }
  writeReport(dir, result, history, trace);
  const replay = replayCommand(result, scenario.bugs);
  if (args.json) {
    process.stdout.write(
      `${JSON.stringify({ ...result, replay, report: join(dir, 'result.json') })}\n`,
    );
    return exitCodeFor([result.verdict]);
  }
  if (result.verdict !== 'valid') out.write(`${c().bold('replay:')} ${replay}\n`);
  out.write(`${seedLine(summarizeResult(result))}\n`);
  for (const line of runDetails(result, scenario.checkers)) out.write(`  ${line}\n`);
  if (args.checkDeterminism)
    out.write(`  determinism: two runs, same trace hash ${result.traceHash}\n`);
  out.write(`  report: ${join(dir, 'result.json')}\n`);
  writeLesson(out, scenario.lesson);
  return exitCodeFor([result.verdict]);
}

async function runSweep(
  loaded: LoadedScenario,
  range: SeedRange,
  bugs: string[],
  args: RunArgs,
): Promise<number> {
  const { scenario } = loaded;
  const workers = args.workers ?? Math.max(1, availableParallelism());
  const swarm = args.swarm === true;
  const head = `seeds=${range.from}..${range.to} scenario=${scenario.file} protocol=${scenario.protocol.name} workers=${workers}${[...scenario.bugs, ...bugs].map((b) => ` bug=${b}`).join('')}${swarm ? ' swarm' : ''}`;
  (args.json ? process.stderr : process.stdout).write(`${head}\n`);
  const { summaries, wallMs } = await sweepShowingProgress(
    loaded,
    range,
    { bugs, workers, swarm, twice: args.checkDeterminism === true },
    args.json === true,
  );
  const reports = writeFailingReports(scenario, summaries, {
    bugs,
    swarm,
    out: args.out,
    max: args.reportsMax,
  });
  const failing = summaries.filter(isFailing);
  const replay = failing[0] ? sweepReplay(scenario, failing[0].seed, bugs, swarm) : undefined;
  const code = exitCodeFor(summaries.map((s) => s.verdict));
  if (args.json) {
    process.stdout.write(
      `${JSON.stringify({ scenario: scenario.file, seeds: range, bugs, workers, wallMs: Math.round(wallMs), counts: countVerdicts(summaries), lowestFailingSeed: failing[0]?.seed ?? null, replay: replay ?? null, reports, results: summaries })}\n`,
    );
    return code;
  }
  const out = process.stdout;
  for (const line of sweepText(scenario.name, summaries, wallMs, replay)) out.write(`${line}\n`);
  if (args.checkDeterminism)
    out.write(`  determinism: every seed ran twice with the same trace hash\n`);
  for (const r of reports) out.write(`  report: ${r}\n`);
  writeLesson(out, scenario.lesson);
  return code;
}

/** A scenario's `lesson:` text closes the human-readable output: the point of the run. */
function writeLesson(out: NodeJS.WritableStream, lesson: string | undefined): void {
  if (lesson === undefined || lesson.trim() === '') return;
  out.write(
    `${c().bold('lesson:')}\n${lesson
      .trimEnd()
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n')}\n`,
  );
}

function mkdirp(dir: string): void {
  mkdirSync(dir, { recursive: true });
}
