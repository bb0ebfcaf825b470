/**
 * `faultline fuzz <scenario...> --seeds N`: a seed sweep for finding bugs. Seeds run across worker
 * threads and are combined in seed order; `--shard i/n` runs one contiguous block of the sweep
 * (vitest's sharding) so n CI machines cover it exactly once and `faultline merge` adds their
 * `--json` documents up; `--swarm` gives each seed its own subset of the random nemesis kinds;
 * `--stop-on-first` stops after the first seed-ordered batch that holds a failure; `--shrink`
 * shrinks the lowest failing seed into a regression scenario. Scenario arguments may be glob
 * patterns; `--reporter junit|github` reports the sweep to CI.
 */
import { availableParallelism } from 'node:os';
import type { Argv } from 'yargs';
import { shardRange, type Shard } from '../../fuzz/shard.js';
import type { Scenario } from '../../scenario/index.js';
import { checkBugFlags } from '../bug-flags.js';
import { c } from '../colors.js';
import { EXIT, EXIT_CODE_TABLE, UserError, exitCodeFor } from '../../runner/exit-codes.js';
import { FUZZ_SCHEMA_VERSION, fuzzTotals, type FuzzDocument } from '../fuzz-document.js';
import { cliInvocation } from '../invocation.js';
import { loadScenario, type LoadedScenario } from '../../runner/load-scenario.js';
import {
  parseReporters,
  reporterOptions,
  type Reporters,
  type ScenarioSweep,
  writeCiReports,
} from '../reporters.js';
import { readResult } from '../result-file.js';
import { expandScenarioArgs } from '../scenario-globs.js';
import { parseSeedsFlag, type SeedsFlag } from '../../runner/seed-range.js';
import { isFailing, type SweepRun, sweepReplay } from '../../runner/sweep-seeds.js';
import {
  pageOf,
  sweepPage,
  sweepShowingProgress,
  sweepText,
  writeFailingReports,
} from '../sweep.js';
import { shellWord } from '../../run/run-result.js';
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
  from?: string;
  workers?: number;
  shard?: string;
  swarm?: boolean;
  stopOnFirst?: boolean;
  shrink?: boolean;
  json?: boolean;
  bug?: string[];
  option?: string[];
  out: string;
  reportsMax: number;
  outDir: string;
  runs: number;
  reporter?: string | string[];
  outputFile?: string;
  html?: boolean;
}

const sweepOptions = (y: Argv) =>
  y
    .positional('scenario', {
      type: 'string',
      array: true,
      demandOption: true,
      describe: 'scenario files or glob patterns (quoted globs are expanded here)',
    })
    .option('seeds', {
      type: 'string',
      demandOption: true,
      describe: 'a count N (seeds --from..--from+N-1) or a range A..B (inclusive)',
    })
    .option('from', { type: 'string', describe: 'with a count of --seeds: the first seed (1)' })
    .option('workers', {
      type: 'number',
      describe: 'worker threads (default: one per core; 1 runs in this thread)',
    })
    .option('shard', {
      type: 'string',
      describe: 'run only block i of n of the seeds (i/n, 1-based, contiguous, as vitest shards)',
    })
    .option('swarm', {
      type: 'boolean',
      describe: 'swarm testing: each seed switches on its own subset of the random nemesis kinds',
    })
    .option('stop-on-first', {
      type: 'boolean',
      describe: `stop after the first batch of ${STOP_BATCH} seeds (in seed order) with a failure`,
    })
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
    });

