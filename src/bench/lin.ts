/**
 * `npm run bench:lin`: the linearizability checker, set by set: Porcupine's conformance
 * histories (../shared/conformance/porcupine: kv and Jepsen etcd) and, with `--hard DIR`, the
 * hard class of generated histories (test/support/hard-histories.ts; the npm script writes them
 * first). Per file, warm medians of two things: the search alone (already parsed, no evidence)
 * and `check` end to end as `faultline check` does it (read and validate the text, search, build
 * the default evidence). With `--vs-porcupine`, Porcupine v1.3.0 checks the same files on the
 * same machine in the same run (porcupine.ts), and each set gets its totals and the files over
 * 1 ms side by side. A benchmark, not a test: it never fails a build.
 *
 *   node dist/bench/lin.js [--runs N] [--hard DIR] [--vs-porcupine] [--porcupine-runs N]
 *                          [--porcupine-hard-runs N] [--not-split] [--json]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkLinearizable } from '../checkers/linearizability/check.js';
import { detectFormat, type HistoryFormat } from '../checkers/linearizability/formats/index.js';
import { loadHistory } from '../checkers/linearizability/formats/load-history.js';
import { createModel } from '../checkers/linearizability/models/index.js';
import type { AnyModel, LinOp } from '../checkers/linearizability/types.js';
import { type PorcupineResult, porcupineMissing, runPorcupine } from './porcupine.js';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i < 0 ? fallback : Number(args[i + 1]) || fallback;
};
const json = flag('--json');
const runs = option('--runs', 7);
const here = dirname(fileURLToPath(import.meta.url));
const shared = resolve(here, '../../../shared');
const porcupineScript = join(shared, 'tools/porcupine/check.sh');
/** Both checkers give up on a history after this long, as in the issue's measurements. */
const TIMEOUT_S = 20;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** Milliseconds one call of f takes, the mean over `times` calls. */
function time(f: () => unknown, times = 1): number {
  const t = performance.now();
  for (let i = 0; i < times; i++) f();
  return (performance.now() - t) / times;
}

/**
 * Warm-up: at least this long (or WARM_CALLS_MAX calls), so the JIT has compiled the hot code. A
 * check with its evidence runs through far more code than the search alone: with 200 ms, a small
 * file's first calls (5-25 ms each, interpreted) left it half-compiled and its median 5x too high.
 */
const WARM_MS = 1_000;
const WARM_CALLS_MAX = 5_000;
/** Each sample calls the check often enough to take about this long (Go's benchmarks average over many calls too). */
const SAMPLE_MS = 20;

/**
 * Like Go's `testing.B`: warm up, then each sample is the mean over enough calls to last
 * SAMPLE_MS, and the result is the median of `samples` samples. Without this a 50 µs check is
 * timed while V8 is still interpreting it.
 */
function measure(f: () => unknown, samples: number): number {
  const start = performance.now();
  let calls = 0;
  do {
    f();
    calls++;
  } while (performance.now() - start < WARM_MS && calls < WARM_CALLS_MAX);
  const perCall = (performance.now() - start) / calls;
  const times = Math.max(1, Math.ceil(SAMPLE_MS / perCall));
  return median(Array.from({ length: samples }, () => time(f, times)));
}

interface Row {
  readonly set: string;
  readonly name: string;
  readonly ops: number;
  readonly verdict: string;
  /** What the generator promises, for the hard class. */
  readonly expected?: string;
  readonly searchMs: number;
  /** Read + validate + search + default evidence, as `faultline check` does it. */
  readonly checkMs: number;
  readonly porcupine?: PorcupineResult;
}

const DEFAULT_MODEL: Record<HistoryFormat, string> = {
  json: 'kv-list',
  'porcupine-kv': 'kv',
  'jepsen-etcd': 'cas-register',
  edn: 'cas-register',
};

