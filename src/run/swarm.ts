/**
 * Swarm testing (Groce, Zhang, Eide, Chen, Regehr: "Swarm Testing", ISSTA 2012): rather than run
 * every seed with every fault kind at its configured rate, each seed runs with a random subset of
 * the scenario's random nemesis kinds switched on, each at a scaled rate and duration. A fault
 * kind that masks a bug (a crash restarting the node a partition would have starved) is then
 * left out of some seeds, and those seeds find the bug.
 *
 * It is a transformation of the parsed Scenario, before the run: a PRNG forked from the seed
 * with the label `swarm` makes the choice, so it is a function of (scenario, seed) alone, draws
 * nothing from the run's own streams, and `replay` reproduces it from the seed. The choice is
 * recorded in the result (`swarm`) so a reader sees which faults were on.
 */
import { Prng } from '../core/prng.js';
import type { DelaySpec } from '../core/delay.js';
import type { Scenario } from '../scenario/index.js';
import type { NemesisSpec } from '../sim/faults.js';
import type { SwarmChoice } from './run-result.js';
import { runSeed, type RunSeedOptions, type SeedRun } from './run-seed.js';

/** How often a kind strikes (its `every` is divided by this/100) and how long each fault lasts (×/100). */
const SWARM_RATE_PERCENT = [25, 50, 100, 200, 400] as const;
const SWARM_HOLD_PERCENT = [50, 100, 200] as const;

export function chooseSwarm(scenario: Scenario, seed: number): SwarmChoice {
  const kinds = [...new Set(scenario.faults.nemeses.map((n) => n.kind))].sort();
  if (kinds.length === 0) return { on: [], off: [] };
  const rng = Prng.root(seed).fork('swarm');
  const picked = kinds.map((kind) => ({
    kind,
    on: rng.chance(1, 2),
    ratePercent: rng.pick(SWARM_RATE_PERCENT),
    holdPercent: rng.pick(SWARM_HOLD_PERCENT),
  }));
  // A seed with every kind off would test nothing: keep one on.
  if (!picked.some((p) => p.on))
    (picked[rng.int(0, picked.length - 1)] as { on: boolean }).on = true;
  return {
    on: picked
      .filter((p) => p.on)
      .map(({ kind, ratePercent, holdPercent }) => ({ kind, ratePercent, holdPercent })),
    off: picked.filter((p) => !p.on).map((p) => p.kind),
  };
}

/** The scenario as this seed's swarm configuration runs it, and the choice made. */
export function swarmScenario(
  scenario: Scenario,
  seed: number,
): { readonly scenario: Scenario; readonly swarm: SwarmChoice } {
  const swarm = chooseSwarm(scenario, seed);
  const nemeses: NemesisSpec[] = [];
  for (const n of scenario.faults.nemeses) {
    const k = swarm.on.find((s) => s.kind === n.kind);
    if (k === undefined) continue;
    // A higher rate is a shorter interval: every × 100 / rate.
    nemeses.push({
      ...n,
      everyUs: scaleDelay(n.everyUs, 100, k.ratePercent),
      forUs: scaleDelay(n.forUs, k.holdPercent, 100),
    });
  }
  return { scenario: { ...scenario, faults: { ...scenario.faults, nemeses } }, swarm };
}

const scale = (us: number, num: number, den: number): number =>
  Math.max(1, Math.floor((us * num) / den));

function scaleDelay(d: DelaySpec, num: number, den: number): DelaySpec {
  switch (d.dist) {
    case 'constant':
      return { ...d, us: scale(d.us, num, den) };
    case 'uniform':
      return { ...d, minUs: scale(d.minUs, num, den), maxUs: scale(d.maxUs, num, den) };
    case 'exponential':
      return { ...d, minUs: Math.floor((d.minUs * num) / den), meanUs: scale(d.meanUs, num, den) };
  }
}

/** `runSeed`, with this seed's swarm configuration applied first and recorded in the result. */
export function runSwarmSeed(
  scenario: Scenario,
  seed: number,
  options: RunSeedOptions = {},
): SeedRun {
  const s = swarmScenario(scenario, seed);
  const run = runSeed(s.scenario, seed, options);
  return { ...run, result: { ...run.result, swarm: s.swarm } };
}

/** One seed, with or without swarm testing: the one entry point the CLI's commands share. */
export const runSeedAs = (
  swarm: boolean,
  scenario: Scenario,
  seed: number,
  options: RunSeedOptions = {},
): SeedRun => (swarm ? runSwarmSeed(scenario, seed, options) : runSeed(scenario, seed, options));