const outputOptions = (y: Argv) =>
  y
    .option('shrink', {
      type: 'boolean',
      describe: 'shrink the lowest failing seed into a scenario file (see `faultline shrink`)',
    })
    .option('json', {
      type: 'boolean',
      describe: 'print one JSON document on stdout (input for `faultline merge`)',
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
    .option('html', {
      type: 'boolean',
      describe: 'also write sweep.html: verdicts, metrics across seeds, links to failing seeds',
    });

export const fuzzBuilder = (y: Argv) =>
  reporterOptions(outputOptions(sweepOptions(y)))
    .example('$0 fuzz scenarios/fast/pb-sync-crash.yaml --seeds 1000', 'seeds 1..1000, all cores')
    .example("$0 fuzz 'scenarios/raft-*.yaml' --seeds 500", 'every Raft scenario, one by one')
    .example(
      '$0 fuzz scenarios/raft-crash.yaml --seeds 1000 --shard 2/4 --json > 2.json',
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

/** The flags every scenario of the command shares, checked once before any runs. */
interface Plan {
  readonly seeds: SeedsFlag;
  readonly shard: Shard | undefined;
  readonly reporters: Reporters;
  readonly workers: number;
  readonly cli: string;
}

function plan(args: FuzzArgs): Plan {
  const seeds = parseSeedsFlag(args.seeds, args.from);
  const shard = args.shard === undefined ? undefined : parseShard(args.shard);
  if (args.workers !== undefined && (!Number.isInteger(args.workers) || args.workers < 1))
    throw new UserError('--workers: expected a positive integer', EXIT.usage);
  if (!Number.isInteger(args.reportsMax) || args.reportsMax < 0)
    throw new UserError('--reports-max: expected a whole number', EXIT.usage);
  checkRuns(args.runs);
  const reporters = parseReporters(args);
  const workers = args.workers ?? Math.max(1, availableParallelism());
  return { seeds, shard, reporters, workers, cli: cliInvocation() };
}

/**
 * One sweep per scenario, one after another, with the same seeds and flags. With --json several
 * scenarios print one `fuzz-set` document holding each sweep's document; `merge` takes either.
 * The exit code is the worst of them.
 */
export async function fuzzCommand(args: FuzzArgs): Promise<number> {
  const p = plan(args);
  const files = expandScenarioArgs([args.scenario].flat().map(String));
  const docs: FuzzDocument[] = [];
  const sweeps: ScenarioSweep[] = [];
  const codes: number[] = [];
  for (const [i, file] of files.entries()) {
    if (i > 0 && args.json !== true && p.reporters.text) textOut(p).write('\n');
    const r = await fuzzOne(args, p, file);
    codes.push(r.code);
    docs.push(r.doc);
    sweeps.push(r.sweep);
  }
  writeCiReports(p.reporters, sweeps);
  if (args.json === true) {
    const out =
      docs.length === 1
        ? docs[0]
        : {
            schemaVersion: FUZZ_SCHEMA_VERSION,
            tool: 'faultline',
            kind: 'fuzz-set',
            documents: docs,
          };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  }
  return worstExitCode(codes);
}

/** Violation (1) beats unknown (2) beats valid (0); any other code (an error) beats them all. */
export function worstExitCode(codes: readonly number[]): number {
  const rank = (c: number) => (c === 0 ? 0 : c === 2 ? 1 : c === 1 ? 2 : 3);
  return codes.reduce((w, c) => (rank(c) > rank(w) ? c : w), 0);
}

/** Where text goes: stdout, unless stdout carries a document (JSON or JUnit XML). */
const textOut = (p: Plan) => (p.reporters.stdoutTaken ? process.stderr : process.stdout);

/** `shard=2/4 (seeds 251..500)`, or nothing without --shard. */
function shardWords(p: Plan): string[] {
  if (p.shard === undefined) return [];
  const run = shardRange(p.seeds.range, p.shard);
  const seeds = run === undefined ? 'no seeds' : `seeds ${run.from}..${run.to}`;
  return [`shard=${p.shard.index}/${p.shard.count} (${seeds})`];
}

function header(args: FuzzArgs, p: Plan, scenario: Scenario, bugs: readonly string[]): string {
  const { range } = p.seeds;
  return [
    `seeds=${range.from}..${range.to}`,
    ...shardWords(p),
    `scenario=${scenario.file}`,
    `protocol=${scenario.protocol.name}`,
    `workers=${p.workers}`,
    ...[...scenario.bugs, ...bugs].map((b) => `bug=${b}`),
    ...(scenario.optionOverrides ?? []).map((o) => `option=${o}`),
    ...(args.swarm ? ['swarm'] : []),
    ...(args.stopOnFirst ? ['stop-on-first'] : []),
    `(${p.seeds.meant})`,
  ].join(' ');
}

async function sweepOf(
  loaded: LoadedScenario,
  args: FuzzArgs,
  p: Plan,
  bugs: string[],
): Promise<SweepRun> {
  const range = p.shard === undefined ? p.seeds.range : shardRange(p.seeds.range, p.shard);
  if (range === undefined) return { summaries: [], wallMs: 0 };
  const stop = args.stopOnFirst === true ? { stopOnFirstBatch: STOP_BATCH } : {};
  const options = { bugs, workers: p.workers, swarm: args.swarm === true, twice: false, ...stop };
  return sweepShowingProgress(loaded, range, options, textOut(p) === process.stderr);
}

async function fuzzOne(
  args: FuzzArgs,
  p: Plan,
  file: string,
): Promise<{ code: number; doc: FuzzDocument; sweep: ScenarioSweep }> {
  const loaded = await loadScenario(file, args.option);
  const { scenario } = loaded;
  const bugs = args.bug ?? [];
  checkBugFlags(scenario, bugs);
  const swarm = args.swarm === true;
  textOut(p).write(`${header(args, p, scenario, bugs)}\n`);
  const run = await sweepOf(loaded, args, p, bugs);
  const max = Math.max(args.reportsMax, args.shrink ? 1 : 0);
  const reports = writeFailingReports(scenario, run.summaries, { bugs, swarm, out: args.out, max });
  const replayOf = (seed: number) => sweepReplay(scenario, seed, bugs, swarm, p.cli);
  const lowest = run.summaries.find(isFailing);
  const shrunk =
    args.shrink && lowest !== undefined && reports[0] !== undefined
      ? await shrinkAndWrite(readResult(reports[0]), reports[0], {
          outDir: args.outDir,
          runs: args.runs,
        })
      : undefined;
  const code = exitCodeFor(run.summaries.map((s) => s.verdict));
  const doc = fuzzDocument(scenario, bugs, args, p, run, reports, lowest && replayOf(lowest.seed));
  const sweep = { scenario, summaries: run.summaries, wallMs: run.wallMs, replayOf, reports };
  if (p.reporters.text && args.json !== true) writeText(args, p, doc, run, shrunk);
  if (args.html) {
    const page = sweepPage(args.out, scenario.name, run.summaries, reports, replayOf);
    if (args.json !== true) textOut(p).write(`  sweep page: ${page}\n`);
  }
  return { code, doc: withShrunk(doc, shrunk), sweep };
}

function fuzzDocument(
  scenario: Scenario,
  bugs: readonly string[],
  args: FuzzArgs,
  p: Plan,
  run: SweepRun,
  reports: readonly string[],
  replay: string | undefined,
): FuzzDocument {
  return {
    schemaVersion: FUZZ_SCHEMA_VERSION,
    tool: 'faultline',
    kind: 'fuzz',
    scenario: { file: scenario.file, name: scenario.name, contentHash: scenario.contentHash },
    bugs: [...new Set([...scenario.bugs, ...bugs])].sort(),
    ...(scenario.optionOverrides === undefined ? {} : { options: scenario.optionOverrides }),
    swarm: args.swarm === true,
    sweep: p.seeds.range,
    shard: p.shard ?? null,
    stopOnFirst: args.stopOnFirst === true,
    stoppedAfter: run.stoppedAfter ?? null,
    workers: p.workers,
    wallMs: Math.round(run.wallMs),
    ...fuzzTotals(run.summaries),
    replay: replay ?? null,
    reports,
    results: run.summaries,
  };
}

function withShrunk(doc: FuzzDocument, shrunk: ShrinkWritten | undefined): FuzzDocument {
  if (shrunk === undefined) return doc;
  const { outcome } = shrunk;
  const summary = {
    file: shrunk.file,
    faultsBefore: outcome.faultsBefore.length,
    faultsAfter: outcome.faultsAfter.length,
    run: shrunk.run,
  };
  return { ...doc, shrunk: summary } as FuzzDocument;
}

function writeText(
  args: FuzzArgs,
  p: Plan,
  doc: FuzzDocument,
  run: SweepRun,
  shrunk: ShrinkWritten | undefined,
): void {
  const out = textOut(p);
  const lines = sweepText(doc.scenario.name, run.summaries, run.wallMs, doc.replay ?? undefined);
  for (const line of lines) out.write(`${line}\n`);
  if (run.stoppedAfter !== undefined)
    out.write(
      `  stopped after seed ${run.stoppedAfter} (--stop-on-first: ` +
        `the first batch of ${STOP_BATCH} seeds with a failure)\n`,
    );
  for (const r of doc.reports) out.write(`  report: ${r}\n  page: ${pageOf(r)}\n`);
  if (shrunk !== undefined) for (const line of shrunk.lines) out.write(`${line}\n`);
  const first = doc.reports[0];
  if (doc.lowestFailingSeed !== null && !args.shrink && first !== undefined)
    out.write(`${c().dim(`shrink it: ${p.cli} shrink ${shellWord(first)}`)}\n`);
}
