/**
 * `faultline run <scenario>`: one seed in detail, or a range of seeds across worker threads with
 * a progress bar and a summary table. Prints the seed before anything runs, the replay command
 * first on failure, and writes `reports/<scenario>/<seed>/` (always for one seed; for a sweep,
 * for the lowest failing seeds, rerun here with the trace on, which also re-checks determinism;
 * each failing seed, and with --html any one seed, also gets a drawn report.html).
 * A sweep can also report to CI (`--reporter junit|github`), as `fuzz` does.
 */
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import { writeHtmlReport } from '../../report/html-writer.js';
import type { Argv } from 'yargs';
import { runSeedAs } from '../../run/swarm.js';
import { replayCommand } from '../../run/run-result.js';
import type { Scenario } from '../../scenario/index.js';
import { checkBugFlags } from '../bug-flags.js';
import { c } from '../colors.js';
import { EXIT, EXIT_CODE_TABLE, UserError, exitCodeFor } from '../../runner/exit-codes.js';
import { faultSchedule, outputWidth, runDetails, seedLine, wrapLine } from '../format.js';
import { cliInvocation } from '../invocation.js';
import { loadScenario, type LoadedScenario } from '../../runner/load-scenario.js';
import { reportDir, TraceFile, writeReport } from '../report-writer.js';
import { parseSeed, parseSeedsFlag, type SeedRange } from '../../runner/seed-range.js';
import { summarizeResult } from '../../runner/seed-summary.js';
import { isFailing, sweepReplay } from '../../runner/sweep-seeds.js';
import { parseReporters, reporterOptions, type Reporters, writeCiReports } from '../reporters.js';
import {
  countVerdicts,
  pageOf,
  sweepPage,
  sweepShowingProgress,
  sweepText,
  writeFailingReports,
} from '../sweep.js';

export interface RunArgs {
  scenario: string;
  seed?: string;
  seeds?: string;
  from?: string;
  workers?: number;
  json?: boolean;
  out: string;
  bug?: string[];
  option?: string[];
  checkDeterminism?: boolean;
  reportsMax: number;
  swarm?: boolean;
  reporter?: string | string[];
  outputFile?: string;
  html?: boolean;
}

export const runBuilder = (y: Argv) =>
  reporterOptions(
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
      .option('seeds', {
        type: 'string',
        describe: 'a seed range A..B (inclusive), or a count N: seeds --from..--from+N-1',
      })
      .option('from', { type: 'string', describe: 'with a count of --seeds: the first seed (1)' })
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
      .option('option', {
        type: 'string',
        array: true,
        describe:
          "set a protocol option over the scenario file's (repeatable): KEY=VALUE, like " +
          "storage=lsm or lsm.sync=none, checked against the protocol's options",
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
        describe: 'swarm testing: each seed runs its own subset of the random nemesis kinds',
      })
      .option('html', {
        type: 'boolean',
        describe:
          'also draw one seed as report.html, or a sweep as sweep.html (failing seeds of a ' +
          'sweep always get a report.html)',
      }),
  )
    .conflicts('seed', 'seeds')
    .example('$0 run scenarios/fast/pb-async-crash.yaml --seed 3', 'one seed, in detail')
    .example('$0 run scenarios/fast/pb-sync-crash.yaml --seeds 1..1000', 'a sweep of 1,000 seeds')
    .epilogue(EXIT_CODE_TABLE);

/** The seeds to run and, for the header line, how `--seeds` was read. */
function chosenSeeds(args: RunArgs, scenario: Scenario): { range: SeedRange; meant?: string } {
  if (args.seeds !== undefined) return parseSeedsFlag(args.seeds, args.from);
  if (args.from !== undefined)
    throw new UserError('--from: goes with a count of --seeds (--seeds 100 --from 5)', EXIT.usage);
  if (args.seed !== undefined) {
    const s = parseSeed(args.seed, '--seed');
    return { range: { from: s, to: s } };
  }
  if (scenario.seeds !== undefined) return { range: scenario.seeds };
  const s = scenario.seed ?? randomInt(0, 2 ** 31);
  return { range: { from: s, to: s } };
}

export async function runCommand(args: RunArgs): Promise<number> {
  const reporters = parseReporters(args);
  const loaded = await loadScenario(args.scenario, args.option);
  const bugs = args.bug ?? [];
  checkBugFlags(loaded.scenario, bugs);
  if (args.workers !== undefined && (!Number.isInteger(args.workers) || args.workers < 1))
    throw new UserError('--workers: expected a positive integer', EXIT.usage);
  const { range, meant } = chosenSeeds(args, loaded.scenario);
  if (range.from === range.to) return runOne(loaded, range.from, bugs, args);
  return runSweep(loaded, range, meant, bugs, args, reporters);
}

