/**
 * `npm run bench:serial`: the serializability checker's time on generated list-append histories
 * of 10,000 and 100,000 transactions (issue 15), to set beside Elle's published figures. The
 * histories are what Elle's own generator makes: transactions of one to four micro-operations,
 * half appends and half reads, over keys that are retired after 32 appends with ten keys in use
 * at a time, run by a database that executes them one at a time (serializable), and the same
 * with one transaction in a hundred reading a stale snapshot (so the checker has cycles to find
 * and explain). Reported: reading the EDN text, and checking, each the median of `--runs`
 * samples (5 by default). `--json` prints one JSON document. A benchmark, not a test.
 */
import { checkSerializable } from '../checkers/serializability/check.js';
import { readEdnTxnHistory } from '../checkers/serializability/formats/edn-txn-history.js';
import { mopText, type Mop, type Txn } from '../checkers/serializability/txn.js';
import { Prng } from '../core/prng.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const runs = Number(args[args.indexOf('--runs') + 1] ?? 5) || 5;

const KEYS_ACTIVE = 10;
const APPENDS_PER_KEY = 32;

/** `count` transactions run one at a time; `staleIn` of them in a hundred read old snapshots. */
function generate(count: number, staleIn: number): Txn[] {
  const r = new Prng(`bench-serial-${count}-${staleIn}`);
  const lists = new Map<number, string[]>();
  const snapshots: Map<number, string[]>[] = [];
  let appends = 0;
  const txns: Txn[] = [];
  for (let index = 0; index < count; index++) {
    const stale = snapshots.length > 0 && r.chance(staleIn, 100);
    const view = stale ? snapshots[r.int(0, snapshots.length - 1)]! : lists;
    const mops: Mop[] = [];
    // What this transaction sees of each key it touched: its first view plus its own appends,
    // as snapshot isolation gives it (so a stale transaction stays consistent with itself).
    const local = new Map<number, string[]>();
    for (let i = r.int(1, 4); i > 0; i--) {
      const key = Math.floor(appends / (APPENDS_PER_KEY * KEYS_ACTIVE)) * KEYS_ACTIVE + r.int(0, 9);
      const seen = local.get(key) ?? view.get(key) ?? lists.get(key) ?? [];
      if (r.chance(1, 2)) {
        const value = String(++appends);
        lists.set(key, [...(lists.get(key) ?? []), value]);
        local.set(key, [...seen, value]);
        mops.push({ f: 'append', key: String(key), value });
      } else {
        local.set(key, seen);
        mops.push({ f: 'r', key: String(key), value: [...seen] });
      }
    }
    txns.push({ index, process: String(index % 10), outcome: 'ok', mops });
    if (index % 50 === 0) snapshots.splice(0, snapshots.length > 3 ? 1 : 0, new Map(lists));
  }
  return txns;
}

/** `[append 1 2]` as EDN writes it: `[:append 1 2]`. */
const ednMop = (m: Mop) => mopText(m).replace(/^\[(append|r) /, '[:$1 ');

function toEdn(txns: readonly Txn[]): string {
  return txns
    .map((t) => {
      const value = t.mops.map(ednMop).join(' ');
      return `{:type :ok, :f :txn, :process ${t.process}, :value [${value}], :index ${t.index}}`;
    })
    .join('\n');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Wall-clock and CPU milliseconds (user + system) of `f`: on a shared machine the CPU time is
 * what the checker costs, the wall time what a user waits. */
function time(f: () => void): { wall: number; cpu: number } {
  const t = performance.now();
  const c = process.cpuUsage();
  f();
  const used = process.cpuUsage(c);
  return { wall: performance.now() - t, cpu: (used.user + used.system) / 1000 };
}

const rows = [];
const sizes = args.includes('--only-10k') ? [10_000] : [10_000, 100_000];
for (const count of sizes)
  for (const staleIn of [0, 1]) {
    const txns = generate(count, staleIn);
    const text = toEdn(txns);
    const verdict = checkSerializable(txns);
    const reads = Array.from({ length: runs }, () => time(() => readEdnTxnHistory(text)));
    const checks = Array.from({ length: runs }, () => time(() => checkSerializable(txns)));
    rows.push({
      txns: count,
      stalePercent: staleIn,
      verdict: verdict.verdict,
      anomalies: verdict.anomalyTypes.join(',') || '-',
      edges: verdict.edges,
      ednMb: Math.round(text.length / 1e5) / 10,
      readMs: Math.round(median(reads.map((x) => x.wall))),
      readCpuMs: Math.round(median(reads.map((x) => x.cpu))),
      checkMs: Math.round(median(checks.map((x) => x.wall))),
      checkCpuMs: Math.round(median(checks.map((x) => x.cpu))),
    });
  }

if (json) process.stdout.write(`${JSON.stringify({ runs, rows })}\n`);
else {
  process.stdout.write(`serializability checker, median of ${runs} runs\n`);
  for (const x of rows)
    process.stdout.write(
      `${String(x.txns).padStart(7)} txns, ${x.stalePercent}% stale: ${x.verdict} ${x.anomalies}, ${x.edges} edges; read ${x.ednMb} MB EDN ${x.readMs} ms (cpu ${x.readCpuMs}); check ${x.checkMs} ms (cpu ${x.checkCpuMs})\n`,
    );
}
