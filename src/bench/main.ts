/**
 * `npm run bench`: events per second for each case, peak RSS, and the ratio of the full host to
 * the bare queue measured in the same process. Each case runs several times and reports the
 * median; `--json` prints one JSON document. The traced million-event case runs in a child
 * process so its peak RSS is its own; the CLI's start-up (f) is timed against a bare node start
 * in the same run. (h) is the Raft partition scenario in this thread, all checkers on, against
 * (b) back to back. `--only startup` runs (f) alone, `--only raft-ratio` (h) alone. This is a benchmark, not a test: it never
 * fails a build.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../runner/load-scenario.js';
import { STARTUP_TARGET_MS, startupFigures, type StartupFigure } from './startup.js';
import { storageFigures, storageLines } from './storage.js';
import { median, type SeedsPerSecond, seedsPerSecond as poolRate } from './seeds-per-second.js';
import { clusterFigures, clusterLines, clusterTargetMet } from './cluster.js';
import {
  pingBroadcast,
  primaryBackup,
  queueChurn,
  scenarioSeeds,
  tracedMillion,
  type CaseResult,
} from './cases.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const runs = Number(args[args.indexOf('--runs') + 1] ?? 5) || 5;

if (args[0] === '--child-traced') {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-bench-'));
  const r = tracedMillion(join(dir, 'trace.ndjson'));
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(JSON.stringify({ ...r, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
  process.exit(0);
}

/** (f) alone: the figures, printed, and nothing else measured. */
function printStartup(figures: readonly StartupFigure[], rounds: number): void {
  if (json) {
    process.stdout.write(
      `${JSON.stringify({ node: process.version, loadAverage: loadavg(), startup: figures }, null, 2)}\n`,
    );
    return;
  }
  process.stdout.write(
    `f: CLI start-up, median of ${rounds} rounds (each: bare, --version, check)\n`,
  );
  for (const [k, f] of figures.entries())
    process.stdout.write(
      `   ${f.name.padEnd(44)} ${String(f.medianMs).padStart(5)} ms  ` +
        `+${f.overBareMs} ms over bare, ×${f.ratio}` +
        (k === 0 ? '' : `  (target ≤ +${STARTUP_TARGET_MS} ms: ${startupVerdict(f)})`) +
        '\n',
    );
  process.stdout.write(
    `   load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}\n`,
  );
}
const startupVerdict = (f: StartupFigure) => (f.overBareMs <= STARTUP_TARGET_MS ? 'met' : 'MISSED');

const STARTUP_ROUNDS = Math.max(runs, 9);
if (args.includes('--only') && args[args.indexOf('--only') + 1] === 'startup') {
  printStartup(startupFigures(STARTUP_ROUNDS), STARTUP_ROUNDS);
  process.exit(0);
}

const rate = (r: CaseResult) => (r.events / r.wallMs) * 1000;

/**
 * (h) Events per second of the Raft partition scenario run in this thread as `runSeed` runs it
 * (5 nodes, 3 clients, every checker on), seeds 1..30 per run, and its ratio to the ping
 * broadcast (b) measured right after it: how much of the host's speed a real protocol and its
 * checkers leave. The median of the rates and of the per-pair ratios.
 */
