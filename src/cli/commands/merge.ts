/**
 * `faultline merge <a.json> <b.json> …`: combines the `fuzz --json` documents of the shards of
 * one sweep into one summary, the same table a single machine would have printed (wall time is
 * the sum over the inputs). `--json` prints the merged document, which can be merged again.
 * Inputs that do not cover the whole sweep (a shard's job failed, an artifact was not uploaded)
 * are merged but said to be incomplete, and exit 2 unless a failure was found: a partial sweep
 * never passes for a clean one.
 */
import type { Argv } from 'yargs';
import { c } from '../colors.js';
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

/** The documents of the named files, by scenario (a `fuzz` of several holds one per scenario). */
function byScenario(files: readonly string[]): { docs: FuzzDocument[]; files: string[] }[] {
  const groups = new Map<string, { docs: FuzzDocument[]; files: string[] }>();
  for (const file of files) {
    for (const d of readFuzzDocuments(file)) {
      const g = groups.get(d.scenario.file) ?? { docs: [], files: [] };
      groups.set(d.scenario.file, g);
      g.docs.push(d);
      g.files.push(file);
    }
  }
  return [...groups.values()];
}

/** A merge's exit code: the verdicts', except that an incomplete clean sweep proves nothing. */
function mergedExitCode(doc: FuzzDocument): number {
  const code = exitCodeFor(doc.results.map((s) => s.verdict));
  return code === EXIT.valid && doc.complete === false ? EXIT.unknown : code;
}

export function mergeCommand(args: MergeArgs): number {
  // Within one scenario, shards that differ in bugs, swarm or sweep are refused.
  const groups = byScenario(args.files.map(String));
  if (groups.length === 0)
    throw new UserError('merge: name at least one fuzz document', EXIT.usage);
  const merged = groups.map((g) => ({
    doc: mergeFuzzDocuments(g.docs, g.files),
    inputs: g.files.length,
  }));
  if (args.json) {
    const docs = merged.map((m) => m.doc);
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
  } else for (const [i, { doc, inputs }] of merged.entries()) writeMerged(doc, inputs, i > 0);
  return worstExitCode(merged.map((m) => mergedExitCode(m.doc)));
}

function writeMerged(doc: FuzzDocument, inputs: number, gap: boolean): void {
  const out = process.stdout;
  if (gap) out.write('\n');
  const flags = `${doc.bugs.map((b) => ` bug=${b}`).join('')}${doc.swarm ? ' swarm' : ''}`;
  out.write(
    `merged ${inputs} documents: seeds=${doc.sweep.from}..${doc.sweep.to} ` +
      `scenario=${doc.scenario.file}${flags}\n`,
  );
  if (doc.missing !== undefined) out.write(`${incompleteLine(doc)}\n`);
  const of = doc.missing === undefined ? undefined : doc.sweep.to - doc.sweep.from + 1;
  const replay = doc.replay ?? undefined;
  for (const line of sweepText(doc.scenario.name, doc.results, doc.wallMs, replay, of))
    out.write(`${line}\n`);
  for (const r of doc.reports) out.write(`  report: ${r}\n`);
}

/** `INCOMPLETE: shard 2/4 (seeds 251..500) missing: 250 of 1000 seeds are in no input, …`. */
function incompleteLine(doc: FuzzDocument): string {
  const m = doc.missing;
  if (m === undefined) return '';
  const total = doc.sweep.to - doc.sweep.from + 1;
  const ranges = m.ranges.map(([a, b]) => (a === b ? `${a}` : `${a}..${b}`));
  const seeds = ranges.length > 5 ? [...ranges.slice(0, 5), '…'] : ranges;
  const shards = m.shards.map((i) => `${i}/${m.shardCount}`).join(', ');
  const which = shards === '' ? '' : `shard${m.shards.length === 1 ? '' : 's'} ${shards} `;
  return (
    `${c().yellow.bold('INCOMPLETE:')} ${which}(seeds ${seeds.join(', ')}) missing: ` +
    `${m.seeds} of ${total} seeds are in no input, so this is not the whole sweep`
  );
}
