/**
 * `faultline merge <a.json> <b.json> …`: combines the `fuzz --json` documents of the shards of
 * one sweep into one summary, the same table a single machine would have printed (wall time is
 * the sum over the inputs). `--json` prints the merged document, which can be merged again.
 */
import type { Argv } from 'yargs';
import { EXIT, EXIT_CODE_TABLE, UserError, exitCodeFor } from '../../runner/exit-codes.js';
import {
  FUZZ_SCHEMA_VERSION,
  mergeFuzzDocuments,
  readFuzzDocuments,
  type FuzzDocument,
} from '../fuzz-document.js';
import { worstExitCode } from './fuzz.js';
import { sweepText } from '../sweep.js';

export interface MergeArgs {
  files: string[];
  json?: boolean;
}

export const mergeBuilder = (y: Argv) =>
  y
    .positional('files', {
      type: 'string',
      array: true,
      demandOption: true,
      describe: 'documents written by `faultline fuzz --json`',
    })
    .option('json', { type: 'boolean', describe: 'print the merged document as JSON' })
    .example(
      '$0 merge shard-1.json shard-2.json shard-3.json shard-4.json',
      'one summary of a sweep run on four machines',
    )
    .epilogue(EXIT_CODE_TABLE);

export function mergeCommand(args: MergeArgs): number {
  const files = args.files.map(String);
  // A file holds one sweep, or one per scenario (`fuzz` of several): merge scenario by scenario.
  // Within one, shards that differ in bugs or swarm are refused (they are not one sweep).
  const groups = new Map<string, { docs: FuzzDocument[]; files: string[] }>();
  for (const file of files) {
    for (const d of readFuzzDocuments(file)) {
      const key = d.scenario.file;
      let g = groups.get(key);
      if (g === undefined) {
        g = { docs: [], files: [] };
        groups.set(key, g);
      }
      g.docs.push(d);
      g.files.push(file);
    }
  }
  if (groups.size === 0) throw new UserError('merge: name at least one fuzz document', EXIT.usage);
  const merged = [...groups.values()].map((g) => ({
    doc: mergeFuzzDocuments(g.docs, g.files),
    inputs: g.files.length,
  }));
  if (args.json) {
    const out =
      merged.length === 1
        ? (merged[0] as { doc: FuzzDocument }).doc
        : {
            schemaVersion: FUZZ_SCHEMA_VERSION,
            tool: 'faultline',
            kind: 'fuzz-set',
            documents: merged.map((m) => m.doc),
          };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } else {
    merged.forEach(({ doc, inputs }, i) => {
      if (i > 0) process.stdout.write('\n');
      process.stdout.write(
        `merged ${inputs} documents: seeds=${doc.sweep.from}..${doc.sweep.to} scenario=${doc.scenario.file}${doc.bugs.map((b) => ` bug=${b}`).join('')}${doc.swarm ? ' swarm' : ''}\n`,
      );
      for (const line of sweepText(
        doc.scenario.name,
        doc.results,
        doc.wallMs,
        doc.replay ?? undefined,
      ))
        process.stdout.write(`${line}\n`);
      for (const r of doc.reports) process.stdout.write(`  report: ${r}\n`);
    });
  }
  return worstExitCode(merged.map((m) => exitCodeFor(m.doc.results.map((s) => s.verdict))));
}