const RAFT_SCENARIO = 'scenarios/raft-partition.yaml';
const RAFT_RATIO_SEEDS = 30;
const RAFT_RATIO_TARGET = 0.25;
interface RaftRatio {
  readonly scenario: string;
  readonly seedsPerRun: number;
  readonly eventsPerRun: number;
  readonly raftEventsPerSec: number;
  readonly pingEventsPerSec: number;
  readonly ratio: number;
  readonly ratios: number[];
}
async function raftRatio(): Promise<RaftRatio> {
  const { scenario } = await loadScenario(
    fileURLToPath(new URL(`../../${RAFT_SCENARIO}`, import.meta.url)),
  );
  scenarioSeeds(scenario, 1, RAFT_RATIO_SEEDS); // warm-up
  pingBroadcast(10);
  const raft: number[] = [];
  const ping: number[] = [];
  let events = 0;
  for (let i = 0; i < runs; i++) {
    const r = scenarioSeeds(scenario, 1, RAFT_RATIO_SEEDS);
    events = r.events;
    raft.push(rate(r));
    ping.push(rate(pingBroadcast(10)));
  }
  const ratios = raft.map((r, i) => Number((r / (ping[i] as number)).toFixed(3)));
  return {
    scenario: RAFT_SCENARIO,
    seedsPerRun: RAFT_RATIO_SEEDS,
    eventsPerRun: events,
    raftEventsPerSec: Math.round(median(raft)),
    pingEventsPerSec: Math.round(median(ping)),
    ratio: median(ratios),
    ratios,
  };
}
function raftRatioLine(h: RaftRatio): string {
  const fmt = (n: number) => n.toLocaleString('en-US');
  const met = h.ratio >= RAFT_RATIO_TARGET ? 'met' : 'MISSED';
  return (
    `h: raft-partition in this thread (all checkers), ${h.seedsPerRun} seeds a run: ` +
    `${fmt(h.raftEventsPerSec)} events/s against ${fmt(h.pingEventsPerSec)} for (b); ` +
    `ratio ${h.ratio} (median of ${h.ratios.length} pairs; target ≥ ${RAFT_RATIO_TARGET}: ${met}); ` +
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}\n`
  );
}
if (args.includes('--only') && args[args.indexOf('--only') + 1] === 'raft-ratio') {
  const h = await raftRatio();
  process.stdout.write(
    json
      ? `${JSON.stringify({ node: process.version, runs, raftRatio: h }, null, 2)}\n`
      : raftRatioLine(h),
  );
  process.exit(0);
}

function measure(
  name: string,
  f: () => CaseResult,
): { name: string; eventsPerSec: number; events: number; runs: number[] } {
  f(); // warm-up: let the JIT settle before timing
  const rates: number[] = [];
  let events = 0;
  for (let i = 0; i < runs; i++) {
    const r = f();
    rates.push(rate(r));
    events = r.events;
  }
  return { name, eventsPerSec: Math.round(median(rates)), events, runs: rates.map(Math.round) };
}

const a = measure('a: event-queue churn, 10,000 pending', () => queueChurn(2_000_000));
const b = measure('b: 5-node ping broadcast, full host, delay+loss+dup', () => pingBroadcast(10));
const cc = measure('c: primary/backup sync, 3 nodes, 8 clients', () => primaryBackup(10));
// Ratio per run pair, measured back to back in this process, then the median.
const ratios: number[] = [];
for (let i = 0; i < runs; i++) ratios.push(rate(pingBroadcast(10)) / rate(queueChurn(2_000_000)));
const peakRssMb = process.resourceUsage().maxRSS / 1024;
const h = await raftRatio();

/**
 * (e) The fuzzer's own speed: seeds per second of the 5-node Raft partition scenario (10 s of
 * virtual time at most, 3 clients, every checker on), through the same worker pool `fuzz` uses,
 * with 1 and 2 worker threads. Median of the runs; each run is a fresh pool over the same seeds.
 * (g) The same for the crdt protocol: the OR-Set scenario (3 replicas, 3 clients, 7 s of virtual
 * time, the convergence checker on). (i) The same for the dynamo protocol: its 5-node partition
 * scenario (3 clients, 10 s of virtual time, every checker that a clean run passes on). (j) The
 * same for the paxos protocol: its 5-node partition scenario (3 clients on 3 keys, 10 s of
 * virtual time, linearizability, liveness and the consensus observer on). (k) The same for
 * multi-paxos: its 5-node partition scenario (3 clients, 10 s of virtual time, every checker on,
 * the consensus observer included); `--only multi-paxos` runs (k) alone. (l) The same for
 * two-phase commit: its partition scenario (4 nodes, 4 clients, atomicity, serializability,
 * liveness and the atomic-commit observer on).
 */
const seedsPerSecond = (file: string, seeds: number, workers: number) =>
  poolRate(file, seeds, workers, runs);
const RAFT_SEEDS = 1000;
const CRDT_SCENARIO = 'scenarios/crdt-or-set.yaml';
const CRDT_SEEDS = 500;
const DYNAMO_SCENARIO = 'scenarios/dynamo-partition.yaml';
const DYNAMO_SEEDS = 500;
const PAXOS_SCENARIO = 'scenarios/paxos-partition.yaml';
const PAXOS_SEEDS = 500;
const MULTI_PAXOS_SCENARIO = 'scenarios/multi-paxos-partition.yaml';
const MULTI_PAXOS_SEEDS = 500;
const TWO_PC_SCENARIO = 'scenarios/2pc-partition.yaml';
const TWO_PC_SEEDS = 500;
const multiPaxosLine = (one: SeedsPerSecond, two: SeedsPerSecond) =>
  `k: multi-paxos-partition (5 nodes, 3 clients, all checkers), ${MULTI_PAXOS_SEEDS} seeds: ${one.seedsPerSec} seeds/s with 1 worker, ${two.seedsPerSec} with 2 (medians of ${one.runs.length}; load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')})\n`;
if (args.includes('--only') && args[args.indexOf('--only') + 1] === 'multi-paxos') {
  const one = await seedsPerSecond(MULTI_PAXOS_SCENARIO, MULTI_PAXOS_SEEDS, 1);
  const two = await seedsPerSecond(MULTI_PAXOS_SCENARIO, MULTI_PAXOS_SEEDS, 2);
  process.stdout.write(
    json
      ? `${JSON.stringify({ oneWorker: one, twoWorkers: two }, null, 2)}\n`
      : multiPaxosLine(one, two),
  );
  process.exit(0);
}
const raftOne = await seedsPerSecond(RAFT_SCENARIO, RAFT_SEEDS, 1);
const raftTwo = await seedsPerSecond(RAFT_SCENARIO, RAFT_SEEDS, 2);
const crdtOne = await seedsPerSecond(CRDT_SCENARIO, CRDT_SEEDS, 1);
const crdtTwo = await seedsPerSecond(CRDT_SCENARIO, CRDT_SEEDS, 2);
const dynamoOne = await seedsPerSecond(DYNAMO_SCENARIO, DYNAMO_SEEDS, 1);
const dynamoTwo = await seedsPerSecond(DYNAMO_SCENARIO, DYNAMO_SEEDS, 2);
const paxosOne = await seedsPerSecond(PAXOS_SCENARIO, PAXOS_SEEDS, 1);
const paxosTwo = await seedsPerSecond(PAXOS_SCENARIO, PAXOS_SEEDS, 2);
const multiPaxosOne = await seedsPerSecond(MULTI_PAXOS_SCENARIO, MULTI_PAXOS_SEEDS, 1);
const multiPaxosTwo = await seedsPerSecond(MULTI_PAXOS_SCENARIO, MULTI_PAXOS_SEEDS, 2);
const twoPcOne = await seedsPerSecond(TWO_PC_SCENARIO, TWO_PC_SEEDS, 1);
const twoPcTwo = await seedsPerSecond(TWO_PC_SCENARIO, TWO_PC_SEEDS, 2);

const startup = startupFigures(STARTUP_ROUNDS);
const startupWithin = (name: string) =>
  (startup.find((f) => f.name.startsWith(name))?.overBareMs ?? Infinity) <= STARTUP_TARGET_MS;

const storage = storageFigures(runs);
const cluster = await clusterFigures(runs);

const self = fileURLToPath(import.meta.url);
const child = spawnSync(process.execPath, [self, '--child-traced'], { encoding: 'utf8' });
const traced =
  child.status === 0
    ? (JSON.parse(child.stdout) as CaseResult & { bytes: number; maxRssMb: number })
    : undefined;

const doc = {
  node: process.version,
  runs,
  cases: [a, b, cc],
  ratioBOverA: Number(median(ratios).toFixed(3)),
  peakRssMb: Math.round(peakRssMb),
  raftPartition: {
    scenario: RAFT_SCENARIO,
    seeds: RAFT_SEEDS,
    oneWorker: raftOne,
    twoWorkers: raftTwo,
  },
  raftRatio: h,
  startup,
  crdtOrSet: {
    scenario: CRDT_SCENARIO,
    seeds: CRDT_SEEDS,
    oneWorker: crdtOne,
    twoWorkers: crdtTwo,
  },
  dynamoPartition: {
    scenario: DYNAMO_SCENARIO,
    seeds: DYNAMO_SEEDS,
    oneWorker: dynamoOne,
    twoWorkers: dynamoTwo,
  },
  paxosPartition: {
    scenario: PAXOS_SCENARIO,
    seeds: PAXOS_SEEDS,
    oneWorker: paxosOne,
    twoWorkers: paxosTwo,
  },
  multiPaxosPartition: {
    scenario: MULTI_PAXOS_SCENARIO,
    seeds: MULTI_PAXOS_SEEDS,
    oneWorker: multiPaxosOne,
    twoWorkers: multiPaxosTwo,
  },
  twoPcPartition: {
    scenario: TWO_PC_SCENARIO,
    seeds: TWO_PC_SEEDS,
    oneWorker: twoPcOne,
    twoWorkers: twoPcTwo,
  },
  storage,
  cluster,
  traced: traced && {
    events: traced.events,
    eventsPerSec: Math.round(rate(traced)),
    traceMb: Math.round(traced.bytes / 1e6),
    peakRssMb: Math.round(traced.maxRssMb),
  },
  targets: {
    bAtLeast2MPerSec: b.eventsPerSec >= 2_000_000,
    bAtLeast40PercentOfA: median(ratios) >= 0.4,
    tracedMillionUnder200Mb:
      traced !== undefined && traced.events >= 1_000_000 && traced.maxRssMb < 200,
    raftAtLeast100SeedsPerSec: raftTwo.seedsPerSec >= 100,
    raftAtLeastQuarterOfPing: h.ratio >= RAFT_RATIO_TARGET,
    dynamoAtLeast100SeedsPerSec: dynamoTwo.seedsPerSec >= 100,
    paxosAtLeast100SeedsPerSec: paxosTwo.seedsPerSec >= 100,
    multiPaxosAtLeast100SeedsPerSec: multiPaxosTwo.seedsPerSec >= 100,
    twoPcAtLeast100SeedsPerSec: twoPcTwo.seedsPerSec >= 100,
    versionWithin150MsOfBareNode: startupWithin('faultline --version'),
    checkWithin150MsOfBareNode: startupWithin('faultline check'),
    lsmAtLeast200kPutsPerSec: storage.putsPerSec >= 200_000,
    clusterAtLeast30SeedsPerSec: clusterTargetMet(cluster),
  },
};

if (json) process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
else {
  const fmt = (n: number) => n.toLocaleString('en-US');
  for (const x of doc.cases)
    process.stdout.write(
      `${x.name.padEnd(55)} ${fmt(x.eventsPerSec).padStart(12)} events/s  (median of ${runs}; ${fmt(x.events)} events per run)\n`,
    );
  process.stdout.write(
    `ratio b/a (median of ${runs} back-to-back pairs)${' '.repeat(10)}${doc.ratioBOverA}\n`,
  );
  process.stdout.write(`peak RSS of the cases above${' '.repeat(28)}${doc.peakRssMb} MB\n`);
  for (const line of storageLines(storage, runs)) process.stdout.write(`${line}\n`);
  if (doc.traced)
    process.stdout.write(
      `d: ${fmt(doc.traced.events)} events with the trace streamed to a file (${doc.traced.traceMb} MB): ${fmt(doc.traced.eventsPerSec)} events/s, peak RSS ${doc.traced.peakRssMb} MB\n`,
    );
  else process.stdout.write(`d: traced run failed: ${child.stderr}\n`);
  process.stdout.write(
    `e: raft-partition (5 nodes, 3 clients, all checkers), ${RAFT_SEEDS} seeds: ${raftOne.seedsPerSec} seeds/s with 1 worker, ${raftTwo.seedsPerSec} with 2 (medians of ${raftOne.runs.length})\n`,
  );
  printStartup(startup, STARTUP_ROUNDS);
  process.stdout.write(raftRatioLine(h));
  process.stdout.write(
    `g: crdt-or-set (3 replicas, 3 clients, convergence checker), ${CRDT_SEEDS} seeds: ${crdtOne.seedsPerSec} seeds/s with 1 worker, ${crdtTwo.seedsPerSec} with 2 (medians of ${crdtOne.runs.length})\n`,
  );
  process.stdout.write(
    `i: dynamo-partition (5 nodes, 3 clients, durability and liveness), ${DYNAMO_SEEDS} seeds: ${dynamoOne.seedsPerSec} seeds/s with 1 worker, ${dynamoTwo.seedsPerSec} with 2 (medians of ${dynamoOne.runs.length})\n`,
  );
  process.stdout.write(
    `j: paxos-partition (5 nodes, 3 clients, all checkers), ${PAXOS_SEEDS} seeds: ${paxosOne.seedsPerSec} seeds/s with 1 worker, ${paxosTwo.seedsPerSec} with 2 (medians of ${paxosOne.runs.length})\n`,
  );
  process.stdout.write(multiPaxosLine(multiPaxosOne, multiPaxosTwo));
  process.stdout.write(
    `l: 2pc-partition (4 nodes, 4 clients, all checkers), ${TWO_PC_SEEDS} seeds: ${twoPcOne.seedsPerSec} seeds/s with 1 worker, ${twoPcTwo.seedsPerSec} with 2 (medians of ${twoPcOne.runs.length})\n`,
  );
  for (const line of clusterLines(cluster)) process.stdout.write(`${line}\n`);
  process.stdout.write(
    `targets: ${Object.entries(doc.targets)
      .map(([k, v]) => `${k}=${v ? 'met' : 'MISSED'}`)
      .join(', ')}\n`,
  );
}
