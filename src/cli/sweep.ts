/**
 * What `run --seeds` and `fuzz` share: running a seed range through the worker pool with a
 * progress display (optionally in seed-ordered batches that stop after the first batch with a
 * failure), writing reports for the lowest failing seeds (rerun here with the trace on, which
 * re-checks determinism, each with its report.html), and the text summary with the replay command first.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import cliProgress from 'cli-progress';
import { runSeedAs } from '../run/swarm.js';
import type { Scenario } from '../scenario/index.js';
import { c } from './colors.js';
import { EXIT, UserError, exitCodeFor } from '../runner/exit-codes.js';
import { outputWidth, seedLine, sweepTable, verdictWord, wrapLine } from './format.js';
import { reportDir, TraceFile, writeReport } from './report-writer.js';
import { writeHtmlReport } from '../report/html-writer.js';
import { writeSweepSummary } from '../report/sweep-summary.js';
import { cliInvocation } from './invocation.js';
import type { SeedSummary } from '../runner/seed-summary.js';
import { isFailing, type SweepOptions, type SweepRun, sweepSeeds } from '../runner/sweep-seeds.js';
import type { LoadedScenario } from '../runner/load-scenario.js';
import type { SeedRange } from '../runner/seed-range.js';

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
    writeHtmlReport(join(dir, 'result.json'), result, cliInvocation());
    if (result.traceHash !== s.traceHash)
      nondeterministic.push({ ...s, secondHash: result.traceHash });
    reports.push(join(dir, 'result.json'));
  }
  const d = nondeterministic[0];
  if (d !== undefined)
    throw new UserError(
      `nondeterminism detected: seed ${d.seed} gave trace hashes ` +
        `${d.traceHash} and ${d.secondHash}`,
      EXIT.internal,
    );
  return reports;
}

/** Writes a sweep's summary page, sweep.html, in the scenario's report folder; returns its path. */
export function sweepPage(
  out: string,
  scenarioName: string,
  summaries: readonly SeedSummary[],
  reports: readonly string[],
  replayOf: (seed: number) => string,
): string {
  const dir = dirname(reportDir(out, scenarioName, 0));
  mkdirSync(dir, { recursive: true });
  const page = { scenario: scenarioName, summaries, reports, replayOf };
  return writeSweepSummary(join(dir, 'sweep.html'), page);
}

/** The report.html written beside a failing seed's result.json. */
export const pageOf = (result: string): string => join(dirname(result), 'report.html');

export function countVerdicts(s: readonly SeedSummary[]): Record<string, number> {
  return {
    valid: s.filter((x) => x.verdict === 'valid').length,
    invalid: s.filter((x) => x.verdict === 'invalid').length,
    unknown: s.filter((x) => x.verdict === 'unknown').length,
  };
}

/**
 * The text summary: replay command of the lowest failing seed first, the verdict, the table, the
 * failing seeds. `of`: the seeds of the whole sweep, when these are only part of it (a merge that
 * misses shards), which makes a clean part UNKNOWN rather than VALID.
 */
export function sweepText(
  name: string,
  summaries: readonly SeedSummary[],
  wallMs: number,
  replay: string | undefined,
  of?: number,
): string[] {
  const code = exitCodeFor(summaries.map((s) => s.verdict));
  const verdict = code === 1 ? 'invalid' : code === 0 && of === undefined ? 'valid' : 'unknown';
  const lines: string[] = [];
  if (replay !== undefined) lines.push(`${c().bold('replay:')} ${replay}`);
  const part = of === undefined ? '' : ` of ${of} (incomplete)`;
  lines.push(`${verdictWord(verdict)} ${name} over ${summaries.length}${part} seeds`);
  lines.push(...sweepTable(summaries, wallMs));
  const failing = summaries.filter(isFailing);
  for (const s of failing.slice(0, 10))
    lines.push(...wrapLine(`  ${seedLine(s)}`, outputWidth(), '      '));
  if (failing.length > 10) lines.push(`  … and ${failing.length - 10} more failing seeds`);
  return lines;
}

interface Progress {
  update(done: number, failures: number): void;
  stop(): void;
}

/** A sweep with its progress shown on stderr (nothing when `quiet`: stdout carries JSON). */
export async function sweepShowingProgress(
  loaded: LoadedScenario,
  range: SeedRange,
  options: SweepOptions,
  quiet: boolean,
): Promise<SweepRun> {
  const progress = makeProgress(range.to - range.from + 1, quiet);
  try {
    return await sweepSeeds(loaded, range, { ...options, onProgress: progress.update });
  } finally {
    progress.stop();
  }
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
