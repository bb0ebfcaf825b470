/**
 * Canaries for every protocol in the registry (DESIGN §8): each named bug declares, in its
 * protocol's definition, the scenario class that exposes it, the checker that must fire, a seed
 * budget and seeds known to trip it. Here, in CI:
 *
 * - every pinned seed trips the bug and the named checker reports it (saying what it must), while
 *   the correct protocol passes the very same seeds;
 * - a budget of at most CI_SWEEP_MAX seeds is swept in full, as the fuzzer sweeps: the first
 *   failing seed is caught by the named checker with nothing left unknown, and its replay gives
 *   the hash the worker thread recorded; the correct protocol passes every seed of the budget,
 *   judged by every checker the scenario names.
 *
 * A canary's variants (the same scenario class with protocol options set over the file's, as
 * `--option storage=lsm` sets them) are canaries of their own here, each with its budget and seeds.
 *
 * Larger budgets are swept by `npm run fuzz`. If a canary stops failing, the harness (a checker,
 * a fault, the workload) is broken, or the protocol's behaviour moved: re-measure and take the
 * seeds the sweep reports.
 */
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import type { CanaryDefinition } from '../../src/core/protocol-definition.js';
import { PROTOCOLS } from '../../src/protocols/registry.js';
import { type RunResult, replayCommand } from '../../src/run/run-result.js';
import { runSeed } from '../../src/run/run-seed.js';
import { loadScenario, type LoadedScenario } from '../../src/runner/load-scenario.js';
import type { SeedSummary } from '../../src/runner/seed-summary.js';
import type { SeedTask } from '../../src/runner/seed-worker.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WORKERS = 2;
/**
 * Budgets up to this many seeds are swept in full in CI; larger ones by `npm run fuzz`. Each
 * swept budget costs the bugged sweep and a clean one; at 50, pb-sync-pause's 50 seeds and
 * raft-partitioned-reads' 25 were a third of this file's time, and `npm run fuzz` sweeps them,
 * and 10,000 clean seeds of each, anyway.
 */
const CI_SWEEP_MAX = 20;

type RunSeeds = typeof import('../../src/runner/seed-pool.js')['runSeeds'];
let runSeeds: RunSeeds;

interface Canary extends Omit<CanaryDefinition, 'variants'> {
  readonly protocol: string;
  readonly bug: string;
  /** `--option` flags the variant sets (none for the canary itself). */
  readonly options: readonly string[];
  /** The scenario and its options: what a sweep of this canary runs. */
  readonly run: string;
  /** How test names call it: the scenario, or its file name and options (names are cut at 40). */
  readonly title: string;
}

const runOf = (scenario: string, options: readonly string[]): string =>
  [scenario, ...options.map((o) => `--option ${o}`)].join(' ');

/** A canary, and each of its expressible variants as a canary of its own. */
function withVariants(c: CanaryDefinition, protocol: string, bug: string): Canary[] {
  const { variants = [], ...own } = c;
  const base = { ...own, protocol, bug, options: [], run: c.scenario, title: c.scenario };
  const titleOf = (options: readonly string[]) => [basename(c.scenario), ...options].join(' + ');
  return [
    base,
    ...variants.flatMap((v) =>
      'inexpressible' in v
        ? []
        : [{ ...base, ...v, run: runOf(c.scenario, v.options), title: titleOf(v.options) }],
    ),
  ];
}

const CANARIES: readonly Canary[] = PROTOCOLS.flatMap((p) =>
  p.bugs.flatMap((b) => (b.canary === undefined ? [] : withVariants(b.canary, p.name, b.name))),
);

const loaded = new Map<string, LoadedScenario>();
const scenarioOf = (run: string): LoadedScenario => {
  const s = loaded.get(run);
  if (s === undefined) throw new Error(`${run} not loaded`);
  return s;
};

beforeAll(async () => {
  // Worker threads cannot load the TypeScript sources: the pool comes from the built dist/.
  const pool = pathToFileURL(join(ROOT, 'dist/runner/seed-pool.js')).href;
  runSeeds = ((await import(pool)) as { runSeeds: RunSeeds }).runSeeds;
  for (const c of CANARIES) {
    if (!loaded.has(c.run))
      loaded.set(c.run, await loadScenario(join(ROOT, c.scenario), c.options));
  }
});

