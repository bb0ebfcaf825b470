/**
 * The cluster protocol (src/protocols/cluster): the shard map folds its appended log in order
 * and fences a change naming a superseded epoch; the initial placement puts one replica per
 * zone and spreads shards evenly; keys map to shards stably; a scenario with fewer storage
 * nodes than replicas is refused at its option's position; and the smoke scenario runs valid,
 * with the managers' Raft electing one leader, every shard group electing a primary, and the
 * placement decisions in the trace.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  type ClusterOptions,
  createClusterConfig,
  shardOf,
} from '../../../../src/protocols/cluster/cluster-config.js';
import { cluster } from '../../../../src/protocols/cluster/index.js';
import { initialPlacement } from '../../../../src/protocols/cluster/initial-placement.js';
import {
  changeRecords,
  foldShardMap,
  placesAll,
} from '../../../../src/protocols/cluster/shard-map.js';
import { runSeed } from '../../../../src/run/run-seed.js';
import { loadScenario } from '../../../../src/runner/load-scenario.js';
import { formatScenarioError, parseScenario } from '../../../../src/scenario/index.js';

const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
const NODES = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7', 'n8', 'n9'];
const ZONES = NODES.map((_, i) => ({ zone: `z${(i % 3) + 1}` }));
const options = (over: Partial<ClusterOptions> = {}): ClusterOptions =>
  cluster.optionsSchema?.parse({ shards: 16, ...over }) as ClusterOptions;

describe('the shard map', () => {
  it('folds records in log order, each change applied only over the epoch it names', () => {
    const log = [
      changeRecords([
        { shard: 0, epoch: 1, supersedes: 0, replicas: ['n5', 'n4', 'n6'] },
        { shard: 1, epoch: 1, supersedes: 0, replicas: ['n4', 'n5', 'n6'] },
      ]),
      // A second initial placement (a manager that had not read the first): fenced.
      changeRecords([{ shard: 0, epoch: 1, supersedes: 0, replicas: ['n7', 'n8', 'n9'] }]),
      changeRecords([{ shard: 0, epoch: 2, supersedes: 1, replicas: ['n4', 'n6', 'n7'] }]),
      // A stale leader's change of epoch 1, appended after epoch 2 was: fenced.
      changeRecords([{ shard: 0, epoch: 2, supersedes: 1, replicas: ['n4', 'n6', 'n8'] }]),
    ].join(' ');
    const map = foldShardMap(log);
    expect(map.version).toBe(3);
    expect(map.shards[0]).toEqual({ shard: 0, epoch: 2, replicas: ['n4', 'n6', 'n7'] });
    expect(map.shards[1]).toEqual({ shard: 1, epoch: 1, replicas: ['n4', 'n5', 'n6'] });
    expect(placesAll(map, 2)).toBe(true);
    expect(placesAll(map, 3)).toBe(false);
    expect(foldShardMap(null)).toEqual({ version: 0, shards: [] });
  });

  it('folds a longer log onwards from an earlier fold, to the map a fold from the start gives', () => {
    const records = [
      changeRecords([
        { shard: 0, epoch: 1, supersedes: 0, replicas: ['n4', 'n5', 'n6'] },
        { shard: 1, epoch: 1, supersedes: 0, replicas: ['n4', 'n5', 'n6'] },
      ]),
      changeRecords([{ shard: 0, epoch: 2, supersedes: 1, replicas: ['n4', 'n6', 'n7'] }]),
      changeRecords([{ shard: 0, epoch: 2, supersedes: 1, replicas: ['n4', 'n6', 'n8'] }]),
      changeRecords([{ shard: 1, epoch: 2, supersedes: 1, replicas: ['n5', 'n6', 'n9'] }]),
    ];
    for (let cut = 1; cut < records.length; cut++) {
      const log = records.slice(0, cut).join(' ');
      const earlier = { log, map: foldShardMap(log) };
      const before = structuredClone(earlier.map);
      const longer = records.join(' ');
      expect(foldShardMap(longer, earlier)).toEqual(foldShardMap(longer));
      // The earlier map is not touched: storage nodes may hold it.
      expect(earlier.map).toEqual(before);
    }
    // A log that does not extend the earlier one (or only by a partial record) folds whole.
    const earlier = { log: records[1] as string, map: foldShardMap(records[1] as string) };
    expect(foldShardMap(records.join(' '), earlier)).toEqual(foldShardMap(records.join(' ')));
    const partial = { log: 's0@1^0=n4+n5', map: foldShardMap('s0@1^0=n4+n5') };
    const whole = records[0] as string;
    expect(foldShardMap(whole, partial)).toEqual(foldShardMap(whole));
  });
});

describe('the initial placement', () => {
  it('puts one replica of every shard in each zone, and spreads shards evenly over nodes', () => {
    const cfg = createClusterConfig(options(), NODES, ZONES);
    const { changes, decisions } = initialPlacement(cfg);
    expect(changes).toHaveLength(16);
    const held = new Map<string, number>();
    for (const c of changes) {
      expect(c.epoch).toBe(1);
      expect(new Set(c.replicas.map((n) => cfg.locality.get(n)?.zone)).size).toBe(3);
      expect(c.replicas.some((n) => cfg.managers.includes(n))).toBe(false);
      for (const n of c.replicas) held.set(n, (held.get(n) ?? 0) + 1);
    }
    expect([...held.values()].sort()).toEqual([8, 8, 8, 8, 8, 8]);
    expect(decisions).toHaveLength(48);
    expect(decisions[0]?.explanation).toMatch(/zone z\d holds none/);
  });
});

describe('keys to shards', () => {
  it('is a function of the key, and spreads keys near evenly over the shards', () => {
    const cfg = createClusterConfig(options(), NODES, ZONES);
    const again = createClusterConfig(options(), NODES, ZONES);
    const keys = Array.from({ length: 10_000 }, (_, i) => `k${i}`);
    expect(keys.map((k) => shardOf(cfg, k))).toEqual(keys.map((k) => shardOf(again, k)));
    const per = new Map<number, number>();
    for (const k of keys) per.set(shardOf(cfg, k), (per.get(shardOf(cfg, k)) ?? 0) + 1);
    // Ideal 625 each; measured 520..787 with 64 tokens per shard.
    expect(per.size).toBe(16);
    expect(Math.max(...per.values())).toBeLessThan(2 * 625);
    expect(Math.min(...per.values())).toBeGreaterThan(625 / 2);
    // The workload's 12 keys k0..k11 reach more than a few shards (FNV-1a alone: 2).
    const twelve = new Set(keys.slice(0, 12).map((k) => shardOf(cfg, k)));
    expect(twelve.size).toBeGreaterThanOrEqual(6);
  });
});

describe('bad options', () => {
  it('refuses more replicas than storage nodes, at the option', () => {
    const text = readFileSync(join(ROOT, 'scenarios/cluster-smoke.yaml'), 'utf8').replace(
      'replicasMax: 3',
      'replicasMax: 7',
    );
    const r = parseScenario(text, 'c.yaml');
    expect(r.ok).toBe(false);
    const msg = r.ok ? '' : r.errors.map(formatScenarioError).join('\n');
    expect(msg).toMatch(/options\.replicasMax/);
    expect(msg).toMatch(/leave 6: lower replicasMax or add nodes/);
  });
});

describe('cluster-smoke', () => {
  it('runs valid: one manager leader, a primary per shard, placements explained', async () => {
    const { scenario } = await loadScenario(join(ROOT, 'scenarios/cluster-smoke.yaml'));
    for (const seed of [1, 2, 3]) {
      const { result } = runSeed(scenario, seed);
      expect(result.verdict, `seed ${seed}`).toBe('valid');
      const marks = result.stats.marks;
      expect(marks['mgr.role.primary']).toBeGreaterThanOrEqual(1);
      expect(marks['pb.role.primary']).toBeGreaterThanOrEqual(16);
      expect(marks['role.primary']).toBeUndefined();
      const placed = Object.keys(marks).filter((m) => m.startsWith('cluster.placed '));
      expect(placed.length).toBeGreaterThanOrEqual(48);
      expect(result.stats.ops['append:ok'] ?? 0).toBeGreaterThan(100);
    }
  });
});
