/**
 * The cluster benchmark case (issue 16): the `cluster` protocol at 9 nodes in 3 zones with 64
 * shards (`scenarios/bench/cluster-64.yaml`: 3 managers on Raft, 6 storage nodes holding 192
 * primary/backup replicas, a storage node crashed and its shards re-replicated, every checker
 * on). Seeds per second through the fuzzer's worker pool with 1 and 2 workers (target: at least
 * 30 with 2), and events per second through the host in this thread, with the events one seed
 * takes. `npm run bench:cluster` prints them alone; `npm run bench` includes them.
 */
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../runner/load-scenario.js';
import { scenarioSeeds } from './cases.js';
import { median, type SeedsPerSecond, seedsPerSecond } from './seeds-per-second.js';

const CLUSTER_SCENARIO = 'scenarios/bench/cluster-64.yaml';
const CLUSTER_TARGET_SEEDS_PER_SEC = 30;
/**
 * Seeds a timed run, on a pool opened and warmed first (seeds-per-second.ts): about 8 s a run
 * with 2 workers, long enough that the pool's own scheduling between batches is noise.
 */
const POOL_SEEDS = 200;
const THREAD_SEEDS = 10;

export interface ClusterFigures {
  readonly scenario: string;
  readonly seeds: number;
  readonly oneWorker: SeedsPerSecond;
  readonly twoWorkers: SeedsPerSecond;
  readonly eventsPerSeed: number;
  readonly eventsPerSec: number;
  readonly loadAverage: readonly number[];
}

/** Events per second of seeds 1..THREAD_SEEDS in this thread, the median of `runs` runs. */
async function hostRate(runs: number): Promise<{ perSeed: number; perSec: number }> {
  const { scenario } = await loadScenario(
    fileURLToPath(new URL(`../../${CLUSTER_SCENARIO}`, import.meta.url)),
  );
  scenarioSeeds(scenario, 1, 2); // warm-up
  const rates: number[] = [];
  let events = 0;
  for (let i = 0; i < Math.min(runs, 3); i++) {
    const r = scenarioSeeds(scenario, 1, THREAD_SEEDS);
    events = r.events;
    rates.push((r.events / r.wallMs) * 1000);
  }
  return { perSeed: Math.round(events / THREAD_SEEDS), perSec: Math.round(median(rates)) };
}

export async function clusterFigures(runs: number): Promise<ClusterFigures> {
  const oneWorker = await seedsPerSecond(CLUSTER_SCENARIO, POOL_SEEDS, 1, runs);
  const twoWorkers = await seedsPerSecond(CLUSTER_SCENARIO, POOL_SEEDS, 2, runs);
  const host = await hostRate(runs);
  return {
    scenario: CLUSTER_SCENARIO,
    seeds: POOL_SEEDS,
    oneWorker,
    twoWorkers,
    eventsPerSeed: host.perSeed,
    eventsPerSec: host.perSec,
    loadAverage: loadavg().map((l) => Number(l.toFixed(2))),
  };
}

export const clusterTargetMet = (f: ClusterFigures): boolean =>
  f.twoWorkers.seedsPerSec >= CLUSTER_TARGET_SEEDS_PER_SEC;

export function clusterLines(f: ClusterFigures): string[] {
  const n = (x: number) => x.toLocaleString('en-US');
  const met = clusterTargetMet(f) ? 'met' : 'MISSED';
  return [
    `m: cluster, 9 nodes in 3 zones, 64 shards (all checkers), ${f.seeds} seeds: ` +
      `${f.oneWorker.seedsPerSec} seeds/s with 1 worker, ${f.twoWorkers.seedsPerSec} with 2 ` +
      `(medians of ${f.oneWorker.runs.length}; target ≥ ${CLUSTER_TARGET_SEEDS_PER_SEC} with 2: ` +
      `${met}; load average ${f.loadAverage.join(' ')})`,
    `m: cluster pool start-up with 2 workers, paid once a sweep: ${n(f.twoWorkers.startupMs)} ms ` +
      `from opening the pool to the end of its warm-up seeds (threads loading the simulator, ` +
      `first seeds on cold code)`,
    `m: cluster in this thread: ${n(f.eventsPerSec)} events/s through the host, ` +
      `${n(f.eventsPerSeed)} events a seed`,
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const runs = Number(args[args.indexOf('--runs') + 1] ?? 3) || 3;
  const f = await clusterFigures(runs);
  if (args.includes('--json')) process.stdout.write(`${JSON.stringify(f, null, 2)}\n`);
  else for (const line of clusterLines(f)) process.stdout.write(`${line}\n`);
}
