/**
 * `npm run bench:lin`: the linearizability checker on Porcupine's conformance histories
 * (../shared/conformance/porcupine), file by file: the check alone (already parsed) and parse +
 * check, each the median of several samples after a warm-up (see `measure`), the totals, key-splitting switched off
 * for the kv files Porcupine also times that way, and peak RSS. Porcupine's own times (from the
 * conformance README, same kind of machine) are printed beside ours. A benchmark, not a test.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkLinearizable } from '../checkers/linearizability/check.js';
import { parseJepsenEtcd, parsePorcupineKv } from '../checkers/linearizability/formats/index.js';
import { findModel } from '../checkers/linearizability/models/index.js';
import type { LinOp, AnyModel } from '../checkers/linearizability/types.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const runs = Number(args[args.indexOf('--runs') + 1] ?? 7) || 7;
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../../shared/conformance/porcupine');

/** Porcupine v1.3.0's seconds per check, from the conformance README. */
const PORCUPINE: Record<string, number> = {
  'kv/c01-ok.txt': 0.00013,
  'kv/c01-bad.txt': 0.00007,
  'kv/c10-ok.txt': 0.00093,
  'kv/c10-bad.txt': 0.00076,
  'kv/c50-ok.txt': 0.298,
  'kv/c50-bad.txt': 0.051,
  'kv/c10-ok.txt (not split by key)': 4.16,
  'kv/c10-bad.txt (not split by key)': 4.37,
  'jepsen/etcd_002.log': 0.292,
  'jepsen/etcd_040.log': 0.012,
  'jepsen/etcd_080.log': 0.009,
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

interface Row {
  name: string;
  verdict: string;
  ops: number;
  checkMs: number;
  parseCheckMs: number;
  porcupineMs?: number;
}

/** Milliseconds one call of f takes, the mean over `times` calls. */
function time(f: () => unknown, times = 1): number {
  const t = performance.now();
  for (let i = 0; i < times; i++) f();
  return (performance.now() - t) / times;
}

/** Warm-up: at least this long (or WARM_CALLS_MAX calls), so the JIT has compiled the hot code. */
const WARM_MS = 200;
const WARM_CALLS_MAX = 2_000;
/** Each sample calls the check often enough to take about this long (Go's benchmarks average over many calls too). */
const SAMPLE_MS = 5;

/**
 * Like Go's `testing.B`, which Porcupine's figures come from: warm up, then each sample is the
 * mean over enough calls to last SAMPLE_MS, and the result is the median of `runs` samples.
 * Without this a 50 µs check is timed while V8 is still interpreting it.
 */
function measure(f: () => unknown): number {
  const start = performance.now();
  let calls = 0;
  do {
    f();
    calls++;
  } while (performance.now() - start < WARM_MS && calls < WARM_CALLS_MAX);
  const perCall = (performance.now() - start) / calls;
  const times = Math.max(1, Math.ceil(SAMPLE_MS / perCall));
  return median(Array.from({ length: runs }, () => time(f, times)));
}

function bench(
  name: string,
  text: string,
  parse: (t: string) => LinOp[],
  model: AnyModel,
  noPartition: boolean,
): Row {
  const ops = parse(text);
  const check = () => checkLinearizable(ops, model, { noPartition, evidence: false });
  const verdict = check().verdict;
  const checkMs = measure(check);
  const parseCheckMs = measure(() =>
    checkLinearizable(parse(text), model, { noPartition, evidence: false }),
  );
  const p = PORCUPINE[name];
  return {
    name,
    verdict,
    ops: ops.length,
    checkMs,
    parseCheckMs,
    ...(p !== undefined ? { porcupineMs: p * 1000 } : {}),
  };
}

const kvParse = (t: string) => {
  const r = parsePorcupineKv(t);
  if (!r.ok) throw new Error(JSON.stringify(r.errors[0]));
  return r.ops as LinOp[];
};
const etcdParse = (t: string) => {
  const r = parseJepsenEtcd(t);
  if (!r.ok) throw new Error(JSON.stringify(r.errors[0]));
  return r.ops as LinOp[];
};

const rows: Row[] = [];
const kvModel = findModel('kv')!;
const casModel = findModel('cas-register')!;
for (const f of readdirSync(join(root, 'kv')).sort())
  rows.push(bench(`kv/${f}`, readFileSync(join(root, 'kv', f), 'utf8'), kvParse, kvModel, false));
for (const f of ['c01-ok.txt', 'c01-bad.txt', 'c10-ok.txt', 'c10-bad.txt'])
  rows.push(
    bench(
      `kv/${f} (not split by key)`,
      readFileSync(join(root, 'kv', f), 'utf8'),
      kvParse,
      kvModel,
      true,
    ),
  );
const etcd: Row[] = [];
for (const f of readdirSync(join(root, 'jepsen')).sort())
  etcd.push(
    bench(`jepsen/${f}`, readFileSync(join(root, 'jepsen', f), 'utf8'), etcdParse, casModel, false),
  );
rows.push(...etcd.filter((r) => r.name in PORCUPINE));
const etcdTotal = etcd.reduce((a, r) => a + r.checkMs, 0);
const etcdTotalParse = etcd.reduce((a, r) => a + r.parseCheckMs, 0);
const slowestEtcd = [...etcd].sort((a, b) => b.checkMs - a.checkMs)[0] as Row;
const peakRssMb = process.resourceUsage().maxRSS / 1024;

const doc = {
  node: process.version,
  runs,
  rows,
  etcd: {
    files: etcd.length,
    checkMsTotal: etcdTotal,
    parseCheckMsTotal: etcdTotalParse,
    slowest: slowestEtcd.name,
    slowestMs: slowestEtcd.checkMs,
    porcupineAll102FilesMs: 736,
  },
  peakRssMb: Math.round(peakRssMb),
};

if (json) process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
else {
  const f = (ms: number | undefined) =>
    ms === undefined ? '' : ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`;
  process.stdout.write(
    `${'history'.padEnd(36)} ${'verdict'.padEnd(10)} ${'ops'.padStart(5)} ${'check'.padStart(11)} ${'parse+check'.padStart(12)} ${'Porcupine'.padStart(11)} ratio\n`,
  );
  for (const r of rows) {
    const ratio = r.porcupineMs === undefined ? '' : (r.checkMs / r.porcupineMs).toFixed(2);
    process.stdout.write(
      `${r.name.padEnd(36)} ${r.verdict.padEnd(10)} ${String(r.ops).padStart(5)} ${f(r.checkMs).padStart(11)} ${f(r.parseCheckMs).padStart(12)} ${f(r.porcupineMs).padStart(11)} ${ratio}\n`,
    );
  }
  process.stdout.write(
    `all ${etcd.length} etcd files here: check ${f(etcdTotal)}, parse+check ${f(etcdTotalParse)} (Porcupine: 736 ms for all 102 files of the original set); slowest ${slowestEtcd.name} ${f(slowestEtcd.checkMs)}\n`,
  );
  process.stdout.write(
    `peak RSS ${doc.peakRssMb} MB; medians of ${runs} samples after a warm-up (each the mean over calls lasting ${SAMPLE_MS} ms or one call)\n`,
  );
}
