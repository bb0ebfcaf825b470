/**
 * Failure handling in the cluster protocol: the leader's liveness judgement (phi accrual held
 * over the threshold for `deadAfter` declares a node dead; a short silence does not; a node
 * heard again is live), the repair proposal (the dead node's shards get a new epoch of the
 * survivors plus a node of the dead node's zone, at most `migrationsMax` at once, none for a
 * shard already moving), and cluster-crash end to end: the crashed node's 8 shards each reach a
 * new epoch by state transfer, every seed valid, with the measures reported, and the node
 * refilled once it returns; and a zone's outage, after which every shard is re-replicated with
 * a second replica in a surviving zone, moved back into the zone when it returns.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  type ClusterOptions,
  createClusterConfig,
} from '../../../../src/protocols/cluster/cluster-config.js';
import { cluster } from '../../../../src/protocols/cluster/index.js';
import { initialPlacement } from '../../../../src/protocols/cluster/initial-placement.js';
import { Liveness } from '../../../../src/protocols/cluster/liveness.js';
import { proposeRepair } from '../../../../src/protocols/cluster/repair.js';
import { changeRecords, foldShardMap } from '../../../../src/protocols/cluster/shard-map.js';
import { runSeed } from '../../../../src/run/run-seed.js';
import { loadScenario } from '../../../../src/runner/load-scenario.js';

const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
const NODES = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7', 'n8', 'n9'];
const ZONES = NODES.map((_, i) => ({ zone: `z${(i % 3) + 1}` }));
const options = (over: Partial<ClusterOptions> = {}): ClusterOptions =>
  cluster.optionsSchema?.parse({ shards: 16, ...over }) as ClusterOptions;
const MS = 1000;

describe('liveness', () => {
  const o = {
    detector: 'phi' as const,
    phiThreshold: 8,
    heartbeatUs: 50 * MS,
    deadAfterUs: 500 * MS,
    timeoutUs: 0,
  };
  const beats = (l: Liveness, node: string, fromUs: number, toUs: number) => {
    for (let t = fromUs; t <= toUs; t += 50 * MS) l.heard(node, t);
  };

  it('declares a silent node dead once suspected for deadAfter, not before', () => {
    const l = new Liveness(o, ['n4', 'n5'], 0);
    beats(l, 'n4', 0, 3000 * MS);
    beats(l, 'n5', 0, 1000 * MS);
    const dead: string[] = [];
    let when = 0;
    for (let t = 1000 * MS; t <= 3000 * MS && dead.length === 0; t += 10 * MS) {
      l.heard('n4', t);
      for (const d of l.check(t)) {
        dead.push(d.node);
        when = t;
        expect(d.silentUs).toBe(t - 1000 * MS);
      }
    }
    expect(dead).toEqual(['n5']);
    // Suspected some time after its last heartbeat, then held for 500 ms.
    expect(when).toBeGreaterThan(1500 * MS);
    expect(when).toBeLessThan(2500 * MS);
    expect(l.isLive('n5')).toBe(false);
    l.heard('n5', 3000 * MS);
    expect(l.isLive('n5')).toBe(true);
  });

  it('judges a node only once tracked (a join), and no longer once forgotten (a leave)', () => {
    const l = new Liveness(o, ['n4'], 0);
    const declared = (fromUs: number, toUs: number) => {
      const out: string[] = [];
      for (let t = fromUs; t <= toUs; t += 10 * MS) out.push(...l.check(t).map((d) => d.node));
      return out;
    };
    // n10 not yet joined: its silence is not judged, and its heartbeats are ignored.
    l.heard('n10', 0);
    expect(declared(0, 5000 * MS)).toEqual(['n4']);
    l.track('n10', 5000 * MS);
    l.track('n10', 6000 * MS);
    expect(declared(5000 * MS, 8000 * MS)).toEqual(['n10']);
    l.forget('n4');
    l.forget('n10');
    expect(l.isLive('n4')).toBe(true);
    expect(declared(8000 * MS, 12000 * MS)).toEqual([]);
  });

  it('does not declare a node dead for a silence shorter than the window', () => {
    const l = new Liveness(o, ['n4'], 0);
    beats(l, 'n4', 0, 1000 * MS);
    for (let t = 1000 * MS; t < 1400 * MS; t += 10 * MS) expect(l.check(t)).toEqual([]);
    beats(l, 'n4', 1400 * MS, 3000 * MS);
    for (let t = 3000 * MS; t < 3300 * MS; t += 10 * MS) expect(l.check(t)).toEqual([]);
  });
});

describe('the repair proposal', () => {
  const cfg = createClusterConfig(options({ migrationsMax: 3 }), NODES, ZONES);
  const map = foldShardMap(changeRecords(initialPlacement(cfg).changes));
  const dead = (n: string) => n !== 'n5';
  /** Every replica runs its shard's current epoch. */
  const RUNS = () => true;

  it('moves each of the dead node’s shards to a new epoch, in the dead node’s zone', () => {
    const p = proposeRepair(cfg, map, dead, new Map(), RUNS);
    expect(p.changes).toHaveLength(3);
    for (const c of p.changes) {
      const old = map.shards[c.shard];
      expect(old?.replicas).toContain('n5');
      expect(c.supersedes).toBe(old?.epoch);
      expect(c.epoch).toBe((old?.epoch ?? 0) + 1);
      expect(c.replicas).not.toContain('n5');
      // n8 is the other storage node of z2.
      expect(c.replicas).toContain('n8');
      expect(c.replicas.filter((n) => old?.replicas.includes(n))).toHaveLength(2);
    }
    expect(p.decisions.every((d) => /zone z2 holds none/.test(d.explanation))).toBe(true);
  });

  it('keeps at most migrationsMax shards moving, and leaves moving ones alone', () => {
    const first = proposeRepair(cfg, map, dead, new Map(), RUNS);
    const moving = new Map(first.changes.map((c) => [c.shard, 0] as const));
    expect(proposeRepair(cfg, map, dead, moving, RUNS).changes).toEqual([]);
    const one = new Map([[first.changes[0]?.shard as number, 0]]);
    const next = proposeRepair(cfg, map, dead, one, RUNS);
    expect(next.changes).toHaveLength(2);
    expect(next.changes.some((c) => one.has(c.shard))).toBe(false);
  });

  it('moves no shard without a live replica running its current epoch to copy from', () => {
    // Only n6 runs its groups (the others' copies unfinished): only shards on n6 can move.
    const runs = (n: string) => n === 'n6';
    const p = proposeRepair(cfg, map, dead, new Map(), runs);
    expect(p.changes.length).toBeGreaterThan(0);
    for (const c of p.changes) expect(map.shards[c.shard]?.replicas).toContain('n6');
    // Every replica declared dead (the manager cut off from them all): nothing to copy from.
    expect(proposeRepair(cfg, map, () => false, new Map(), RUNS).changes).toEqual([]);
  });

  it('proposes nothing while every replica is live', () => {
    expect(proposeRepair(cfg, map, () => true, new Map(), RUNS).changes).toEqual([]);
  });
});

