/**
 * The JSON document `fuzz --json` prints, and `merge` combining several of them (the shards of
 * one sweep run on a CI matrix) into one. It carries every seed's summary, so a merged document
 * is the same as one sweep over all the seeds: same table, same lowest failing seed. Documents
 * from different scenarios, bugs, swarm settings, sweeps or shard counts, or that ran a seed or
 * a shard twice, are refused, naming the file (exit 65). Each document records its shard and the
 * whole sweep, so a merge knows whether its inputs cover the sweep: one that does not is merged
 * but marked incomplete, with the shards and seeds missing, and never passes for the whole.
 */
import { shardRange } from '../fuzz/shard.js';
import { EXIT, UserError } from '../runner/exit-codes.js';
import { readJsonFile } from './json-file.js';
import type { SeedSummary } from '../runner/seed-summary.js';
import { isFailing } from '../runner/sweep-seeds.js';
import { countVerdicts } from './sweep.js';

export const FUZZ_SCHEMA_VERSION = 1;

export interface FuzzDocument {
  readonly schemaVersion: typeof FUZZ_SCHEMA_VERSION;
  readonly tool: 'faultline';
  readonly kind: 'fuzz';
  readonly scenario: { readonly file: string; readonly name: string; readonly contentHash: string };
  /** Every bug switched on (the scenario's and --bug), sorted. */
  readonly bugs: readonly string[];
  /** `--option KEY=VALUE` flags set over the scenario's protocol options, as written. */
  readonly options?: readonly string[];
  readonly swarm: boolean;
  /** The whole sweep, and which shard of it this document ran (null: all of it, or a merge). */
  readonly sweep: { readonly from: number; readonly to: number };
  readonly shard: { readonly index: number; readonly count: number } | null;
  readonly stopOnFirst: boolean;
  /** With --stop-on-first: the last seed run before the sweep stopped (null: it ran to the end). */
  readonly stoppedAfter: number | null;
  readonly workers: number;
  readonly wallMs: number;
  readonly counts: Readonly<Record<string, number>>;
  /** Failing seeds per checker that found a violation. */
  readonly violationsByChecker: Readonly<Record<string, number>>;
  readonly lowestFailingSeed: number | null;
  readonly replay: string | null;
  readonly reports: readonly string[];
  readonly results: readonly SeedSummary[];
  /** A merged document: whether its inputs covered the whole sweep. */
  readonly complete?: boolean;
  /** A merged document that is not complete: the shards and seeds no input held. */
  readonly missing?: MissingSeeds;
}

interface MissingSeeds {
  /** Shard indices (of `shardCount`, the inputs' split) with a seed no input held. */
  readonly shards: readonly number[];
  readonly shardCount: number | null;
  readonly seeds: number;
  /** The missing seeds as inclusive ranges, in order. */
  readonly ranges: readonly (readonly [number, number])[];
}

