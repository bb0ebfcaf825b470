/**
 * Quiet shard groups in the cluster (`quiesce`, on by default; peer-liveness.ts): on the bench
 * case (64 shards, 12 keys, a storage node crashed for 3 s), idle groups stop heartbeating, so a
 * seed takes a fraction of the events, and the groups whose primary was on the crashed node
 * still fail over within the configuration in well under a second: their nodes' peer
 * heartbeats wake them. Without that wake they would wait for the manager's new epoch (over
 * 2 s on these seeds). With `quiesce: false` every group heartbeats all the time, as before.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../src/scenario/index.js';
import { runSeed } from '../../../../src/run/run-seed.js';
import { loadScenario } from '../../../../src/runner/load-scenario.js';

const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));

const withQuiesce = (s: Scenario, quiesce: boolean): Scenario => ({
  ...s,
  options: { ...(s.options as object), quiesce },
});

describe('quiet shard groups', () => {
  it.each([1, 2])('bench seed %i: fewer events, and failover inside the epoch', async (seed) => {
    const { scenario } = await loadScenario(join(ROOT, 'scenarios/bench/cluster-64.yaml'));
    const quiet = runSeed(withQuiesce(scenario, true), seed).result;
    const loud = runSeed(withQuiesce(scenario, false), seed).result;
    expect(quiet.verdict).toBe('valid');
    expect(loud.verdict).toBe('valid');
    expect(quiet.events).toBeLessThan(loud.events * 0.4);
    const failover = quiet.metrics?.failover;
    expect(failover?.count).toBeGreaterThan(20);
    expect(failover?.maxUs).toBeLessThan(1_000_000);
  });
});
