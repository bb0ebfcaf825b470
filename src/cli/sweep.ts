/**
 * What `run --seeds` and `fuzz` share: running a seed range through the worker pool with a
 * progress display (optionally in seed-ordered batches that stop after the first batch with a
 * failure), writing reports for the lowest failing seeds (rerun here with the trace on, which
 * re-checks determinism), and the text summary with the replay command first.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import cliProgress from 'cli-progress';
import { runSeedAs } from '../fuzz/swarm.js';
import { replayCommand } from '../report/run-result.js';
import type { Scenario } from '../scenario/index.js';
import { c } from './colors.js';
import { EXIT, UserError, exitCodeFor } from './exit-codes.js';
import { seedLine, sweepTable, verdictWord } from './format.js';
import type { LoadedScenario } from './load-scenario.js';
import { reportDir, TraceFile, writeReport } from './report-writer.js';
import { openSeedPool } from './seed-pool.js';
import type { SeedRange } from './seed-range.js';
import type { SeedSummary } from './seed-summary.js';
import type { SeedTask } from './seed-worker.js';

export interface SweepOptions {
  readonly bugs: readonly string[];
  readonly workers: number;
  /** No progress display (stdout carries one JSON document). */
  readonly quiet: boolean;
  readonly swarm: boolean;
  /** Run each seed twice and keep the second trace hash (`--check-determinism`). */
  readonly twice: boolean;
  /**
   * Stop after the first batch that holds a failure. Batches are this many seeds in seed order,
   * whatever the number of workers, so where a sweep stops never depends on thread timing.
   */
  readonly stopOnFirstBatch?: number;
}

export interface SweepRun {
  readonly summaries: readonly SeedSummary[];
  readonly wallMs: number;
  /** With stopOnFirstBatch: the last seed run when the sweep stopped early. */
  readonly stoppedAfter?: number;
}

export const isFailing = (s: SeedSummary): boolean => s.verdict !== 'valid';

export async function sweepSeeds(
  loaded: LoadedScenario,
  range: SeedRange,
  o: SweepOptions,
): Promise<SweepRun> {
  const { scenario, text } = loaded;
  const total = range.to - range.from + 1;
  const progress = makeProgress(total, o.quiet);
  const started = performance.now();
  let failures = 0;
  const pool = openSeedPool({
    workers: total === 1 ? 1 : o.workers,
    onResult: (s, done) => {
      if (isFailing(s)) failures++;
      progress.update(done, failures);
    },
  });
  const task = (seed: number): SeedTask => ({
    text,
    file: scenario.file,
    seed,
    bugs: o.bugs,
    twice: o.twice,
    swarm: o.swarm,
  });
  const summaries: SeedSummary[] = [];
  let stoppedAfter: number | undefined;
  try {
    const batch = o.stopOnFirstBatch ?? total;
    for (let from = range.from; from <= range.to; from += batch) {
      const to = Math.min(range.to, from + batch - 1);
      const tasks: SeedTask[] = [];
      for (let s = from; s <= to; s++) tasks.push(task(s));
      const results = await pool.run(tasks);
      summaries.push(...results);
      if (o.stopOnFirstBatch !== undefined && results.some(isFailing) && to < range.to) {
        stoppedAfter = to;
        break;
      }
    }
  } finally {
    await pool.close();
    progress.stop();
  }
  const wallMs = performance.now() - started;
  return stoppedAfter === undefined ? { summaries, wallMs } : { summaries, wallMs, stoppedAfter };
}

/**
 * Reports for the lowest failing seeds, rerun here with the trace on; a trace hash that moved is
 * nondeterminism (exit 70), as is a second run that disagreed (`twice`).
 */
export function writeFailingReports(
  scenario: Scenario,
  summaries: readonly SeedSummary[],
  o: { bugs: readonly string[]; swarm: boolean; out: string; max: number },
): string[] {
  const nondeterministic = summaries.filter(
    (s) => s.secondHash !== undefined && s.secondHash !== s.traceHash,
  );
  const reports: string[] = [];
  for (const s of summaries.filter(isFailing).slice(0, o.max)) {
    const dir = reportDir(o.out, scenario.name, s.seed);
    mkdirSync(dir, { recursive: true });
    const trace = new TraceFile(join(dir, 'trace.ndjson'));
    const { result, history } = runSeedAs(o.swarm, scenario, s.seed, {
      bugs: o.bugs,
      trace: trace.write,
    });
    writeReport(dir, result, history, trace);
    if (result.traceHash !== s.traceHash)
      nondeterministic.push({ ...s, secondHash: result.traceHash });
    reports.push(join(dir, 'result.json'));
  }
  const d = nondeterministic[0];
  if (d !== undefined)
    throw new UserError(
      `nondeterminism detected: seed ${d.seed} gave trace hashes ${d.traceHash} and ${d.secondHash}`,
      EXIT.internal,
    );
  return reports;
}

/** The command that reruns one seed of this sweep exactly. */
export function sweepReplay(
  scenario: Pick<Scenario, 'file' | 'name' | 'contentHash' | 'bugs'>,
  seed: number,
  bugs: readonly string[],
  swarm: boolean,
): string {
  const r = {
    scenario: { file: scenario.file, name: scenario.name, contentHash: scenario.contentHash },
    seed,
    bugs: [...scenario.bugs, ...bugs],
  };
  return replayCommand(swarm ? { ...r, swarm: true } : r, scenario.bugs);
}

export function countVerdicts(s: readonly SeedSummary[]): Record<string, number> {
  return {
    valid: s.filter((x) => x.verdict === 'valid').length,
    invalid: s.filter((x) => x.verdict === 'invalid').length,
    unknown: s.filter((x) => x.verdict === 'unknown').length,
  };
}

/** The text summary: replay command of the lowest failing seed first, the verdict, the table, the failing seeds. */
export function sweepText(
  name: string,
  summaries: readonly SeedSummary[],
  wallMs: number,
  replay: string | undefined,
): string[] {
  const code = exitCodeFor(summaries.map((s) => s.verdict));
  const lines: string[] = [];
  if (replay !== undefined) lines.push(`${c().bold('replay:')} ${replay}`);
  lines.push(
    `${verdictWord(code === 0 ? 'valid' : code === 1 ? 'invalid' : 'unknown')} ${name} over ${summaries.length} seeds`,
  );
  lines.push(...sweepTable(summaries, wallMs));
  const failing = summaries.filter(isFailing);
  for (const s of failing.slice(0, 10)) lines.push(`  ${seedLine(s)}`);
  if (failing.length > 10) lines.push(`  … and ${failing.length - 10} more failing seeds`);
  return lines;
}

interface Progress {
  update(done: number, failures: number): void;
  stop(): void;
}

/** A bar on a terminal; plain lines every 10 s in CI or when piped; nothing with --json. */
function makeProgress(total: number, quiet: boolean): Progress {
  if (quiet) return { update: () => undefined, stop: () => undefined };
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: 'seeds {bar} {value}/{total} · failing {failures} · eta {eta_formatted}',
        stream: process.stderr,
        hideCursor: true,
        clearOnComplete: true,
      },
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
