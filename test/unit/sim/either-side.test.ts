/**
 * Clients on either side of a partition, measured: the same placement and the same 2 | 3 cut
 * against Raft and against a CRDT counter. Raft's clients on the minority side see only
 * timeouts and definite failures while the majority side's succeed; the counter's clients
 * succeed on both sides. Operations are counted by the side their client stood on for their
 * whole life (from invocation to the timeout), so one invoked just before the heal is left out.
 */
import { describe, expect, it } from 'vitest';
import { type ClientSide, countBySide, sideOf } from '../../../src/core/client-sides.js';
import { clientIndex } from '../../../src/core/ids.js';
import { runSeed } from '../../../src/run/run-seed.js';
import { loadScenario } from '../../../src/runner/load-scenario.js';
import { buildWorldConfig } from '../../../src/scenario/index.js';
import { World } from '../../../src/sim/world.js';

type Counts = Record<ClientSide, { attempted: number; ok: number }>;

async function measure(file: string, seed: number): Promise<Counts> {
  const { scenario } = await loadScenario(file);
  const run = new World(buildWorldConfig(scenario, seed)).run();
  const sides = run.clientSides;
  if (sides === undefined) throw new Error(`${file} places no clients`);
  const timeoutUs = scenario.clients?.timeoutUs ?? 0;
  const out: Counts = {
    connected: { attempted: 0, ok: 0 },
    majority: { attempted: 0, ok: 0 },
    minority: { attempted: 0, ok: 0 },
  };
  for (const op of run.history) {
    if (op.phase === 'final') continue;
    const c = clientIndex(op.client);
    const side = sideOf(sides, c, op.invokeUs);
    if (side !== sideOf(sides, c, op.invokeUs + timeoutUs)) continue;
    out[side].attempted++;
    if (op.outcome === 'ok') out[side].ok++;
  }
  // result.json counts the same history with the same helper.
  expect(runSeed(scenario, seed).result.stats.sides).toEqual(countBySide(sides, run.history));
  return out;
}

describe('clients on either side of a partition', () => {
  it.each([1, 2, 3])(
    'raft, seed %i: the minority side sees no ok, the majority side does',
    async (seed) => {
      const m = await measure('scenarios/raft-minority-clients.yaml', seed);
      expect(m.minority.attempted).toBeGreaterThan(10);
      expect(m.minority.ok).toBe(0);
      expect(m.majority.ok).toBeGreaterThan(50);
    },
  );

  it.each([1, 2, 3])('crdt counter, seed %i: both sides keep succeeding', async (seed) => {
    const m = await measure('scenarios/crdt-counter-minority-clients.yaml', seed);
    expect(m.minority.ok).toBeGreaterThan(0.9 * m.minority.attempted);
    expect(m.majority.ok).toBeGreaterThan(0.9 * m.majority.attempted);
    expect(m.minority.attempted).toBeGreaterThan(100);
  });
});
