/**
 * Swarm testing is a function of (scenario, seed): the same seed always switches on the same
 * nemesis kinds at the same scale, different seeds differ, at least one kind stays on, and a
 * swarm run is as deterministic as any other and records its choice.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chooseSwarm, runSwarmSeed, swarmScenario } from '../../../src/run/swarm.js';
import { parseScenario, type Scenario } from '../../../src/scenario/index.js';

function load(file: string): Scenario {
  const parsed = parseScenario(readFileSync(file, 'utf8'), file);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.scenario;
}

const SYNC_CRASH = load('scenarios/fast/pb-sync-crash.yaml');

describe('swarm testing', () => {
  it('chooses the same kinds and scales for the same seed, every time', () => {
    for (let seed = 0; seed < 50; seed++)
      expect(chooseSwarm(SYNC_CRASH, seed)).toEqual(chooseSwarm(SYNC_CRASH, seed));
  });

  it('varies across seeds, keeps at least one kind on, and names every kind once', () => {
    const kinds = [...new Set(SYNC_CRASH.faults.nemeses.map((n) => n.kind))].sort();
    const seen = new Set<string>();
    for (let seed = 0; seed < 50; seed++) {
      const c = chooseSwarm(SYNC_CRASH, seed);
      expect(c.on.length).toBeGreaterThan(0);
      expect([...c.on.map((k) => k.kind), ...c.off].sort()).toEqual(kinds);
      seen.add(JSON.stringify(c));
    }
    expect(seen.size).toBeGreaterThan(10);
  });

  it('keeps only the nemeses of kinds that are on, scaled, and leaves the base scenario alone', () => {
    const before = JSON.stringify(SYNC_CRASH.faults);
    for (let seed = 0; seed < 20; seed++) {
      const { scenario, swarm } = swarmScenario(SYNC_CRASH, seed);
      const on = new Set(swarm.on.map((k) => k.kind));
      const originals = SYNC_CRASH.faults.nemeses.filter((n) => on.has(n.kind));
      expect(scenario.faults.nemeses.map((n) => n.kind)).toEqual(originals.map((n) => n.kind));
      scenario.faults.nemeses.forEach((n, i) => {
        const k = swarm.on.find((x) => x.kind === n.kind)!;
        const original = originals[i]!;
        // A rate of 200% halves the mean interval.
        if (n.everyUs.dist === 'exponential' && original.everyUs.dist === 'exponential')
          expect(n.everyUs.meanUs).toBe(
            Math.max(1, Math.floor((original.everyUs.meanUs * 100) / k.ratePercent)),
          );
      });
    }
    expect(JSON.stringify(SYNC_CRASH.faults)).toBe(before);
  });

  it('records its choice in the result and replays to the same trace hash', () => {
    const a = runSwarmSeed(SYNC_CRASH, 7).result;
    const b = runSwarmSeed(SYNC_CRASH, 7).result;
    expect(a.swarm).toEqual(chooseSwarm(SYNC_CRASH, 7));
    expect(b.traceHash).toBe(a.traceHash);
  });

  it('is a no-op choice for a scenario without random nemeses', () => {
    const ping = load('scenarios/smoke/ping.yaml');
    if (ping.faults.nemeses.length === 0) expect(chooseSwarm(ping, 1)).toEqual({ on: [], off: [] });
  });
});
