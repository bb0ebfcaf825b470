/**
 * Runs many `faultline` invocations in one process, for the malformed-input corpus: spawning
 * node for each of hundreds of files would cost a second apiece. Each job calls the command
 * function the CLI's `run`, `replay`, `shrink` or `check` calls, with the arguments yargs would
 * pass (the defaults included), and ends as `src/cli/main.ts` ends a command: a UserError prints
 * `faultline: <message>` and exits with its code, anything else is an internal error (70) with
 * its stack. What the command wrote is captured per job.
 *
 * Spawned as `node --import tsx cli-corpus-driver.ts <jobs.json> <outcomes.json>`; each job's
 * start is written to the real stderr first, so a job that hangs or kills the process is named.
 */
import { readFileSync, writeFileSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configureColor } from '../../src/cli/colors.js';
import { checkCommand } from '../../src/cli/commands/check.js';
import { replayCommand } from '../../src/cli/commands/replay.js';
import { runCommand } from '../../src/cli/commands/run.js';
import { shrinkCommand } from '../../src/cli/commands/shrink.js';
import { EXIT, UserError } from '../../src/runner/exit-codes.js';

export interface CorpusJob {
  readonly command: 'run' | 'replay' | 'shrink' | 'check';
  /** The scenario (run), result.json (replay, shrink) or history (check). */
  readonly file: string;
  /** Where reports (run) or shrunk scenarios (shrink) go. */
  readonly out: string;
}

export interface CorpusOutcome {
  readonly job: CorpusJob;
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** This file, for spawning. */
export const CORPUS_DRIVER = fileURLToPath(import.meta.url);

/** Output kept per stream: enough to see a stack trace, not a 30,000-line flood. */
const CAPTURE_MAX = 64 * 1024;

function command(job: CorpusJob): Promise<number> {
  switch (job.command) {
    case 'run':
      return runCommand({ scenario: job.file, seed: '1', out: job.out, reportsMax: 5 });
    case 'replay':
      return replayCommand({ result: job.file });
    case 'shrink':
      return shrinkCommand({ result: job.file, outDir: job.out, runs: 3 });
    case 'check':
      return Promise.resolve(
        checkCommand({ history: [job.file], format: 'auto', partition: true }),
      );
  }
}

/** Swaps a stream's write for a capture; returns the captured text and restores it. */
function capture(stream: NodeJS.WriteStream): () => string {
  const original = stream.write;
  let text = '';
  stream.write = ((chunk: string | Uint8Array) => {
    if (text.length < CAPTURE_MAX) text += String(chunk);
    return true;
  }) as typeof stream.write;
  return () => {
    stream.write = original;
    return text.slice(0, CAPTURE_MAX);
  };
}

async function runJob(job: CorpusJob): Promise<CorpusOutcome> {
  const t0 = performance.now();
  const stdout = capture(process.stdout);
  const stderr = capture(process.stderr);
  let code: number;
  try {
    code = await command(job);
  } catch (e) {
    // As main.ts ends a command.
    if (e instanceof UserError) {
      process.stderr.write(`faultline: ${e.message}\n`);
      code = e.exitCode;
    } else {
      const text = e instanceof Error ? (e.stack ?? e.message) : String(e);
      process.stderr.write(`faultline: internal error: ${text}\n`);
      code = EXIT.internal;
    }
  }
  const out = stdout();
  const err = stderr();
  return { job, code, stdout: out, stderr: err, ms: performance.now() - t0 };
}

async function main(jobsFile: string, outcomesFile: string): Promise<void> {
  configureColor(false);
  const jobs = JSON.parse(readFileSync(jobsFile, 'utf8')) as CorpusJob[];
  const outcomes: CorpusOutcome[] = [];
  for (const [i, job] of jobs.entries()) {
    writeSync(2, `job ${i} ${job.command} ${job.file}\n`);
    outcomes.push(await runJob(job));
  }
  writeFileSync(outcomesFile, JSON.stringify(outcomes));
}

if (process.argv[1] === CORPUS_DRIVER) {
  const [jobsFile, outcomesFile] = process.argv.slice(2) as [string, string];
  await main(jobsFile, outcomesFile);
}
