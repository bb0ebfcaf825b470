/**
 * The benchmark cases (issue 2): (a) bare event-queue churn with 10,000 pending events, (b) a
 * 5-node ping broadcast through the full host with delay, loss and duplication, (c) primary/backup
 * with 3 nodes and clients, and (d) a 1,000,000-event run with its trace streamed to a file.
 * (h) runs a scenario's seeds in this thread exactly as `runSeed` does, checkers and all.
 * Each returns events and wall time; the runner turns them into rates. Wall-clock time is read
 * only here and in the CLI, never in the simulation.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { nodeIds } from '../core/ids.js';
import { EventQueue } from '../engine/event-queue.js';
import { DEFAULT_DISK_CONFIG } from '../disk/disk-config.js';
import { createPing } from '../protocols/ping/ping.js';
import { createPrimaryBackup } from '../protocols/primary-backup/primary-backup.js';
import { runSeed } from '../run/run-seed.js';
import type { Scenario } from '../scenario/index.js';
import { World } from '../sim/world.js';
import type { WorldConfig } from '../sim/world-config.js';
import { kvClients } from '../workloads/kv.js';

export interface CaseResult {
  readonly events: number;
  readonly wallMs: number;
}

/** (a) Pop one, push one, with 10,000 events pending throughout. */
export function queueChurn(events: number): CaseResult {
  const q = new EventQueue(16_384);
  let x = 12345;
  const next = () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x % 10_000;
  };
  for (let i = 0; i < 10_000; i++) q.push(next(), 1, i % 5, 0, i, undefined);
  const start = performance.now();
  let sink = 0;
  for (let i = 0; i < events; i++) {
    const s = q.pop();
    const t = q.time(s);
    sink += q.target(s);
    q.release(s);
    q.push(t + 1 + next(), 1, i % 5, 0, i, undefined);
  }
  const wallMs = performance.now() - start;
  if (sink < 0) throw new Error('unreachable');
  return { events, wallMs };
}

function baseConfig(
  over: Partial<WorldConfig> & Pick<WorldConfig, 'protocol' | 'nodes'>,
): WorldConfig {
  return {
    seed: 1,
    network: {
      defaults: {
        delay: { dist: 'uniform', minUs: 200, maxUs: 2000 },
        lossPpm: 10_000,
        duplicatePpm: 10_000,
        reorderPpm: 0,
      },
      links: [],
    },
    disk: {
      writeLatency: { dist: 'constant', us: 100 },
      syncLatency: { dist: 'uniform', minUs: 500, maxUs: 2000 },
      config: DEFAULT_DISK_CONFIG,
      faultyNodesMax: 0,
    },
    clocks: { skewUsMax: 0, driftPpmMax: 0 },
    clients: undefined,
    faults: { schedule: [], nemeses: [], maxDown: 1, kinds: [] },
    phases: { faultyUs: 10_000_000, healedUs: 0, finalUs: 0 },
    limits: { eventsMax: 1e12, virtualTimeUsMax: 1e12 },
    ...over,
  };
}

/** (b) Five nodes ping every peer every millisecond; peers answer. Delay, 1% loss, 1% duplication. */
export function pingBroadcast(virtualSeconds: number, trace?: (line: string) => void): CaseResult {
  const config = baseConfig({
    nodes: 5,
    protocol: createPing({ intervalMs: 1 }),
    phases: { faultyUs: virtualSeconds * 1_000_000, healedUs: 0, finalUs: 0 },
    ...(trace ? { trace } : {}),
  });
  const start = performance.now();
  const r = new World(config).run();
  return { events: r.events, wallMs: performance.now() - start };
}

/** (c) Primary/backup, 3 nodes, sync mode, 8 clients doing appends and reads. */
export function primaryBackup(virtualSeconds: number): CaseResult {
  const config = baseConfig({
    nodes: 3,
    protocol: createPrimaryBackup(
      { mode: 'sync', heartbeatMs: 20, electionTimeoutMs: 150, batchMax: 64 },
      new Set(),
      nodeIds(3),
    ),
    clients: kvClients({
      clients: 8,
      keys: 8,
      mix: { get: 1, put: 0, append: 2 },
      timeoutUs: 500_000,
      thinkUs: { dist: 'uniform', minUs: 100, maxUs: 2000 },
      retries: 3,
      opsPerClientMax: 1e9,
    }),
    phases: { faultyUs: virtualSeconds * 1_000_000, healedUs: 0, finalUs: 2_000_000 },
  });
  const start = performance.now();
  const r = new World(config).run();
  return { events: r.events, wallMs: performance.now() - start };
}

/** (d) At least a million events of the ping case with every trace line streamed to a file. */
export function tracedMillion(path: string): CaseResult & { bytes: number } {
  const fd = openSync(path, 'w');
  let buffer: string[] = [];
  let size = 0;
  let bytes = 0;
  const sink = (line: string) => {
    buffer.push(line);
    size += line.length;
    if (size > 1 << 20) {
      const chunk = `${buffer.join('\n')}\n`;
      writeSync(fd, chunk);
      bytes += chunk.length;
      buffer = [];
      size = 0;
    }
  };
  // About 45,000 events per virtual second in this configuration: 25 s is over a million.
  const r = pingBroadcast(25, sink);
  const chunk = `${buffer.join('\n')}\n`;
  writeSync(fd, chunk);
  bytes += chunk.length;
  closeSync(fd);
  return { ...r, bytes };
}

/**
 * (h) Seeds `first`..`first + count - 1` of a scenario, one after another in this thread, each
 * built, run and judged by every checker the scenario names, as `fuzz` does for one seed.
 */
export function scenarioSeeds(scenario: Scenario, first: number, count: number): CaseResult {
  const start = performance.now();
  let events = 0;
  for (let seed = first; seed < first + count; seed++) {
    const { result } = runSeed(scenario, seed);
    if (result.verdict !== 'valid') throw new Error(`bench: seed ${seed} did not pass`);
    events += result.events;
  }
  return { events, wallMs: performance.now() - start };
}
