/**
 * Joins, leaves and reconciliation in the cluster protocol: which schedules fit the options (a
 * manager may not leave, nor a storage node when fewer than replicasMin would stay), refused at
 * the entry's position with a suggestion; data moved counted in replica slots against 1/n; a
 * leaving node reported drained once; a returning node's superseded groups found obsolete
 * while the files a member of the current epoch may still send stay; and the join and leave
 * scenarios end to end: valid, the joiner given replicas of its own zone, the leaver drained
 * before it stops, data moved reported.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ClusterOptions } from '../../../../src/protocols/cluster/cluster-config.js';
import { cluster } from '../../../../src/protocols/cluster/index.js';
import {
  checkClusterMembership,
  MembershipWatch,
} from '../../../../src/protocols/cluster/membership.js';
import { obsoleteNamespaces } from '../../../../src/protocols/cluster/reconcile.js';
import type { ShardMap } from '../../../../src/protocols/cluster/shard-map.js';
import { runSeed } from '../../../../src/run/run-seed.js';
import { loadScenario } from '../../../../src/runner/load-scenario.js';
import { formatScenarioError, parseScenario } from '../../../../src/scenario/index.js';

const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
const options = (over: Partial<ClusterOptions> = {}): ClusterOptions =>
  cluster.optionsSchema?.parse({ shards: 16, ...over }) as ClusterOptions;
const map = (shards: [number, number, string[]][]): ShardMap => ({
  version: shards.length,
  shards: shards.map(([shard, epoch, replicas]) => ({ shard, epoch, replicas })),
});

describe('membership checks', () => {
  const o = options({ managers: 3, replicasMin: 2 });
  const leave = (node: string, members: string[]) =>
    checkClusterMembership(o, { action: 'leave', node, members });

  it('lets a storage node leave while replicasMin storage nodes stay', () => {
    expect(leave('n4', ['n1', 'n2', 'n3', 'n5', 'n6'])).toBeUndefined();
    expect(checkClusterMembership(o, { action: 'join', node: 'n6', members: [] })).toBeUndefined();
  });

  it('refuses a manager leaving, and a leave below replicasMin, each with a suggestion', () => {
    expect(leave('n2', ['n1', 'n3', 'n4', 'n5'])).toMatch(
      /n2 is a manager .*let a storage node leave \(n4 or later\)/,
    );
    expect(leave('n4', ['n1', 'n2', 'n3', 'n5'])).toMatch(
      /keep 1 storage node, fewer than replicasMin 2: join a spare first, or lower replicasMin/,
    );
  });

  it('refuses joins and leaves under active-backup, which the rebalancer does not move yet', () => {
    const ab = options({ managers: 3, replicasMin: 2, recovery: 'active-backup' });
    const members = ['n1', 'n2', 'n3', 'n5', 'n6', 'n7', 'n8'];
    for (const action of ['join', 'leave'] as const)
      expect(checkClusterMembership(ab, { action, node: 'n4', members })).toMatch(
        /under recovery: active-backup.*use recovery: state-transfer or checkpoint-restore/,
      );
  });

  it('is asked by the scenario parser, which reports the entry', () => {
    const text = readFileSync(join(ROOT, 'scenarios/cluster-leave.yaml'), 'utf8').replace(
      '- { at: 2s, leave: n4, for: 3s }',
      '- { at: 2s, leave: n4, for: 3s }\n    - { at: 3s, leave: n1 }',
    );
    const r = parseScenario(text, 'c.yaml');
    expect(r.ok).toBe(false);
    const msg = r.ok ? '' : r.errors.map(formatScenarioError).join('\n');
    expect(msg).toMatch(/c\.yaml:\d+:\d+ faults\.schedule\.1\.leave/);
    expect(msg).toMatch(/n1 is a manager/);
  });
});

describe('data moved and drains', () => {
  const before = map([
    [0, 1, ['n4', 'n5', 'n6']],
    [1, 1, ['n4', 'n5', 'n6']],
  ]);

  it('counts the replica slots whose node changed, against 1/n of them', () => {
    const w = new MembershipWatch();
    w.told({ type: 'join', node: 'n7', members: [] }, before, 4, 0);
    const after = map([
      [0, 3, ['n5', 'n6', 'n7']],
      [1, 1, ['n4', 'n5', 'n6']],
    ]);
    const done = w.settled(after);
    expect(done?.moved.moved).toBe(1);
    expect(done?.moved.slots).toBe(6);
    expect(done?.moved.ideal).toBe(1.5);
    expect(done?.text).toBe('n7 joins: moved 1 of 6 replica slots (16.7%); ideal 1/n is 25%');
    // Measured once.
    expect(w.settled(after)).toBeUndefined();
  });

  it('measures only what the leader was told, and forgets it on stepping down', () => {
    const w = new MembershipWatch();
    w.told({ type: 'join', node: 'n7', members: [] }, undefined, 4, 0);
    expect(w.settled(before)).toBeUndefined();
    w.told({ type: 'join', node: 'n7', members: [] }, before, 4, 0);
    w.stepDown();
    expect(w.settled(before)).toBeUndefined();
  });

  it('reports a leaving node drained once it holds no replica, once', () => {
    const w = new MembershipWatch();
    w.told({ type: 'leave', node: 'n4', members: [] }, undefined, 2, 1_000);
    expect(w.drainedNow(before, 2_000)).toEqual([]);
    const drained = map([
      [0, 3, ['n5', 'n6', 'n7']],
      [1, 3, ['n5', 'n6', 'n7']],
    ]);
    expect(w.drainedNow(drained, 5_000)).toEqual([{ node: 'n4', afterUs: 4_000 }]);
    expect(w.drainedNow(drained, 6_000)).toEqual([]);
  });
});

describe('reconciliation', () => {
  const now = map([
    [0, 4, ['n4', 'n5', 'n6']],
    [1, 2, ['n5', 'n6', 'n7']],
  ]);
  const disk = ['s0e1', 's0e2', 's0e3', 's0e4', 's1e1', 's1e2', 'mgr'];

  it('finds obsolete what no copy can come from: older than the epoch before, or left out', () => {
    // n4 is in s0's epoch 4: it keeps epoch 3 (what it sends a new member) and 4.
    // It is not in s1's epoch 2: its epoch 1 is obsolete; epoch 2 is current.
    expect(obsoleteNamespaces(now, 'n4', disk)).toEqual(['s0e1', 's0e2', 's1e1']);
    // n7 is in s1's epoch 2 and keeps epoch 1; it is not in s0's epoch 4.
    expect(obsoleteNamespaces(now, 'n7', disk)).toEqual(['s0e1', 's0e2', 's0e3']);
    // A shard the map does not place yet keeps everything.
    expect(obsoleteNamespaces(map([]), 'n4', disk)).toEqual([]);
  });
});

describe('the join and leave scenarios', () => {
  it('cluster-join: valid, each joiner given replicas of its own zone, data moved reported', async () => {
    const { scenario } = await loadScenario(join(ROOT, 'scenarios/cluster-join.yaml'));
    const { result } = runSeed(scenario, 1);
    expect(result.verdict).toBe('valid');
    const marks = Object.keys(result.stats.marks);
    const to = (n: string) =>
      marks.filter((k) => new RegExp(`^cluster.rebalance s\\d+: move n\\d+ -> ${n}:`).test(k));
    expect(to('n10').length).toBeGreaterThan(0);
    expect(to('n10').every((k) => /move n(4|7) -> n10/.test(k))).toBe(true);
    expect(to('n11').every((k) => /move n(5|8) -> n11/.test(k))).toBe(true);
    const moved = marks.filter((k) => k.startsWith('cluster.data-moved n1'));
    expect(moved).toHaveLength(2);
    expect(result.metrics.dataMoved?.count).toBe(2);
  });

  it('cluster-leave: valid, the leaving node drained before it stops, never under-replicated', async () => {
    const { scenario } = await loadScenario(join(ROOT, 'scenarios/cluster-leave.yaml'));
    for (const seed of [1, 2]) {
      const { result } = runSeed(scenario, seed);
      expect(result.verdict, `seed ${seed}`).toBe('valid');
      const m = result.stats.marks;
      expect(m['cluster.drained n4: every replica moved off']).toBe(1);
      // The drain ends well inside its 3 s: no declaration, no repair.
      expect(result.metrics.drain?.maxUs).toBeLessThan(3_000_000);
      expect(m['cluster.declared-dead']).toBeUndefined();
      expect(Object.keys(m).some((k) => k.startsWith('cluster.re-replicate'))).toBe(false);
    }
  });
});
