/**
 * `faultline merge <a.json> <b.json> …`: combines the `fuzz --json` documents of the shards of
 * one sweep into one summary, the same table a single machine would have printed (wall time is
 * the sum over the inputs). `--json` prints the merged document, which can be merged again.
 */
import type { Argv } from 'yargs';
import { EXIT_CODE_TABLE, exitCodeFor } from '../exit-codes.js';
import { mergeFuzzDocuments, readFuzzDocument } from '../fuzz-document.js';
import { sweepText } from '../sweep.js';

export interface MergeArgs {
  files: string[];
  json?: boolean;
}

export const mergeBuilder = (y: Argv) =>
  y
    .positional('files', { type: 'string', array: true, demandOption: true, describe: 'documents written by `faultline fuzz --json`' })
    .option('json', { type: 'boolean', describe: 'print the merged document as JSON' })
    .example('$0 merge shard-1.json shard-2.json shard-3.json shard-4.json', 'one summary of a sweep run on four machines')
    .epilogue(EXIT_CODE_TABLE);

export function mergeCommand(args: MergeArgs): number {
  const files = args.files.map(String);
  const merged = mergeFuzzDocuments(files.map(readFuzzDocument), files);
  const code = exitCodeFor(merged.results.map((s) => s.verdict));
  if (args.json) {
    process.stdout.write(`${JSON.stringify(merged)}\n`);
    return code;
  }
  process.stdout.write(`merged ${files.length} documents: seeds=${merged.sweep.from}..${merged.sweep.to} scenario=${merged.scenario.file}${merged.bugs.map((b) => ` bug=${b}`).join('')}${merged.swarm ? ' swarm' : ''}\n`);
  for (const line of sweepText(merged.scenario.name, merged.results, merged.wallMs, merged.replay ?? undefined)) process.stdout.write(`${line}\n`);
  for (const r of merged.reports) process.stdout.write(`  report: ${r}\n`);
  return code;
}