/** One file: its verdict, the search alone and `check` end to end, each a warm median. */
function benchFile(set: string, path: string, samples: number, noPartition = false): Row {
  const text = readFileSync(path, 'utf8');
  const format = detectFormat(text, path) as HistoryFormat;
  const name = DEFAULT_MODEL[format];
  const model = createModel(name) as AnyModel;
  const choice = { name, model, independent: false };
  const load = (): LinOp[] => {
    const loaded = loadHistory(text, format, choice);
    if (!loaded.ok) throw new Error(`${path}: ${JSON.stringify(loaded.problems[0])}`);
    return loaded.ops;
  };
  const ops = load();
  const deadline = () => {
    const started = performance.now();
    return () => performance.now() - started > TIMEOUT_S * 1000;
  };
  const check = () =>
    checkLinearizable(load(), model, { noPartition, shouldStop: deadline() }).verdict;
  const verdict = check();
  const searchMs = measure(
    () => checkLinearizable(ops, model, { noPartition, evidence: false }),
    samples,
  );
  const checkMs = measure(check, samples);
  const label = `${basename(path)}${noPartition ? ' (not split by key)' : ''}`;
  return { set, name: label, ops: ops.length, verdict, searchMs, checkMs };
}

interface SetSpec {
  readonly set: string;
  readonly files: readonly string[];
  readonly porcupineModel: 'etcd' | 'kv';
  readonly porcupineRuns: number;
  readonly samples: number;
  readonly expected?: ReadonlyMap<string, string>;
}

function conformanceSet(folder: 'kv' | 'jepsen'): SetSpec {
  const dir = join(shared, 'conformance/porcupine', folder);
  return {
    set: `porcupine/${folder}`,
    files: readdirSync(dir)
      .filter((f) => f.endsWith('.txt') || f.endsWith('.log'))
      .sort()
      .map((f) => join(dir, f)),
    porcupineModel: folder === 'kv' ? 'kv' : 'etcd',
    porcupineRuns: option('--porcupine-runs', 5),
    samples: runs,
  };
}

/** The hard class written by scripts/hard-histories.ts: one set per kind, from its manifest. */
function hardSets(dir: string): SetSpec[] {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
    name: string;
    kind: 'cas' | 'kv';
    expected: string;
  }[];
  const expected = new Map(manifest.map((h) => [h.name, h.expected]));
  return (['cas', 'kv'] as const).map((kind) => ({
    set: `hard/${kind}`,
    files: manifest.filter((h) => h.kind === kind).map((h) => join(dir, h.name)),
    porcupineModel: kind === 'cas' ? 'etcd' : 'kv',
    porcupineRuns: option('--porcupine-hard-runs', 1),
    samples: Math.min(runs, 3),
    expected,
  }));
}

const hardIndex = args.indexOf('--hard');
const sets: SetSpec[] = [conformanceSet('kv'), conformanceSet('jepsen')];
if (hardIndex >= 0) sets.push(...hardSets(resolve(args[hardIndex + 1] as string)));

const missing = flag('--vs-porcupine') ? porcupineMissing(porcupineScript) : 'not asked';
if (flag('--vs-porcupine') && missing !== undefined)
  process.stderr.write(`bench:lin: Porcupine skipped: ${missing}\n`);

const rows: Row[] = [];
for (const spec of sets) {
  const porcupine =
    missing === undefined
      ? runPorcupine(
          porcupineScript,
          spec.porcupineModel,
          spec.files,
          spec.porcupineRuns,
          TIMEOUT_S,
        )
      : undefined;
  for (const file of spec.files) {
    const row = benchFile(spec.set, file, spec.samples);
    const p = porcupine?.get(basename(file));
    const expected = spec.expected?.get(basename(file));
    rows.push({
      ...row,
      ...(expected !== undefined ? { expected } : {}),
      ...(p !== undefined ? { porcupine: p } : {}),
    });
  }
}
if (flag('--not-split'))
  for (const f of ['c01-ok.txt', 'c01-bad.txt', 'c10-ok.txt', 'c10-bad.txt'])
    rows.push(
      benchFile('porcupine/kv, not split', join(shared, 'conformance/porcupine/kv', f), 3, true),
    );

