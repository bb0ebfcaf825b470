/**
 * `faultline report <result.json> [--open]`: (re)builds report.html beside a result from the
 * result, history and trace in its folder, and with --open opens it in the default browser. A
 * missing, truncated or foreign file is one positioned message (exit 65); a trace that belongs
 * to another run is said so on the page, which then draws no messages.
 */
import { spawn } from 'node:child_process';
import type { Argv } from 'yargs';
import { EXIT_CODE_TABLE } from '../../runner/exit-codes.js';
import { writeHtmlReport } from '../../report/html-writer.js';
import { cliInvocation } from '../invocation.js';
import { readResult } from '../result-file.js';

export interface ReportArgs {
  result: string;
  open?: boolean;
}

export const reportBuilder = (y: Argv) =>
  y
    .positional('result', {
      type: 'string',
      demandOption: true,
      describe: 'a result.json written by `faultline run` or `fuzz`',
    })
    .option('open', { type: 'boolean', describe: 'open the page in the default browser' })
    .example('$0 report reports/pb-async-crash/3/result.json --open', 'draw seed 3 and open it')
    .epilogue(EXIT_CODE_TABLE);

export function reportCommand(args: ReportArgs): number {
  const result = readResult(args.result);
  const page = writeHtmlReport(args.result, result, cliInvocation());
  process.stdout.write(`report: ${page}\n`);
  if (args.open === true) openInBrowser(page);
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
