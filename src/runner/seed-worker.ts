/**
 * A worker thread's task: run one seed of a scenario (given as text, parsed once per worker) and
 * return its summary. Each task builds its own world from (scenario, seed), so results do not
 * depend on which thread ran them or in what order.
 */
import { runSeedAs } from '../run/swarm.js';
import type { Scenario } from '../scenario/index.js';
import { readOptionFlags, scenarioFromText } from './load-scenario.js';
import { summarizeResult, type SeedSummary } from './seed-summary.js';

export interface SeedTask {
  readonly text: string;
  readonly file: string;
  readonly seed: number;
  readonly bugs: readonly string[];
  readonly twice: boolean;
  /** Swarm testing: this seed runs with its own subset of the random nemesis kinds. */
  readonly swarm?: boolean;
  /** `--option KEY=VALUE` flags set over the scenario's protocol options. */
  readonly options?: readonly string[];
}

const parsed = new Map<string, Scenario>();

async function runSeedTask(task: SeedTask): Promise<SeedSummary> {
  const options = task.options ?? [];
  const key = `${task.file}\n${options.join('\n')}\n${task.text}`;
  let scenario = parsed.get(key);
  if (scenario === undefined) {
    scenario = await scenarioFromText(task.text, task.file, readOptionFlags(options));
    parsed.set(key, scenario);
  }
  const swarm = task.swarm === true;
  const first = runSeedAs(swarm, scenario, task.seed, { bugs: task.bugs }).result;
  const second = task.twice
    ? runSeedAs(swarm, scenario, task.seed, { bugs: task.bugs }).result.traceHash
    : undefined;
  return summarizeResult(first, second);
}

/** Piscina runs a worker file's default export. */
export default runSeedTask;