interface Summary {
  readonly set: string;
  readonly files: number;
  readonly searchMs: number;
  readonly checkMs: number;
  readonly decided: number;
  readonly porcupineMs?: number;
  readonly porcupineDecided?: number;
  /** Files where Porcupine took over 1 ms, and how many of them `check` did at or under it. */
  readonly over1ms?: number;
  readonly atOrUnder?: number;
}

function summarize(set: string): Summary {
  const mine = rows.filter((r) => r.set === set);
  const sum = (f: (r: Row) => number) => mine.reduce((a, r) => a + f(r), 0);
  const withP = mine.filter((r) => r.porcupine !== undefined);
  const slow = withP.filter((r) => r.porcupine!.ms > 1);
  return {
    set,
    files: mine.length,
    searchMs: sum((r) => r.searchMs),
    checkMs: sum((r) => r.checkMs),
    decided: mine.filter((r) => r.verdict !== 'unknown').length,
    ...(withP.length === mine.length && mine.length > 0
      ? {
          porcupineMs: sum((r) => r.porcupine!.ms),
          porcupineDecided: withP.filter((r) => r.porcupine!.verdict !== 'unknown').length,
          over1ms: slow.length,
          atOrUnder: slow.filter((r) => r.checkMs <= r.porcupine!.ms).length,
        }
      : {}),
  };
}

const summaries = [...new Set(rows.map((r) => r.set))].map(summarize);
const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);

if (json)
  process.stdout.write(
    `${JSON.stringify({ node: process.version, runs, rows, summaries, peakRssMb }, null, 2)}\n`,
  );
else printTables();

function printTables(): void {
  const f = (ms: number | undefined) =>
    ms === undefined
      ? ''
      : ms < 1
        ? `${(ms * 1000).toFixed(0)} µs`
        : ms < 10_000
          ? `${ms.toFixed(2)} ms`
          : `${(ms / 1000).toFixed(2)} s`;
  const out = (s: string) => process.stdout.write(`${s}\n`);
  for (const s of summaries) {
    out(`\n${s.set}: ${s.files} files`);
    out(
      `${'history'.padEnd(34)} ${'verdict'.padEnd(10)} ${'ops'.padStart(5)} ${'search'.padStart(10)} ${'check'.padStart(10)} ${'Porcupine'.padStart(22)} ratio`,
    );
    for (const r of rows.filter((x) => x.set === s.set)) {
      const p = r.porcupine;
      const verdict =
        r.expected !== undefined && r.expected !== r.verdict ? `${r.verdict}!` : r.verdict;
      out(
        `${r.name.padEnd(34)} ${verdict.padEnd(10)} ${String(r.ops).padStart(5)} ${f(r.searchMs).padStart(10)} ${f(r.checkMs).padStart(10)} ${(p === undefined ? '' : `${p.verdict} ${f(p.ms)}`).padStart(22)} ${p === undefined ? '' : (r.checkMs / p.ms).toFixed(2)}`,
      );
    }
    const vs =
      s.porcupineMs === undefined
        ? ''
        : `; Porcupine ${f(s.porcupineMs)} (ratio ${(s.checkMs / s.porcupineMs).toFixed(3)}), decided ${s.porcupineDecided}/${s.files}; files where Porcupine took over 1 ms: check at or under it on ${s.atOrUnder}/${s.over1ms}`;
    out(
      `total: search ${f(s.searchMs)}, check ${f(s.checkMs)}, decided ${s.decided}/${s.files}${vs}`,
    );
  }
  out(
    `\npeak RSS ${peakRssMb} MB; ours: medians of ${runs} samples (3 for the hard class) after a warm-up, each the mean over calls lasting ${SAMPLE_MS} ms or one call; Porcupine: check.sh's own timing (parsing excluded), median of ${option('--porcupine-runs', 5)} runs (${option('--porcupine-hard-runs', 1)} for the hard class), ${TIMEOUT_S} s limit`,
  );
}