describe('cluster-crash', () => {
  it('re-replicates every shard of the crashed node by state transfer, valid', async () => {
    const { scenario } = await loadScenario(join(ROOT, 'scenarios/cluster-crash.yaml'));
    for (const seed of [1, 2]) {
      const { result } = runSeed(scenario, seed);
      expect(result.verdict, `seed ${seed}`).toBe('valid');
      const m = result.stats.marks;
      expect(m['cluster.declared-dead']).toBe(1);
      // n5 held 8 of the 16 shards: each gets two own copies and one received; then, n5
      // back and empty, the rebalancer moves replicas from n8 (its zone-mate, which took
      // them) to it, each by a copy of its own.
      expect(m['cluster.under-replicated-us']).toBe(8);
      expect(m['cluster.transfer-own']).toBeGreaterThanOrEqual(16);
      expect(m['cluster.transfer-received']).toBeGreaterThanOrEqual(8);
      const back = Object.keys(m).filter((k) => /^cluster.rebalance s\d+: move n8 -> n5: /.test(k));
      expect(back.length).toBeGreaterThan(0);
      const under = result.metrics.shardRecovery;
      expect(under?.count).toBe(8);
      expect(under?.maxUs).toBeLessThan(10_000_000);
      expect(result.metrics.failureDetection?.maxUs).toBeLessThan(5_000_000);
    }
  });
});

describe('cluster-zone-outage', () => {
  it('re-replicates every shard when a zone dies, a second replica in a surviving zone', async () => {
    const { scenario } = await loadScenario(join(ROOT, 'scenarios/cluster-zone-outage.yaml'));
    const { result } = runSeed(scenario, 1);
    expect(result.verdict).toBe('valid');
    const m = result.stats.marks;
    expect(m['cluster.declared-dead']).toBe(2);
    expect(m['cluster.under-replicated-us']).toBe(16);
    const why = Object.keys(m).filter((k) => k.startsWith('cluster.re-replicate '));
    expect(why.length).toBe(16);
    expect(why.every((k) => /every zone with room holds a replica already/.test(k))).toBe(true);
    // z2 returns at 4 s: each shard's replica in its crowded zone moves back into z2, then is
    // dropped; z2's nodes, back with nothing to serve, delete their superseded groups.
    const back = Object.keys(m).filter((k) =>
      /^cluster.rebalance s\d+: move n\d+ -> n(5|8): zone z(1|3) holds 2 of its replicas and z2 none/.test(
        k,
      ),
    );
    expect(back).toHaveLength(16);
    const drops = Object.keys(m).filter((k) => /^cluster.rebalance s\d+: drop n\d+ of 4/.test(k));
    expect(drops).toHaveLength(16);
    expect(m['cluster.group-deleted']).toBeGreaterThanOrEqual(16);
  });
});

describe('cluster-chaos', () => {
  it('stays valid under random crashes, partitions and pauses, repairing shards', async () => {
    const { scenario } = await loadScenario(join(ROOT, 'scenarios/cluster-chaos.yaml'));
    const { result } = runSeed(scenario, 1);
    expect(result.verdict).toBe('valid');
    expect(result.stats.marks['cluster.transfer-done'] ?? 0).toBeGreaterThan(0);
  });
});
