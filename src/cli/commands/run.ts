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
import cliProgress from 'cli-progress';
import type { Argv } from 'yargs';
import { runSeed } from '../../fuzz/run-seed.js';
import { replayCommand } from '../../report/run-result.js';
import { validateBugs } from '../../scenario/index.js';
import { c } from '../colors.js';
import { EXIT, EXIT_CODE_TABLE, UserError, exitCodeFor } from '../exit-codes.js';
import { runDetails, seedLine, sweepTable, verdictWord } from '../format.js';
import { loadScenario, type LoadedScenario } from '../load-scenario.js';
import { reportDir, TraceFile, writeReport } from '../report-writer.js';
import { parseSeed, parseSeedRange, type SeedRange } from '../seed-range.js';
import { runSeeds } from '../seed-pool.js';
import { summarizeResult, type SeedSummary } from '../seed-summary.js';
import type { SeedTask } from '../seed-worker.js';

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
}

export const runBuilder = (y: Argv) =>
  y
    .positional('scenario', { type: 'string', demandOption: true, describe: 'scenario file (.yaml, .yml or .json)' })
    .option('seed', { type: 'string', describe: 'run this one seed (random if neither --seed nor --seeds, and printed)' })
    .option('seeds', { type: 'string', describe: 'run a seed range, inclusive: A..B' })
    .option('workers', { type: 'number', describe: 'worker threads for a seed range (default: one per core; 1 runs in this thread)' })
    .option('json', { type: 'boolean', describe: 'print one JSON document on stdout instead of text' })
    .option('out', { type: 'string', default: 'reports', describe: 'where reports are written' })
    .option('bug', { type: 'string', array: true, describe: 'switch on a named bug (repeatable); see `faultline list`' })
    .option('check-determinism', { type: 'boolean', describe: 'run each seed twice and compare trace hashes (exit 70 on a mismatch)' })
    .option('reports-max', { type: 'number', default: 5, describe: 'in a sweep, write reports for at most this many failing seeds (lowest first)' })
    .conflicts('seed', 'seeds')
    .example('$0 run scenarios/fast/pb-async-crash.yaml --seed 3', 'one seed, in detail')
    .example('$0 run scenarios/fast/pb-sync-crash.yaml --seeds 1..1000', 'a sweep across worker threads')
    .epilogue(EXIT_CODE_TABLE);

