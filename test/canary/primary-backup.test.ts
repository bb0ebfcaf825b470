/**
 * Canaries for primary/backup (DESIGN §8, "tests that test the tester"). Each named bug must be
 * caught by the fuzzer within a stated seed budget, by the checker that is supposed to catch it,
 * and the failing seed must replay to the same trace hash; the correct protocol must pass the same
 * scenario over the same budget with zero violations. If a canary stops failing, the harness (a
 * checker, a fault, the workload) is broken, not the protocol fixed.
 *
 * Budgets are honest: the bug sweep may not look past BUDGET, and the clean sweep covers every
 * seed 1..BUDGET. They are sized from measured hit rates (see each canary's `measured`), with
 * enough slack that an unrelated change of behaviour is unlikely to push the first hit past the
 * budget, and no more, so the file stays well under a minute on two cores.
 *
 * Seeds run across two worker threads through the real sweep pool (`dist/runner/seed-pool.js`, built
 * by test/global-setup.ts; worker threads cannot load the TypeScript sources). Replays and the
 * quick regression form run in this process from src, which also checks that a worker thread and
 * this thread agree on the trace hash.
 */
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import type { DurabilityEvidence } from '../../src/checkers/durability.js';
import type { KvInput } from '../../src/core/history.js';
import { loadScenario, type LoadedScenario } from '../../src/runner/load-scenario.js';
import type { SeedSummary } from '../../src/runner/seed-summary.js';
import type { SeedTask } from '../../src/runner/seed-worker.js';
import { runSeed } from '../../src/run/run-seed.js';
import { replayCommand } from '../../src/run/run-result.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WORKERS = 2;

type RunSeeds = typeof import('../../src/runner/seed-pool.js')['runSeeds'];
let runSeeds: RunSeeds;

interface Canary {
  readonly bug: string;
  /** Repository-relative scenario file. */
  readonly scenario: string;
  /** The fuzzer must find the bug in seeds 1..BUDGET; the correct protocol must pass all of them. */
  readonly budget: number;
  /** The one checker that must report the violation. */
  readonly checker: 'durability' | 'invariants';
  /** What that checker must say. */
  readonly says: RegExp;
  /** The quick regression form: seeds known (when last measured) to trip the bug. */
  readonly regressionSeeds: readonly number[];
  /** What was measured when the budget was chosen, for the next person to re-measure. */
  readonly measured: string;
}

const POWER_LOSS = 'scenarios/fast/pb-sync-power-loss.yaml';
const SYNC_PAUSE = 'scenarios/fast/pb-sync-pause.yaml';
const FSYNC_ERRORS = 'scenarios/fast/pb-sync-fsync-errors.yaml';
const ASYNC_CRASH = 'scenarios/fast/pb-async-crash.yaml';

const CANARIES: readonly Canary[] = [
  {
    bug: 'primary-backup.ack-before-fsync',
    scenario: POWER_LOSS,
    budget: 100,
    checker: 'durability',
    says: /acknowledged writes lost/,
    regressionSeeds: [3],
    measured: '19/200 seeds fail durability (9.5%), first at seeds 3, 4, 6',
  },
  {
    bug: 'primary-backup.fail-when-deposed',
    scenario: POWER_LOSS,
    budget: 20,
    checker: 'durability',
    says: /writes reported failed are visible/,
    regressionSeeds: [6],
    measured: '92/200 seeds fail durability (46%), first at seeds 6, 9, 15',
  },
  {
    bug: 'primary-backup.unfenced-epochs',
    scenario: SYNC_PAUSE,
    // The dedicated scenario pauses the primary for longer than the election timeout, so a
    // deposed primary resumes and sends Replicate with its old epoch to backups that committed past it.
    budget: 50,
    checker: 'invariants',
    says: /asked to overwrite committed index/,
    regressionSeeds: [3],
    measured:
      '20/200 seeds trip the invariant (10%), first at seeds 3, 21, 25 (on pb-sync-crash: 1.2%, first at 377)',
  },
  {
    bug: 'primary-backup.retry-fsync',
    scenario: FSYNC_ERRORS,
    // fsyncs fail 20% of the time on every node and power losses come every 700 ms on average:
    // a node that trusts a retried fsync loses the dropped pages on the next power loss.
    budget: 10,
    checker: 'durability',
    says: /acknowledged writes lost/,
    regressionSeeds: [1],
    measured: '200/200 seeds fail durability, first at seed 1',
  },
];

/** Async replication loses acknowledged writes by design; the fuzzer must show it quickly. */
const ASYNC = {
  scenario: ASYNC_CRASH,
  budget: 20,
  regressionSeeds: [3],
  measured: '87/200 seeds fail durability (43%), first at seeds 3, 4, 6',
} as const;

