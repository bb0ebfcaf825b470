/**
 * `faultline report <result.json> [--open]`: (re)builds report.html beside a result from the
 * result, history and trace in its folder, and with --open opens it in the default browser. A
 * missing, truncated or foreign file is one positioned message (exit 65); a trace that belongs
 * to another run is said so on the page, which then draws no messages. `--export` prints the run
 * for Perfetto, ShiViz or Jepsen's tools instead.
 */
import { spawn } from 'node:child_process';
import type { Argv } from 'yargs';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RunResult } from '../../run/run-result.js';
import { EXIT, EXIT_CODE_TABLE, UserError } from '../../runner/exit-codes.js';
import { exportPerfetto } from '../../report/exports/perfetto.js';
import { exportShiviz } from '../../report/exports/shiviz.js';
import { readHistory } from '../../report/report-data.js';
import { checkCommand } from './check.js';
import { writeHtmlReport } from '../../report/html-writer.js';
import { cliInvocation } from '../invocation.js';
import { readResult } from '../result-file.js';

const EXPORTS = ['perfetto', 'shiviz', 'edn'] as const;

export interface ReportArgs {
  result: string;
  open?: boolean;
  export?: (typeof EXPORTS)[number];
}

export const reportBuilder = (y: Argv) =>
  y
    .positional('result', {
      type: 'string',
      demandOption: true,
      describe: 'a result.json written by `faultline run` or `fuzz`',
    })
    .option('open', { type: 'boolean', describe: 'open the page in the default browser' })
    .option('export', {
      choices: EXPORTS,
      describe:
        'instead of the page, print the run for another tool: perfetto (Chrome trace-event ' +
        'JSON), shiviz (a log with vector clocks), edn (the history as Jepsen EDN)',
    })
    .conflicts('export', 'open')
    .example(
      '$0 report reports/raft-crash/1/result.json --export perfetto > run.json',
      'for ui.perfetto.dev',
    )
    .example('$0 report reports/pb-async-crash/3/result.json --open', 'draw seed 3 and open it')
    .epilogue(EXIT_CODE_TABLE);

export function reportCommand(args: ReportArgs): number {
  const result = readResult(args.result);
  if (args.export !== undefined) return exportRun(args.result, result, args.export);
  const page = writeHtmlReport(args.result, result, cliInvocation());
  process.stdout.write(`report: ${page}\n`);
  if (args.open === true) openInBrowser(page);
  return 0;
}

/** Prints the run in another tool's format on stdout. */
function exportRun(
  resultPath: string,
  result: RunResult,
  format: (typeof EXPORTS)[number],
): number {
  const dir = dirname(resultPath);
  const write = (chunk: string) => process.stdout.write(chunk);
  if (format === 'edn')
    return checkCommand({
      history: [join(dir, 'history.json')],
      format: 'json',
      partition: true,
      export: 'edn',
    });
  const trace = join(dir, 'trace.ndjson');
  if (!existsSync(trace))
    throw new UserError(`${trace}: no trace beside the result to export`, EXIT.dataError);
  if (format === 'shiviz') exportShiviz(trace, write);
  else exportPerfetto(trace, result, readHistory(join(dir, 'history.json')), write);
  return 0;
}

/** The platform's opener, detached; if there is none, the printed path is enough. */
function openInBrowser(path: string): void {
  const opener =
    process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  const child = spawn(opener, [path], { stdio: 'ignore', detached: true });
  child.on('error', () =>
    process.stderr.write(`could not start ${opener}: open ${path} yourself\n`),
  );
  child.unref();
}
