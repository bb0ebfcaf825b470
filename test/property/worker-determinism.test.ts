/**
 * Determinism across threads (DESIGN §1, §4): a seed run in this process (src `runSeed`) and the
 * same seed run on one of two worker threads (the sweep pool from dist, as `faultline run --seeds`
 * uses it) give the same trace hash, verdict and checks. And the pool's answer does not depend on
 * scheduling: results come back in task (seed) order whatever order they completed in, and a
 * seed's result does not depend on which seeds a worker ran before it.
 *
 * The pool is imported from dist (built by test/global-setup.ts) because worker threads cannot
 * load the TypeScript sources.
 */
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadScenario, type LoadedScenario } from '../../src/runner/load-scenario.js';
import type { SeedSummary } from '../../src/runner/seed-summary.js';
import type { SeedTask } from '../../src/runner/seed-worker.js';
import { runSeed } from '../../src/run/run-seed.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

type RunSeeds = typeof import('../../src/runner/seed-pool.js')['runSeeds'];
let runSeeds: RunSeeds;

interface Case {
  readonly scenario: string;
  readonly bugs: readonly string[];
  readonly seeds: readonly number[];
}

// A mix: sync and async replication, power loss with a bug on (so failing verdicts and disk
// crash images cross the thread boundary too), a no-workload scenario, and a user protocol
// loaded from a module path beside its scenario.
const CASES: readonly Case[] = [
  { scenario: 'scenarios/showcase.yaml', bugs: [], seeds: [1, 2, 3, 4, 5, 6, 7, 8] },
  { scenario: 'scenarios/fast/pb-async-crash.yaml', bugs: [], seeds: [1, 2, 3, 4, 5, 6, 7, 8] },
  {
    scenario: 'scenarios/fast/pb-sync-power-loss.yaml',
    bugs: ['primary-backup.ack-before-fsync'],
    seeds: [1, 2, 3, 4, 5, 6, 7, 8],
  },
  { scenario: 'scenarios/smoke/ping.yaml', bugs: [], seeds: [1, 2, 3, 4, 5, 6, 7, 8] },
  { scenario: 'examples/gossip-kv/gossip.yaml', bugs: [], seeds: [1, 2, 3, 4, 5, 6, 7, 8] },
];

const loaded = new Map<string, LoadedScenario>();

beforeAll(async () => {
  const mod = (await import(pathToFileURL(join(ROOT, 'dist/runner/seed-pool.js')).href)) as {
    runSeeds: RunSeeds;
  };
  runSeeds = mod.runSeeds;
  for (const c of CASES) loaded.set(c.scenario, await loadScenario(join(ROOT, c.scenario)));
});

const tasksFor = (
  l: LoadedScenario,
  bugs: readonly string[],
  seeds: readonly number[],
): SeedTask[] =>
  seeds.map((seed) => ({ text: l.text, file: l.scenario.file, seed, bugs, twice: false }));

/** What must agree between runs of one seed, wherever it ran. */
const identity = (
  r: Pick<SeedSummary, 'seed' | 'traceHash' | 'verdict' | 'events' | 'endUs' | 'checks'>,
) => ({
  seed: r.seed,
  traceHash: r.traceHash,
  verdict: r.verdict,
  events: r.events,
  endUs: r.endUs,
  checks: r.checks.map((c) => `${c.checker}/${c.verdict}: ${c.summary}`),
});

describe.each(CASES)('$scenario', (c) => {
  test(`seeds ${c.seeds[0]}..${c.seeds[c.seeds.length - 1]}: in this process and on 2 worker threads, the same trace hashes and verdicts`, async () => {
    const l = loaded.get(c.scenario) as LoadedScenario;
    const here = c.seeds.map((seed) =>
      identity(runSeed(l.scenario, seed, { bugs: c.bugs }).result),
    );
    const pooled = (await runSeeds(tasksFor(l, c.bugs, c.seeds), { workers: 2 })).map(identity);
    expect(pooled).toEqual(here);
    // Guard against a vacuous pass: the seeds really produced different runs.
    expect(new Set(here.map((r) => r.traceHash)).size).toBe(c.seeds.length);
  });
});

describe('order independence', () => {
  test('results come back in seed order, whatever order they completed in, and a seed does not depend on its neighbours', async () => {
    // Seeds of very different lengths (a power-loss seed runs several times longer than a showcase
    // seed), so two threads finish them out of order.
    const slow = loaded.get('scenarios/fast/pb-sync-power-loss.yaml') as LoadedScenario;
    const fast = loaded.get('scenarios/showcase.yaml') as LoadedScenario;
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    const tasks = seeds.map(
      (seed) =>
        (seed % 4 === 1 ? tasksFor(slow, [], [seed]) : tasksFor(fast, [], [seed]))[0] as SeedTask,
    );
    const completed: number[] = [];
    const ascending = await runSeeds(tasks, {
      workers: 2,
      onResult: (s) => completed.push(s.seed),
    });
    expect(ascending.map((r) => r.seed)).toEqual(seeds);
    expect([...completed].sort((a, b) => a - b)).toEqual(seeds);
    console.info(`completion order: ${completed.join(' ')}`);

    // The same tasks submitted in reverse: each seed's result is the same, and the array follows
    // the tasks given, not completion.
    const reversed = await runSeeds([...tasks].reverse(), { workers: 2 });
    expect(reversed.map((r) => r.seed)).toEqual([...seeds].reverse());
    expect([...reversed].reverse().map(identity)).toEqual(ascending.map(identity));

    // And in this thread, one by one.
    const here = tasks.map((t) =>
      identity(runSeed(t.text === slow.text ? slow.scenario : fast.scenario, t.seed).result),
    );
    expect(ascending.map(identity)).toEqual(here);
  });
});
