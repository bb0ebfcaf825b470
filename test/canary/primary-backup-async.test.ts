/**
 * Asynchronous primary/backup replication loses acknowledged writes by design: it acknowledges a
 * write once the primary alone has it durable. Not a named bug but a mode, and the lesson of
 * scenarios/lessons/async-loses-writes.yaml: the fuzzer must show the loss quickly, name every
 * lost write, and each named write must really be an acknowledged append of that value. (The
 * named bugs' canaries, for every protocol, are in canaries.test.ts.)
 */
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import type { DurabilityEvidence } from '../../src/checkers/durability.js';
import type { KvInput } from '../../src/core/history.js';
import { replayCommand } from '../../src/run/run-result.js';
import { runSeed } from '../../src/run/run-seed.js';
import { loadScenario, type LoadedScenario } from '../../src/runner/load-scenario.js';
import type { SeedSummary } from '../../src/runner/seed-summary.js';
import type { SeedTask } from '../../src/runner/seed-worker.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WORKERS = 2;
const ASYNC_CRASH = 'scenarios/fast/pb-async-crash.yaml';

type RunSeeds = typeof import('../../src/runner/seed-pool.js')['runSeeds'];
let runSeeds: RunSeeds;
let loaded: LoadedScenario;
const scenarioOf = (_file: string): LoadedScenario => loaded;

beforeAll(async () => {
  const pool = pathToFileURL(join(ROOT, 'dist/runner/seed-pool.js')).href;
  runSeeds = ((await import(pool)) as { runSeeds: RunSeeds }).runSeeds;
  loaded = await loadScenario(join(ROOT, ASYNC_CRASH));
});

/** Async replication loses acknowledged writes by design; the fuzzer must show it quickly. */
const ASYNC = {
  scenario: ASYNC_CRASH,
  budget: 20,
  regressionSeeds: [3],
  measured: '87/200 seeds fail durability (43%), first at seeds 3, 4, 6',
} as const;

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