const loaded = new Map<string, LoadedScenario>();
const scenarioOf = (file: string): LoadedScenario => {
  const s = loaded.get(file);
  if (s === undefined) throw new Error(`${file} not loaded`);
  return s;
};

beforeAll(async () => {
  const mod = (await import(pathToFileURL(join(ROOT, 'dist/runner/seed-pool.js')).href)) as {
    runSeeds: RunSeeds;
  };
  runSeeds = mod.runSeeds;
  for (const file of new Set([...CANARIES.map((c) => c.scenario), ASYNC.scenario]))
    loaded.set(file, await loadScenario(join(ROOT, file)));
});

function tasks(l: LoadedScenario, bugs: readonly string[], from: number, to: number): SeedTask[] {
  const out: SeedTask[] = [];
  for (let seed = from; seed <= to; seed++)
    out.push({ text: l.text, file: l.scenario.file, seed, bugs, twice: false });
  return out;
}

/**
 * Sweeps seeds 1, 2, 3… up to `budget` and stops at the first seed whose verdict is not valid,
 * as a fuzzer does. Chunks start small and double, so an early hit costs little and a late one
 * few pool start-ups; a chunk's results come back in seed order, so the hit is the lowest.
 */
async function firstFailing(
  l: LoadedScenario,
  bugs: readonly string[],
  budget: number,
): Promise<SeedSummary | undefined> {
  let chunk = 8;
  for (let from = 1; from <= budget; from += chunk, chunk = Math.min(chunk * 2, 128)) {
    const results = await runSeeds(tasks(l, bugs, from, Math.min(budget, from + chunk - 1)), {
      workers: WORKERS,
    });
    const hit = results.find((r) => r.verdict !== 'valid');
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/** Every non-ok check of a seed, as `checker/verdict: summary`. */
const problems = (checks: SeedSummary['checks']) =>
  checks.filter((c) => c.verdict !== 'ok').map((c) => `${c.checker}/${c.verdict}: ${c.summary}`);

/**
 * Asserts the seed failed by the expected checker (and `also`, in scenario order), saying the
 * expected thing. The linearizability checker may catch the same bug as well: a lost or
 * resurrected write is usually also a stale read. Nothing may end `unknown`.
 */
function expectCaughtBy(
  checks: SeedSummary['checks'],
  checker: string,
  says: RegExp,
  what: string,
  also: readonly string[] = [],
): void {
  const expected = [checker, ...also];
  const bad = checks.filter(
    (c) =>
      c.verdict !== 'ok' &&
      !(
        c.checker === 'linearizability' &&
        c.verdict === 'violation' &&
        !expected.includes('linearizability')
      ),
  );
  expect(
    bad.map((c) => `${c.checker}/${c.verdict}`),
    `${what}: ${problems(checks).join('; ')}`,
  ).toEqual(expected.map((x) => `${x}/violation`));
  expect(bad[0]?.summary, what).toMatch(says);
}

/**
 * The replay command a sweep prints for this hit, parsed back into seed and bugs and rerun here
 * (in this thread, from src): it must give the hash the worker thread recorded.
 */
function expectReplayReproduces(
  l: LoadedScenario,
  hit: SeedSummary,
  bugs: readonly string[],
): void {
  const { scenario } = l;
  const cmd = replayCommand(
    {
      scenario: { file: scenario.file, name: scenario.name, contentHash: scenario.contentHash },
      seed: hit.seed,
      bugs: [...scenario.bugs, ...bugs],
    },
    scenario.bugs,
  );
  const seed = Number(/--seed (\d+)/.exec(cmd)?.[1]);
  const replayBugs = [...cmd.matchAll(/--bug (\S+)/g)].map((m) => m[1] as string);
  expect(seed, cmd).toBe(hit.seed);
  expect(replayBugs, cmd).toEqual([...bugs]);
  const again = runSeed(scenario, seed, { bugs: replayBugs }).result;
  expect(again.traceHash, `replay of ${cmd}`).toBe(hit.traceHash);
  expect(again.verdict).toBe(hit.verdict);
  expect(again.checks.map((c) => `${c.checker}/${c.verdict}`)).toEqual(
    hit.checks.map((c) => `${c.checker}/${c.verdict}`),
  );
}

/** One clean sweep per scenario, over the largest budget any canary states for it, shared by their (c) tests. */
const cleanSweeps = new Map<string, Promise<SeedSummary[]>>();
function cleanSweep(file: string): Promise<SeedSummary[]> {
  let p = cleanSweeps.get(file);
  if (p === undefined) {
    const upTo = Math.max(...CANARIES.filter((c) => c.scenario === file).map((c) => c.budget));
    p = runSeeds(tasks(scenarioOf(file), [], 1, upTo), { workers: WORKERS });
    cleanSweeps.set(file, p);
  }
  return p;
}

describe.each(CANARIES)('canary $bug on $scenario (budget $budget seeds)', (c) => {
  test(`(a) the fuzzer finds it within ${c.budget} seeds, by ${c.checker}, and the failing seed replays`, async () => {
    const l = scenarioOf(c.scenario);
    const hit = await firstFailing(l, [c.bug], c.budget);
    expect(
      hit,
      `${c.bug} not caught in seeds 1..${c.budget} of ${c.scenario} (measured: ${c.measured}): the harness is broken or the budget is stale`,
    ).toBeDefined();
    if (hit === undefined) return;
    console.info(
      `canary ${c.bug}: first failing seed ${hit.seed} of budget ${c.budget} (${problems(hit.checks).join('; ')})`,
    );
    expectCaughtBy(hit.checks, c.checker, c.says, `${c.bug} seed ${hit.seed}`);
    expectReplayReproduces(l, hit, [c.bug]);
  });

  test(`(b) regression form: seed ${c.regressionSeeds.join(', ')} fails by ${c.checker}`, () => {
    const { scenario } = scenarioOf(c.scenario);
    for (const seed of c.regressionSeeds) {
      const { result } = runSeed(scenario, seed, { bugs: [c.bug] });
      expect(
        result.verdict,
        `seed ${seed} no longer trips ${c.bug}; if (a) still passes, the protocol's behaviour moved: take the seed (a) reports`,
      ).toBe('invalid');
      expectCaughtBy(result.checks, c.checker, c.says, `${c.bug} seed ${seed}`);
    }
  });

  test(`(c) the correct protocol passes seeds 1..${c.budget} with zero violations`, async () => {
    const { scenario } = scenarioOf(c.scenario);
    const results = (await cleanSweep(c.scenario)).filter((r) => r.seed <= c.budget);
    expect(results.map((r) => r.seed)).toEqual(Array.from({ length: c.budget }, (_, i) => i + 1));
    const bad = results
      .filter((r) => r.verdict !== 'valid')
      .map((r) => `seed ${r.seed}: ${problems(r.checks).join('; ')}`);
    expect(bad).toEqual([]);
    // A pass means the checks ran: every seed was judged by every checker the scenario names.
    for (const r of results)
      expect(r.checks.map((x) => x.checker).sort()).toEqual(
        scenario.checkers.map((x) => x.name).sort(),
      );
  });
});

describe(`async replication on ${ASYNC.scenario} (budget ${ASYNC.budget} seeds)`, () => {
  test(`the fuzzer finds lost acknowledged writes within ${ASYNC.budget} seeds, and names them`, async () => {
    const l = scenarioOf(ASYNC.scenario);
    const hit = await firstFailing(l, [], ASYNC.budget);
    expect(
      hit,
      `async write loss not caught in seeds 1..${ASYNC.budget} (measured: ${ASYNC.measured})`,
    ).toBeDefined();
    if (hit === undefined) return;
    console.info(
      `async: first failing seed ${hit.seed} of budget ${ASYNC.budget} (${problems(hit.checks).join('; ')})`,
    );
    // Lost writes are also stale reads: the linearizability checker must catch them too.
    expectCaughtBy(hit.checks, 'durability', /acknowledged writes lost/, `async seed ${hit.seed}`, [
      'linearizability',
    ]);
    expectReplayReproduces(l, hit, []);

    // The summary crossing from the worker has no evidence: rerun here for the full result.
    const { result, history } = runSeed(l.scenario, hit.seed);
    const evidence = result.checks.find((x) => x.checker === 'durability')?.evidence as
      | DurabilityEvidence
      | undefined;
    expect(evidence?.lost.length ?? 0).toBeGreaterThan(0);
    for (const w of evidence?.lost ?? []) {
      expect(w.key).toMatch(/\S/);
      expect(w.value).toMatch(/\S/);
      expect(w.client).toMatch(/\S/);
      // Each lost write really is an acknowledged append of that value, by that client.
      const op = history.find(
        (o) =>
          o.f === 'append' &&
          o.client === w.client &&
          (o.input as KvInput).key === w.key &&
          (o.input as { value?: string }).value === w.value,
      );
      expect(op?.outcome, `lost write ${w.key}=${w.value} by ${w.client}`).toBe('ok');
    }
  });

  test(`regression form: seed ${ASYNC.regressionSeeds.join(', ')} loses acknowledged writes`, () => {
    const { scenario } = scenarioOf(ASYNC.scenario);
    for (const seed of ASYNC.regressionSeeds) {
      const { result } = runSeed(scenario, seed);
      expect(
        result.verdict,
        `seed ${seed} no longer loses writes; take the seed the sweep above reports`,
      ).toBe('invalid');
      expectCaughtBy(
        result.checks,
        'durability',
        /acknowledged writes lost/,
        `async seed ${seed}`,
        ['linearizability'],
      );
    }
  });
});