/** ` bug=… swarm`: what the header line adds after the scenario and protocol. */
const flagWords = (scenario: Scenario, bugs: readonly string[], swarm: boolean): string =>
  [
    ...[...scenario.bugs, ...bugs].map((b) => ` bug=${b}`),
    ...(scenario.optionOverrides ?? []).map((o) => ` option=${o}`),
    swarm ? ' swarm' : '',
  ].join('');

function runOne(loaded: LoadedScenario, seed: number, bugs: string[], args: RunArgs): number {
  const { scenario } = loaded;
  const out = args.json ? process.stderr : process.stdout;
  const swarm = args.swarm === true;
  out.write(
    `seed=${seed} scenario=${scenario.file} protocol=${scenario.protocol.name}` +
      `${flagWords(scenario, bugs, swarm)}\n`,
  );
  const dir = reportDir(args.out, scenario.name, seed);
  mkdirSync(dir, { recursive: true });
  const trace = new TraceFile(join(dir, 'trace.ndjson'));
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
  const replay = replayCommand(result, scenario.bugs, cliInvocation());
  const report = join(dir, 'result.json');
  const page = args.html ? writeHtmlReport(report, result, cliInvocation()) : undefined;
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ ...result, replay, report })}\n`);
    return exitCodeFor([result.verdict]);
  }
  if (result.verdict !== 'valid') out.write(`${c().bold('replay:')} ${replay}\n`);
  for (const l of wrapLine(seedLine(summarizeResult(result)), outputWidth(), '    '))
    out.write(`${l}\n`);
  const details = [...runDetails(result, scenario.checkers), ...faultSchedule(result, scenario)];
  for (const line of details) out.write(`  ${line}\n`);
  if (args.checkDeterminism)
    out.write(`  determinism: two runs, same trace hash ${result.traceHash}\n`);
  out.write(`  report: ${report}\n`);
  if (page !== undefined) out.write(`  page: ${page}\n`);
  writeLesson(out, scenario.lesson);
  return exitCodeFor([result.verdict]);
}

async function runSweep(
  loaded: LoadedScenario,
  range: SeedRange,
  meant: string | undefined,
  bugs: string[],
  args: RunArgs,
  reporters: Reporters,
): Promise<number> {
  const { scenario } = loaded;
  const workers = args.workers ?? Math.max(1, availableParallelism());
  const swarm = args.swarm === true;
  const quiet = reporters.stdoutTaken;
  const how = meant === undefined ? '' : ` (${meant})`;
  (quiet ? process.stderr : process.stdout).write(
    `seeds=${range.from}..${range.to} scenario=${scenario.file} ` +
      `protocol=${scenario.protocol.name} workers=${workers}` +
      `${flagWords(scenario, bugs, swarm)}${how}\n`,
  );
  const twice = args.checkDeterminism === true;
  const { summaries, wallMs } = await sweepShowingProgress(
    loaded,
    range,
    { bugs, workers, swarm, twice },
    quiet,
  );
  const o = { bugs, swarm, out: args.out, max: args.reportsMax };
  const reports = writeFailingReports(scenario, summaries, o);
  const failing = summaries.filter(isFailing);
  const cli = cliInvocation();
  const replay = failing[0] ? sweepReplay(scenario, failing[0].seed, bugs, swarm, cli) : undefined;
  const code = exitCodeFor(summaries.map((s) => s.verdict));
  const replayOf = (seed: number) => sweepReplay(scenario, seed, bugs, swarm, cli);
  writeCiReports(reporters, [{ scenario, summaries, wallMs, replayOf, reports }]);
  if (args.json) {
    const doc = {
      scenario: scenario.file,
      seeds: range,
      bugs,
      workers,
      wallMs: Math.round(wallMs),
      counts: countVerdicts(summaries),
      lowestFailingSeed: failing[0]?.seed ?? null,
      replay: replay ?? null,
      reports,
      results: summaries,
    };
    process.stdout.write(`${JSON.stringify(doc)}\n`);
    return code;
  }
  if (!reporters.text) return code;
  const out = quiet ? process.stderr : process.stdout;
  for (const line of sweepText(scenario.name, summaries, wallMs, replay)) out.write(`${line}\n`);
  if (args.checkDeterminism)
    out.write(`  determinism: every seed ran twice with the same trace hash\n`);
  for (const r of reports) out.write(`  report: ${r}\n  page: ${pageOf(r)}\n`);
  if (args.html)
    out.write(
      `  sweep page: ${sweepPage(args.out, scenario.name, summaries, reports, replayOf)}\n`,
    );
  writeLesson(out, scenario.lesson);
  return code;
}

/** A scenario's `lesson:` text closes the human-readable output: the point of the run. */
function writeLesson(out: NodeJS.WritableStream, lesson: string | undefined): void {
  if (lesson === undefined || lesson.trim() === '') return;
  const body = lesson
    .trimEnd()
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
  out.write(`${c().bold('lesson:')}\n${body}\n`);
}
