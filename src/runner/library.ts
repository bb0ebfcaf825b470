/**
 * The library's entry points that touch files and threads, so they live in the runner (DESIGN
 * §2: only cli/ and runner/ read files or start workers): load a scenario from a path or from
 * text, and run one seed or a range of seeds of it, across worker threads, with verdicts.
 *
 *   const run = await runScenario('scenarios/fast/pb-sync-crash.yaml', { seeds: { from: 1, to: 50 } }, { workers: 2 });
 *   expect(run.verdict).toBe('valid');
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Scenario } from '../scenario/index.js';
import { validateBugs } from '../scenario/index.js';
import { EXIT, UserError, exitCodeFor } from './exit-codes.js';
import {
  loadScenario as loadScenarioFile,
  scenarioFromText,
  type LoadedScenario,
} from './load-scenario.js';
import type { SeedSummary } from './seed-summary.js';
import { isFailing, sweepReplay, sweepSeeds } from './sweep-seeds.js';

export type { SeedSummary };

export interface RunScenarioOptions {
  readonly bugs?: readonly string[];
  /** Worker threads (default: one per core; 1 runs in this thread). */
  readonly workers?: number;
  readonly swarm?: boolean;
}

export interface ScenarioRun {
  readonly scenario: Pick<Scenario, 'file' | 'name' | 'contentHash'>;
  readonly verdict: 'valid' | 'invalid' | 'unknown';
  /** One summary per seed, in seed order. */
  readonly results: readonly SeedSummary[];
  readonly failing: readonly SeedSummary[];
  readonly lowestFailingSeed: number | undefined;
  /** The CLI command that reruns the lowest failing seed. */
  readonly replay: string | undefined;
}

const INLINE = '<inline>.yaml';

/** A path to an existing file (one line, no newline) is read; anything else is scenario text. */
async function load(pathOrText: string): Promise<LoadedScenario> {
  if (!pathOrText.includes('\n') && existsSync(pathOrText)) return loadScenarioFile(pathOrText);
  return { scenario: await scenarioFromText(pathOrText, INLINE), text: pathOrText };
}

/** A scenario from a file path or from YAML/JSON text; errors name file:line:column and field. */
export async function loadScenario(pathOrText: string): Promise<Scenario> {
  return (await load(pathOrText)).scenario;
}

export async function runScenario(
  pathOrText: string,
  seeds:
    | { readonly seed: number }
    | { readonly seeds: { readonly from: number; readonly to: number } },
  options: RunScenarioOptions = {},
): Promise<ScenarioRun> {
  const loaded = await load(pathOrText);
  const { scenario } = loaded;
  const bugs = options.bugs ?? [];
  const bad = validateBugs(scenario, bugs);
  if (bad !== undefined) throw new UserError(`bugs: ${bad}`, EXIT.usage);
  const range = 'seed' in seeds ? { from: seeds.seed, to: seeds.seed } : seeds.seeds;
  if (
    !Number.isSafeInteger(range.from) ||
    !Number.isSafeInteger(range.to) ||
    range.from < 0 ||
    range.to < range.from
  ) {
    throw new UserError(
      `seeds: expected non-negative integers with from <= to, got ${JSON.stringify(range)}`,
      EXIT.usage,
    );
  }
  const swarm = options.swarm === true;
  const { summaries } = await sweepSeeds(loaded, range, {
    bugs,
    workers: options.workers ?? Math.max(1, availableParallelism()),
    swarm,
    twice: false,
  });
  const failing = summaries.filter(isFailing);
  const code = exitCodeFor(summaries.map((s) => s.verdict));
  return {
    scenario: { file: scenario.file, name: scenario.name, contentHash: scenario.contentHash },
    verdict: code === EXIT.valid ? 'valid' : code === EXIT.invalid ? 'invalid' : 'unknown',
    results: summaries,
    failing,
    lowestFailingSeed: failing[0]?.seed,
    replay:
      failing[0] === undefined ? undefined : sweepReplay(scenario, failing[0].seed, bugs, swarm),
  };
}
