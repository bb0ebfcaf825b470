/**
 * Determinism as a property (DESIGN §4): for any seed and any knobs, two runs of the same world
 * give the same trace hash and the same history; and the hash really depends on the seed.
 */
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { nodeIds } from '../../src/core/ids.js';
import { stableStringify } from '../../src/core/encoding.js';
import { DEFAULT_DISK_CONFIG } from '../../src/disk/disk-config.js';
import { FAULT_KINDS } from '../../src/faults/registry.js';
import { createPrimaryBackup } from '../../src/protocols/primary-backup/primary-backup.js';
import { World } from '../../src/sim/world.js';
import type { WorldConfig } from '../../src/sim/world-config.js';
import { kvClients } from '../../src/workloads/kv.js';

interface Knobs {
  seed: number;
  nodes: number;
  mode: 'sync' | 'async';
  lossPpm: number;
  duplicatePpm: number;
  reorderPpm: number;
  crashEveryMs: number;
  partitionEveryMs: number;
  skewUsMax: number;
  driftPpmMax: number;
}

function config(k: Knobs): WorldConfig {
  return {
    seed: k.seed,
    nodes: k.nodes,
    protocol: createPrimaryBackup(
      { mode: k.mode, heartbeatMs: 20, electionTimeoutMs: 150, batchMax: 16 },
      new Set(),
      nodeIds(k.nodes),
    ),
    network: {
      defaults: {
        delay: { dist: 'exponential', minUs: 100, meanUs: 1500 },
        lossPpm: k.lossPpm,
        duplicatePpm: k.duplicatePpm,
        reorderPpm: k.reorderPpm,
      },
      links: [],
    },
    disk: {
      writeLatency: { dist: 'constant', us: 100 },
      syncLatency: { dist: 'uniform', minUs: 300, maxUs: 1500 },
      config: DEFAULT_DISK_CONFIG,
      faultyNodesMax: 0,
    },
    clocks: { skewUsMax: k.skewUsMax, driftPpmMax: k.driftPpmMax },
    clients: kvClients({
      clients: 3,
      keys: 3,
      mix: { get: 1, put: 1, append: 2 },
      timeoutUs: 300_000,
      thinkUs: { dist: 'uniform', minUs: 500, maxUs: 10_000 },
      retries: 2,
      opsPerClientMax: 10_000,
    }),
    faults: {
      schedule: [],
      nemeses: [
        {
          kind: 'crash',
          target: 'random',
          everyUs: { dist: 'exponential', minUs: 0, meanUs: k.crashEveryMs * 1000 },
          forUs: { dist: 'uniform', minUs: 50_000, maxUs: 400_000 },
        },
        {
          kind: 'partition',
          target: 'random',
          everyUs: { dist: 'exponential', minUs: 0, meanUs: k.partitionEveryMs * 1000 },
          forUs: { dist: 'uniform', minUs: 50_000, maxUs: 400_000 },
        },
        {
          kind: 'pause',
          target: 'random',
          everyUs: { dist: 'exponential', minUs: 0, meanUs: 900_000 },
          forUs: { dist: 'constant', us: 100_000 },
        },
      ],
      maxDown: Math.floor((k.nodes - 1) / 2),
      kinds: FAULT_KINDS,
    },
    phases: { faultyUs: 1_500_000, healedUs: 500_000, finalUs: 2_000_000 },
    limits: { eventsMax: 2_000_000, virtualTimeUsMax: 30_000_000 },
  };
}

const knobs = fc.record<Knobs>({
  seed: fc.integer({ min: 0, max: 2 ** 31 }),
  nodes: fc.constantFrom(3, 5),
  mode: fc.constantFrom('sync', 'async'),
  lossPpm: fc.integer({ min: 0, max: 200_000 }),
  duplicatePpm: fc.integer({ min: 0, max: 200_000 }),
  reorderPpm: fc.integer({ min: 0, max: 200_000 }),
  crashEveryMs: fc.integer({ min: 100, max: 2000 }),
  partitionEveryMs: fc.integer({ min: 100, max: 2000 }),
  skewUsMax: fc.integer({ min: 0, max: 100_000 }),
  driftPpmMax: fc.integer({ min: 0, max: 500 }),
});

const run = (k: Knobs) => {
  const r = new World(config(k)).run();
  return { hash: r.traceHash, history: stableStringify(r.history), events: r.events };
};

describe('determinism', () => {
  test.prop([knobs], { numRuns: 25 })('same seed and knobs: same trace hash and history', (k) => {
    const a = run(k);
    const b = run(k);
    expect(b.hash).toBe(a.hash);
    expect(b.history).toBe(a.history);
    expect(a.events).toBeGreaterThan(100);
  });

  test.prop([knobs], { numRuns: 10 })('a different seed gives a different trace', (k) => {
    expect(run({ ...k, seed: k.seed + 1 }).hash).not.toBe(run(k).hash);
  });
});