export async function runCommand(args: RunArgs): Promise<number> {
  const loaded = await loadScenario(args.scenario);
  const { scenario } = loaded;
  const bugs = args.bug ?? [];
  const bad = validateBugs(scenario, bugs);
  if (bad !== undefined) throw new UserError(`--bug: ${bad}`, EXIT.usage);
  if (args.workers !== undefined && (!Number.isInteger(args.workers) || args.workers < 1)) throw new UserError('--workers: expected a positive integer', EXIT.usage);
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
  out.write(`seed=${seed} scenario=${scenario.file} protocol=${scenario.protocol.name}${[...scenario.bugs, ...bugs].map((b) => ` bug=${b}`).join('')}\n`);
  const dir = reportDir(args.out, scenario.name, seed);
  mkdirp(dir);
  const trace = new TraceFile(join(dir, 'trace.ndjson'));
  const { result, history } = runSeed(scenario, seed, { bugs, trace: trace.write });
  if (args.checkDeterminism) {
    const again = runSeed(scenario, seed, { bugs }).result.traceHash;
    if (again !== result.traceHash) throw new UserError(`nondeterminism detected: seed ${seed} gave trace hashes ${result.traceHash} and ${again}`, EXIT.internal);
  }
  writeReport(dir, result, history, trace);
  const replay = replayCommand(result, scenario.bugs);
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ ...result, replay, report: join(dir, 'result.json') })}\n`);
    return exitCodeFor([result.verdict]);
  }
  if (result.verdict !== 'valid') out.write(`${c().bold('replay:')} ${replay}\n`);
  out.write(`${seedLine(summarizeResult(result))}\n`);
  for (const line of runDetails(result)) out.write(`  ${line}\n`);
  if (args.checkDeterminism) out.write(`  determinism: two runs, same trace hash ${result.traceHash}\n`);
  out.write(`  report: ${join(dir, 'result.json')}\n`);
  writeLesson(out, scenario.lesson);
  return exitCodeFor([result.verdict]);
}

async function runSweep(loaded: LoadedScenario, range: SeedRange, bugs: string[], args: RunArgs): Promise<number> {
  const { scenario, text } = loaded;
  const workers = args.workers ?? Math.max(1, availableParallelism());
  const total = range.to - range.from + 1;
  const err = process.stderr;
  const head = `seeds=${range.from}..${range.to} scenario=${scenario.file} protocol=${scenario.protocol.name} workers=${workers}${[...scenario.bugs, ...bugs].map((b) => ` bug=${b}`).join('')}`;
  (args.json ? err : process.stdout).write(`${head}\n`);
  const tasks: SeedTask[] = [];
  for (let s = range.from; s <= range.to; s++) tasks.push({ text, file: scenario.file, seed: s, bugs, twice: args.checkDeterminism === true });
  const progress = makeProgress(total, args.json === true);
  const started = performance.now();
  let failures = 0;
  const summaries = await runSeeds(tasks, {
    workers,
    onResult: (s, done) => {
      if (s.verdict !== 'valid') failures++;
      progress.update(done, failures);
    },
  });
  progress.stop();
  const wallMs = performance.now() - started;
  const nondeterministic = summaries.filter((s) => s.secondHash !== undefined && s.secondHash !== s.traceHash);
  const failing = summaries.filter((s) => s.verdict !== 'valid');
  // Reports for the lowest failing seeds, rerun here with the trace on; the hash must not move.
  const reports: string[] = [];
  for (const s of failing.slice(0, args.reportsMax)) {
    const dir = reportDir(args.out, scenario.name, s.seed);
    mkdirp(dir);
    const trace = new TraceFile(join(dir, 'trace.ndjson'));
    const { result, history } = runSeed(scenario, s.seed, { bugs, trace: trace.write });
    writeReport(dir, result, history, trace);
    if (result.traceHash !== s.traceHash) nondeterministic.push({ ...s, secondHash: result.traceHash });
    reports.push(join(dir, 'result.json'));
  }
  if (nondeterministic.length > 0) {
    const d = nondeterministic[0] as SeedSummary;
    throw new UserError(`nondeterminism detected: seed ${d.seed} gave trace hashes ${d.traceHash} and ${d.secondHash}`, EXIT.internal);
  }
  const code = exitCodeFor(summaries.map((s) => s.verdict));
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ scenario: scenario.file, seeds: range, bugs, workers, wallMs: Math.round(wallMs), counts: countVerdicts(summaries), lowestFailingSeed: failing[0]?.seed ?? null, replay: failing[0] ? replayCommand({ scenario: { file: scenario.file, name: scenario.name, contentHash: scenario.contentHash }, seed: failing[0].seed, bugs: [...scenario.bugs, ...bugs] }, scenario.bugs) : null, reports, results: summaries })}\n`);
    return code;
  }
  const out = process.stdout;
  if (failing.length > 0) {
    const first = failing[0] as SeedSummary;
    out.write(`${c().bold('replay:')} ${replayCommand({ scenario: { file: scenario.file, name: scenario.name, contentHash: scenario.contentHash }, seed: first.seed, bugs: [...scenario.bugs, ...bugs] }, scenario.bugs)}\n`);
  }
  out.write(`${verdictWord(code === 0 ? 'valid' : code === 1 ? 'invalid' : 'unknown')} ${scenario.name} over ${total} seeds\n`);
  for (const line of sweepTable(summaries, wallMs)) out.write(`${line}\n`);
  for (const s of failing.slice(0, 10)) out.write(`  ${seedLine(s)}\n`);
  if (failing.length > 10) out.write(`  … and ${failing.length - 10} more failing seeds\n`);
  if (args.checkDeterminism) out.write(`  determinism: every seed ran twice with the same trace hash\n`);
  for (const r of reports) out.write(`  report: ${r}\n`);
  writeLesson(out, scenario.lesson);
  return code;
}

/** A scenario's `lesson:` text closes the human-readable output: the point of the run. */
function writeLesson(out: NodeJS.WritableStream, lesson: string | undefined): void {
  if (lesson === undefined || lesson.trim() === '') return;
  out.write(`${c().bold('lesson:')}\n${lesson.trimEnd().split('\n').map((l) => `  ${l}`).join('\n')}\n`);
}

function countVerdicts(s: readonly SeedSummary[]): Record<string, number> {
  return { valid: s.filter((x) => x.verdict === 'valid').length, invalid: s.filter((x) => x.verdict === 'invalid').length, unknown: s.filter((x) => x.verdict === 'unknown').length };
}

interface Progress {
  update(done: number, failures: number): void;
  stop(): void;
}

/** A bar on a terminal; plain lines every 10 s in CI or when piped; nothing with --json. */
function makeProgress(total: number, json: boolean): Progress {
  if (json) return { update: () => undefined, stop: () => undefined };
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: 'seeds {bar} {value}/{total} · failing {failures} · eta {eta_formatted}', stream: process.stderr, hideCursor: true, clearOnComplete: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { failures: 0 });
    return { update: (d, f) => bar.update(d, { failures: f }), stop: () => bar.stop() };
  }
  let last = performance.now();
  return {
    update: (d, f) => {
      const now = performance.now();
      if (now - last >= 10_000) {
        last = now;
        process.stderr.write(`progress: ${d}/${total} seeds, ${f} failing\n`);
      }
    },
    stop: () => undefined,
  };
}

function mkdirp(dir: string): void {
  mkdirSync(dir, { recursive: true });
}
