/**
 * Load-aware rebalancing in the cluster (load-meter.ts, load-balance.ts): a storage node's
 * meter reports requests per second per shard over its window; the leader plans a load move
 * only once nothing has moved for a whole window; and on cluster-hotspot the moves really
 * spread the hot spot: the node the first move relieves serves a smaller share of the requests
 * afterwards, while on the same seed balanced by count alone the same node's share stays high,
 * and the trace says why each move was made.
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
import { createLoadView, proposeLoadMove } from '../../../../src/protocols/cluster/load-balance.js';
import {
  createLoadMeter,
  LOAD_WINDOW_MS,
  loadReport,
  served,
} from '../../../../src/protocols/cluster/load-meter.js';
import { changeRecords, foldShardMap } from '../../../../src/protocols/cluster/shard-map.js';
import { runSeed } from '../../../../src/run/run-seed.js';
import { loadScenario } from '../../../../src/runner/load-scenario.js';

const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
const NODES = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7', 'n8', 'n9'];
const options = (over: Partial<ClusterOptions> = {}): ClusterOptions =>
  cluster.optionsSchema?.parse({ shards: 16, ...over }) as ClusterOptions;

describe('the load meter', () => {
  it('exists only under balance: load', () => {
    expect(createLoadMeter(createClusterConfig(options(), NODES, undefined))).toBeUndefined();
  });

  it('reports each shard’s requests per second over its window of heartbeats', () => {
    const cfg = createClusterConfig(options({ balance: 'load' }), NODES, undefined);
    const m = createLoadMeter(cfg);
    if (m === undefined) throw new Error('no meter');
    expect(m.span).toBe(LOAD_WINDOW_MS / 50);
    expect(loadReport(m)).toEqual([]);
    // 20 heartbeats of 50 ms: shard 3 served 5 a heartbeat (100/s), shard 1 once in all.
    for (let i = 0; i < 20; i++) {
      for (let k = 0; k < 5; k++) served(m, 3);
      if (i === 0) served(m, 1);
      loadReport(m);
    }
    expect(loadReport(m)).toEqual([
      [1, 1],
      [3, 100],
    ]);
    // The window slides: 20 quiet heartbeats later, nothing.
    for (let i = 0; i < 20; i++) loadReport(m);
    expect(loadReport(m)).toEqual([]);
  });
});

describe('the leader’s load move', () => {
  const cfg = createClusterConfig(
    options({ balance: 'load', rebalanceBandPct: 25 }),
    NODES,
    undefined,
  );
  const map = foldShardMap(changeRecords(initialPlacement(cfg).changes));
  const server = 'n4';
  // Two shards n4 holds: it serves both, one hot, one warm.
  const [hotShard, warmShard] = map.shards
    .filter((c) => c?.replicas.includes(server))
    .map((c) => c?.shard as number);
  const view = (moving: Map<number, unknown>) => ({
    map,
    members: cfg.storage,
    isLive: () => true,
    moving,
    drops: new Map(),
    runs: () => true,
  });
  const hot = () => {
    const lv = createLoadView(cfg, 0);
    if (lv === undefined) throw new Error('no view');
    lv.reports.set(
      server,
      new Map([
        [hotShard as number, 300],
        [warmShard as number, 200],
      ]),
    );
    return lv;
  };

  it('waits a whole window after anything moved', () => {
    const lv = hot();
    const windowUs = LOAD_WINDOW_MS * 1000;
    expect(proposeLoadMove(cfg, lv, view(new Map([[5, 0]])), 3_000_000).changes).toEqual([]);
    expect(lv.changedUs).toBe(3_000_000);
    expect(proposeLoadMove(cfg, lv, view(new Map()), 3_000_000 + windowUs - 1).changes).toEqual([]);
    const p = proposeLoadMove(cfg, lv, view(new Map()), 3_000_000 + windowUs);
    expect(p.changes).toHaveLength(1);
    expect(p.explanations[0]).toMatch(
      new RegExp(`^s\\d+: move ${server} -> n\\d: ${server} serves`),
    );
    expect(p.drops.get(p.changes[0]?.shard as number)).toBe(server);
  });

  it('is off without balance: load', () => {
    expect(createLoadView(createClusterConfig(options(), NODES, undefined), 0)).toBeUndefined();
  });
});

interface Line {
  readonly t: number;
  readonly ev: string;
  readonly node?: string;
  readonly name?: string;
  readonly outcome?: { readonly type: string };
}

/** Each node's share of the ok replies in [from, to). */
function shares(lines: readonly Line[], from: number, to: number): Map<string, number> {
  const n = new Map<string, number>();
  let all = 0;
  for (const l of lines) {
    if (l.ev !== 'reply' || l.outcome?.type !== 'ok' || l.t < from || l.t >= to) continue;
    n.set(l.node as string, (n.get(l.node as string) ?? 0) + 1);
    all++;
  }
  return new Map([...n].map(([k, v]) => [k, v / all]));
}

describe('cluster-hotspot', () => {
  const traced = async (seed: number, balance: 'load' | 'count') => {
    const { scenario } = await loadScenario(join(ROOT, 'scenarios/cluster-hotspot.yaml'));
    const s = { ...scenario, options: { ...(scenario.options as object), balance } };
    const lines: Line[] = [];
    // Only replies and marks are read: parsing every line would cost more than the run.
    const wanted = (l: string) => l.includes('"ev":"reply"') || l.includes('"ev":"mark"');
    const { result } = runSeed(s, seed, { trace: (l) => wanted(l) && lines.push(JSON.parse(l)) });
    return { result, lines };
  };

  it.each([1, 3, 7, 9])('seed %i: the relieved node serves less after the move', async (seed) => {
    const load = await traced(seed, 'load');
    expect(load.result.verdict).toBe('valid');
    const move = load.lines.find(
      (l) => l.ev === 'mark' && /^cluster\.rebalance s\d+: move .* req\/s/.test(l.name ?? ''),
    );
    expect(move).toBeDefined();
    const [, src, rate, fair] =
      /move (n\d+) -> n\d+: \1 serves (\d+) req\/s against a fair (\d+)/.exec(move?.name ?? '') ??
      [];
    // The trace says why: the source served well above the fair load.
    expect(Number(rate)).toBeGreaterThan(Number(fair) * 1.25);
    const t = move?.t as number;
    const before = shares(load.lines, t - 1_000_000, t).get(src as string) ?? 0;
    const after = shares(load.lines, t + 1_000_000, t + 3_000_000).get(src as string) ?? 0;
    expect(after).toBeLessThan(before * 0.75);
    // Balanced by count alone, the same seed's same node keeps more of the load.
    const count = await traced(seed, 'count');
    expect(count.result.verdict).toBe('valid');
    const control = shares(count.lines, t + 1_000_000, t + 3_000_000).get(src as string) ?? 0;
    expect(control).toBeGreaterThan(after);
  });
});
