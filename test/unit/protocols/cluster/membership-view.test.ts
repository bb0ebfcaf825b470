/**
 * The membership a manager plans from (membership-view.ts): the cluster's own in the correct
 * protocol, whatever the manager was told or not; under `cluster.stale-manager-view` a view in
 * its memory, started from the run's first members, changed only by what it is told while it
 * leads. And the scenario built for it end to end: with the leader crashed 100 ms into a drain,
 * the correct protocol's next leader finishes the drain, while the mutated one does not know
 * of the leave, so n4 stops holding replicas and the placement checker reports its shards.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  type ClusterOptions,
  createClusterConfig,
} from '../../../../src/protocols/cluster/cluster-config.js';
import { cluster } from '../../../../src/protocols/cluster/index.js';
import { MembershipView } from '../../../../src/protocols/cluster/membership-view.js';
import { runSeed } from '../../../../src/run/run-seed.js';
import { loadScenario } from '../../../../src/runner/load-scenario.js';

const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
const BUG = 'cluster.stale-manager-view';
const options = cluster.optionsSchema?.parse({ managers: 3, shards: 4 }) as ClusterOptions;
const nodes = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7'];
/** n7 is a spare: the run starts with n4, n5 and n6 storing. */
const config = (bugs: string[]) =>
  createClusterConfig(options, nodes, undefined, new Set(bugs), ['n7']);
const leave = { type: 'leave', node: 'n4', members: ['n1', 'n2', 'n3', 'n5', 'n6'] } as const;
const join7 = { type: 'join', node: 'n7', members: nodes } as const;

describe('the membership a manager plans from', () => {
  it('is the cluster’s own in the correct protocol, told or not', () => {
    const v = new MembershipView(config([]));
    expect(v.told(leave, false)).toBe(true);
    expect(v.storage(['n1', 'n2', 'n3', 'n5', 'n6', 'n7'])).toEqual(['n5', 'n6', 'n7']);
  });

  it('under the bug, starts from the first members and drops what it is told as a follower', () => {
    const v = new MembershipView(config([BUG]));
    expect(v.storage(['n5'])).toEqual(['n4', 'n5', 'n6']);
    expect(v.told(leave, false)).toBe(false);
    expect(v.told(join7, false)).toBe(false);
    expect(v.storage([])).toEqual(['n4', 'n5', 'n6']);
  });

  it('under the bug, changes by what it is told while it leads, and a new one forgets it', () => {
    const cfg = config([BUG]);
    const v = new MembershipView(cfg);
    expect(v.told(join7, true)).toBe(true);
    expect(v.told(leave, true)).toBe(true);
    expect(v.storage([])).toEqual(['n5', 'n6', 'n7']);
    // A restarted manager boots a fresh view: the first members again.
    expect(new MembershipView(cfg).storage([])).toEqual(['n4', 'n5', 'n6']);
  });
});

describe('cluster-leave-failover', () => {
  const file = join(ROOT, 'scenarios/cluster-leave-failover.yaml');

  it('correct: the next leader finishes the drain, never a shard short of 3 replicas', async () => {
    const { scenario } = await loadScenario(file);
    const { result } = runSeed(scenario, 1);
    expect(result.verdict).toBe('valid');
    const m = result.stats.marks;
    expect(m['cluster.manager-leads']).toBeGreaterThanOrEqual(2);
    expect(m['cluster.drained n4: every replica moved off']).toBe(1);
    expect(m['cluster.declared-dead']).toBeUndefined();
  });

  it('stale view: n4 stops holding replicas, is declared dead, placement fires', async () => {
    const { scenario } = await loadScenario(file);
    const { result } = runSeed(scenario, 1, { bugs: [BUG] });
    expect(result.verdict).toBe('invalid');
    const placement = result.checks.find((c) => c.checker === 'placement');
    expect(placement?.verdict).toBe('violation');
    expect(placement?.summary).toMatch(/had fewer than 3 live replicas for .* from 5s/);
    const m = result.stats.marks;
    expect(m['cluster.drained n4: every replica moved off']).toBeUndefined();
    expect(m['cluster.declared-dead']).toBe(1);
    // The new leader even balanced replicas onto n4, a member in its view.
    expect(Object.keys(m).some((k) => /^cluster.rebalance s\d+: move n\d+ -> n4:/.test(k))).toBe(
      true,
    );
  });
});
