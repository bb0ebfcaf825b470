/**
 * A worker thread's task for `faultline compare`: run one seed of one variant (its merged
 * scenario as text, parsed once per worker) and measure it there (seed-measures.ts), so only
 * numbers cross back to the main thread. Each task builds its own world from (scenario, seed),
 * as the sweep's seed-worker does, so results do not depend on which thread ran them.
 */
import { runSeed } from '../run/run-seed.js';
import { scenarioFromText } from '../runner/load-scenario.js';
import type { Scenario } from '../scenario/index.js';
import { sidesOf } from './client-sides.js';
import { measureSeed, type SeedMeasures } from './seed-measures.js';

export interface CompareTask {
  /** The variant's merged scenario (JSON text) and the lesson file it came from. */
  readonly text: string;
  readonly file: string;
  readonly seed: number;
}

const parsed = new Map<string, Scenario>();

async function runCompareTask(task: CompareTask): Promise<SeedMeasures> {
  const key = `${task.file}\n${task.text}`;
  let scenario = parsed.get(key);
  if (scenario === undefined) {
    scenario = await scenarioFromText(task.text, task.file);
    parsed.set(key, scenario);
  }
  const { result, history, clientSides } = runSeed(scenario, task.seed);
  return measureSeed(result, history, sidesOf(clientSides));
}

/** Piscina runs a worker file's default export. */
export default runCompareTask;