function violationsByChecker(summaries: readonly SeedSummary[]): Record<string, number> {
  const by = new Map<string, number>();
  for (const s of summaries)
    for (const x of s.checks)
      if (x.verdict === 'violation') by.set(x.checker, (by.get(x.checker) ?? 0) + 1);
  return Object.fromEntries([...by].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** The counts and lowest failing seed, derived from the results (never trusted from a file). */
export function fuzzTotals(
  results: readonly SeedSummary[],
): Pick<FuzzDocument, 'counts' | 'violationsByChecker' | 'lowestFailingSeed'> {
  return {
    counts: countVerdicts(results),
    violationsByChecker: violationsByChecker(results),
    lowestFailingSeed: results.find(isFailing)?.seed ?? null,
  };
}

/** The sweeps a `fuzz --json` file holds: one (`kind: fuzz`), or one per scenario (`fuzz-set`). */
export function readFuzzDocuments(path: string): FuzzDocument[] {
  const d = readJsonFile(path, 'fuzz document') as { kind?: unknown; documents?: unknown } | null;
  if (typeof d === 'object' && d !== null && d.kind === 'fuzz-set') {
    if (!Array.isArray(d.documents))
      throw new UserError(
        `${path}:1:1 documents: expected a list of fuzz documents`,
        EXIT.dataError,
      );
    return d.documents.map((x) => checkFuzzDocument(x, path));
  }
  return [checkFuzzDocument(d, path)];
}

function checkFuzzDocument(value: unknown, path: string): FuzzDocument {
  const d = value as Partial<FuzzDocument> | null;
  if (typeof d !== 'object' || d === null || d.tool !== 'faultline' || d.kind !== 'fuzz')
    throw new UserError(
      `${path}:1:1: not the output of \`faultline fuzz --json\` (no "kind": "fuzz")`,
      EXIT.dataError,
    );
  if (d.schemaVersion !== FUZZ_SCHEMA_VERSION)
    throw new UserError(
      `${path}:1:1 schemaVersion: expected ${FUZZ_SCHEMA_VERSION}, got ${String(d.schemaVersion)}`,
      EXIT.dataError,
    );
  if (
    typeof d.scenario?.contentHash !== 'string' ||
    !Array.isArray(d.bugs) ||
    typeof d.swarm !== 'boolean' ||
    !Array.isArray(d.results) ||
    d.results.some((r) => typeof r?.seed !== 'number')
  ) {
    throw new UserError(
      `${path}:1:1: fuzz document is missing scenario, bugs, swarm or results`,
      EXIT.dataError,
    );
  }
  return d as FuzzDocument;
}

/** Refuses inputs that are not shards of one sweep, naming the file that differs. */
function checkSameSweep(docs: readonly FuzzDocument[], files: readonly string[]): void {
  const first = docs[0] as FuzzDocument;
  const counts = docs.filter((d) => d.shard !== null);
  docs.forEach((d, i) => {
    const differs = (what: string, a: unknown, b: unknown) => {
      throw new UserError(
        `${files[i]}: ${what} differs from ${files[0]} ` +
          `(${JSON.stringify(b)} here, ${JSON.stringify(a)} there): ` +
          'only shards of one sweep can be merged',
        EXIT.dataError,
      );
    };
    const sameScenario =
      d.scenario.file === first.scenario.file &&
      d.scenario.contentHash === first.scenario.contentHash;
    if (!sameScenario) differs('the scenario', first.scenario, d.scenario);
    if (d.bugs.join(',') !== first.bugs.join(',')) differs('bugs', first.bugs, d.bugs);
    if (d.swarm !== first.swarm) differs('swarm', first.swarm, d.swarm);
    const options = (x: FuzzDocument) => (x.options ?? []).join(' ');
    if (options(d) !== options(first)) differs('options', first.options, d.options);
    if (d.sweep.from !== first.sweep.from || d.sweep.to !== first.sweep.to)
      differs('the sweep', first.sweep, d.sweep);
    const other = counts[0]?.shard;
    if (d.shard !== null && other !== undefined && other !== null && d.shard.count !== other.count)
      differs('the shard count', other.count, d.shard.count);
  });
}

/** Refuses a seed, or a shard, that two inputs both hold. */
function checkNoOverlap(docs: readonly FuzzDocument[], files: readonly string[]): void {
  const seeds = new Map<number, string>();
  const shards = new Map<number, string>();
  docs.forEach((d, i) => {
    const file = files[i] as string;
    const overlap = (what: string, other: string) => {
      throw new UserError(
        `${file}: ${what} is also in ${other}: the inputs overlap`,
        EXIT.dataError,
      );
    };
    if (d.shard !== null) {
      const other = shards.get(d.shard.index);
      if (other !== undefined) overlap(`shard ${d.shard.index}/${d.shard.count}`, other);
      shards.set(d.shard.index, file);
    }
    for (const r of d.results) {
      const other = seeds.get(r.seed);
      if (other !== undefined) overlap(`seed ${r.seed}`, other);
      seeds.set(r.seed, file);
    }
  });
}

/** The seeds of the sweep that no input held, and the shards they fall in. */
function missingSeeds(
  docs: readonly FuzzDocument[],
  results: readonly SeedSummary[],
): MissingSeeds | undefined {
  const { sweep } = docs[0] as FuzzDocument;
  const ranges: [number, number][] = [];
  let next = sweep.from;
  for (const r of results) {
    if (r.seed > next) ranges.push([next, r.seed - 1]);
    next = Math.max(next, r.seed + 1);
  }
  if (next <= sweep.to) ranges.push([next, sweep.to]);
  if (ranges.length === 0) return undefined;
  const count = docs.find((d) => d.shard !== null)?.shard?.count;
  const shards: number[] = [];
  for (let index = 1; count !== undefined && index <= count; index++) {
    const block = shardRange(sweep, { index, count });
    const hit = block && ranges.some(([a, b]) => a <= block.to && b >= block.from);
    if (hit) shards.push(index);
  }
  const seeds = ranges.reduce((n, [a, b]) => n + b - a + 1, 0);
  return { shards, shardCount: count ?? null, seeds, ranges };
}

/**
 * One document from many: results in seed order, wall times added up. `files` name the inputs
 * in messages. The replay command and reports are those of the input that holds the lowest
 * failing seed.
 */
export function mergeFuzzDocuments(
  docs: readonly FuzzDocument[],
  files: readonly string[],
): FuzzDocument {
  const first = docs[0];
  if (first === undefined)
    throw new UserError('merge: name at least one fuzz document', EXIT.usage);
  checkSameSweep(docs, files);
  checkNoOverlap(docs, files);
  const results = docs.flatMap((d) => d.results).sort((a, b) => a.seed - b.seed);
  const totals = fuzzTotals(results);
  const holder = docs.find((d) => d.results.some((r) => r.seed === totals.lowestFailingSeed));
  const missing = missingSeeds(docs, results);
  return {
    schemaVersion: FUZZ_SCHEMA_VERSION,
    tool: 'faultline',
    kind: 'fuzz',
    scenario: first.scenario,
    bugs: first.bugs,
    ...(first.options === undefined ? {} : { options: first.options }),
    swarm: first.swarm,
    sweep: first.sweep,
    shard: null,
    stopOnFirst: docs.some((d) => d.stopOnFirst),
    stoppedAfter: null,
    workers: Math.max(...docs.map((d) => d.workers)),
    wallMs: docs.reduce((sum, d) => sum + d.wallMs, 0),
    ...totals,
    replay: holder?.replay ?? null,
    reports: holder?.reports ?? [],
    results,
    complete: missing === undefined,
    ...(missing !== undefined ? { missing } : {}),
  };
}