const problems = (checks: SeedSummary['checks']) =>
  checks.filter((c) => c.verdict !== 'ok').map((c) => `${c.checker}/${c.verdict}: ${c.summary}`);

/** The canary's checker reported a violation that says what it must. */
function expectCaught(checks: SeedSummary['checks'], c: Canary, what: string): void {
  const finding = checks.find((x) => x.checker === c.checker && x.verdict === 'violation');
  expect(finding, `${what}: ${problems(checks).join('; ')}`).toBeDefined();
  if (c.says !== undefined) expect(finding?.summary, what).toMatch(new RegExp(c.says));
}

function tasks(l: LoadedScenario, bugs: readonly string[], from: number, to: number): SeedTask[] {
  const out: SeedTask[] = [];
  for (let seed = from; seed <= to; seed++) {
    const options = l.scenario.optionOverrides ?? [];
    out.push({ text: l.text, file: l.scenario.file, seed, bugs, twice: false, options });
  }
  return out;
}

/**
 * Seeds 1, 2, 3… up to the budget, stopping at the first a checker finds invalid, as a fuzzer
 * does: in batches that start at one seed per worker and double, so a bug caught on seed 1 or 2
 * (several are, on scenarios whose seeds take seconds) costs two runs, not eight.
 */
async function firstFailing(l: LoadedScenario, bugs: readonly string[], budget: number) {
  let chunk = WORKERS;
  for (let from = 1; from <= budget; from += chunk, chunk = Math.min(chunk * 2, 128)) {
    const to = Math.min(budget, from + chunk - 1);
    const results = await runSeeds(tasks(l, bugs, from, to), { workers: WORKERS });
    // A catch is a violation: a seed a checker could not judge (unknown) is not one.
    const hit = results.find((r) => r.verdict === 'invalid');
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/** The replay command a sweep prints for the hit, rerun here from src: the same hash. */
function expectReplayReproduces(l: LoadedScenario, hit: SeedSummary, bug: string): void {
  const { scenario } = l;
  const id = { file: scenario.file, name: scenario.name, contentHash: scenario.contentHash };
  const options = scenario.optionOverrides ?? [];
  const cmd = replayCommand(
    { scenario: id, seed: hit.seed, bugs: [...scenario.bugs, bug], options },
    scenario.bugs,
  );
  const flags = options.map((o) => ` --option ${o}`).join('');
  expect(cmd).toContain(`--seed ${hit.seed} --bug ${bug}${flags}`);
  const again = runHere(l, hit.seed, bug);
  expect(again.traceHash, `replay of ${cmd}`).toBe(hit.traceHash);
}

/**
 * A seed run in this thread with the bug on, once: the pinned-seed test and the replay of the
 * fuzzer's hit (usually the same seed) both judge this one run, which for some scenarios takes
 * seconds. The replay still compares a run here with the one a worker thread recorded.
 */
const herePerSeed = new Map<string, RunResult>();
function runHere(l: LoadedScenario, seed: number, bug: string): RunResult {
  const key = `${l.scenario.file} ${(l.scenario.optionOverrides ?? []).join(' ')} ${seed} ${bug}`;
  let r = herePerSeed.get(key);
  if (r === undefined) {
    r = runSeed(l.scenario, seed, { bugs: [bug] }).result;
    herePerSeed.set(key, r);
  }
  return r;
}

/** One clean sweep per scenario over the largest swept budget, shared by its canaries. */
const cleanSweeps = new Map<string, Promise<SeedSummary[]>>();
function cleanSweep(run: string): Promise<SeedSummary[]> {
  let p = cleanSweeps.get(run);
  if (p === undefined) {
    const swept = CANARIES.filter((c) => c.run === run && c.budget <= CI_SWEEP_MAX);
    const upTo = Math.max(...swept.map((c) => c.budget));
    p = runSeeds(tasks(scenarioOf(run), [], 1, upTo), { workers: WORKERS });
    cleanSweeps.set(run, p);
  }
  return p;
}

/**
 * The checks a scenario reports: its checkers, and through `invariants` each property the
 * protocol's cluster observer checks (Raft's election safety, leader completeness…).
 */
function judgedBy(scenario: LoadedScenario['scenario']): string[] {
  const names = scenario.checkers.map((x) => x.name);
  if (!names.includes('invariants')) return names;
  const nodes = Array.from({ length: scenario.nodes }, (_, i) => `n${i + 1}`);
  const instance = scenario.protocol.create({ options: scenario.options, bugs: new Set(), nodes });
  const observed = instance.createObserver?.().results() ?? [];
  return [...names, ...observed.map((p) => p.name)];
}

describe.each(PROTOCOLS.filter((p) => p.bugs.length > 0))('$name', (p) => {
  test('every named bug has a canary, on a scenario of this protocol that runs its checker', async () => {
    for (const bug of p.bugs) {
      expect(bug.canary, `${bug.name} has no canary`).toBeDefined();
      const c = bug.canary as CanaryDefinition;
      const { scenario } = await loadScenario(join(ROOT, c.scenario));
      expect(scenario.protocol.name, c.scenario).toBe(p.name);
      expect(judgedBy(scenario), `${bug.name}: ${c.scenario}`).toContain(c.checker);
      expect(
        c.seeds.every((s) => s >= 1 && s <= c.budget),
        bug.name,
      ).toBe(true);
      for (const v of c.variants ?? []) {
        expect(v.options.length, `${bug.name}: a variant sets options`).toBeGreaterThan(0);
        if ('inexpressible' in v) expect(v.inexpressible, bug.name).not.toBe('');
        else
          expect(
            v.seeds.every((s) => s >= 1 && s <= v.budget),
            bug.name,
          ).toBe(true);
      }
    }
  });
});

describe.each(CANARIES)('canary $bug on $title (budget $budget seeds)', (c) => {
  test(`seeds ${c.seeds.join(', ')} trip it, caught by ${c.checker}`, () => {
    for (const seed of c.seeds) {
      const result = runHere(scenarioOf(c.run), seed, c.bug);
      expectCaught(result.checks, c, `${c.bug} seed ${seed} (measured: ${c.measured})`);
    }
  });

  test(`the correct protocol passes seeds ${c.seeds.join(', ')}`, () => {
    const { scenario } = scenarioOf(c.run);
    for (const seed of c.seeds) {
      const { result } = runSeed(scenario, seed);
      expect(problems(result.checks), `seed ${seed}`).toEqual([]);
    }
  });

  // Larger budgets are swept by `npm run fuzz` only: no test is registered for them here.
  if (c.budget > CI_SWEEP_MAX) return;

  test(`the fuzzer finds it within ${c.budget} seeds, and the failing seed replays`, async () => {
    const l = scenarioOf(c.run);
    const hit = await firstFailing(l, [c.bug], c.budget);
    const where = `${c.bug} not caught in seeds 1..${c.budget} of ${c.run} (measured: ${c.measured})`;
    expect(hit, `${where}: the harness is broken or the budget is stale`).toBeDefined();
    if (hit === undefined) return;
    expectCaught(hit.checks, c, `${c.bug} seed ${hit.seed}`);
    expect(hit.checks.filter((x) => x.verdict === 'unknown').map((x) => x.checker)).toEqual([]);
    expectReplayReproduces(l, hit, c.bug);
  });

  test(`the correct protocol passes seeds 1..${c.budget}, judged by every checker`, async () => {
    const { scenario } = scenarioOf(c.run);
    const results = (await cleanSweep(c.run)).filter((r) => r.seed <= c.budget);
    expect(results.map((r) => r.seed)).toEqual(Array.from({ length: c.budget }, (_, i) => i + 1));
    const bad = results.filter((r) => r.verdict !== 'valid');
    expect(bad.map((r) => `seed ${r.seed}: ${problems(r.checks).join('; ')}`)).toEqual([]);
    const checkers = scenario.checkers.map((x) => x.name);
    for (const r of results) {
      expect(r.checks.map((x) => x.checker)).toEqual(expect.arrayContaining(checkers));
    }
  });
});
