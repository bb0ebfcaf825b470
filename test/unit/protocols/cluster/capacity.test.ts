/**
 * Per-node capacity (capacity.ts, and the placement module's use of it): the first placement
 * and every repair leave a full node alone; a node above its capacity sheds the excess through
 * the rebalance plan; and capacities that cannot hold replicasMin of every shard, or that name
 * a manager or no node, are refused with a message naming `options.capacity` (exit 65).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONSTRAINTS } from '../../../../src/components/placement/placement-types.js';
import { planRebalance } from '../../../../src/components/placement/rebalance-plan.js';
import { capacityMisfit, capacityOf } from '../../../../src/protocols/cluster/capacity.js';
import {
  type ClusterOptions,
  createClusterConfig,
} from '../../../../src/protocols/cluster/cluster-config.js';
import { cluster } from '../../../../src/protocols/cluster/index.js';
import { initialPlacement } from '../../../../src/protocols/cluster/initial-placement.js';
import { proposeRepair } from '../../../../src/protocols/cluster/repair.js';
import { changeRecords, foldShardMap } from '../../../../src/protocols/cluster/shard-map.js';
import { formatScenarioError, parseScenario } from '../../../../src/scenario/index.js';

const NODES = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7', 'n8', 'n9'];
const ZONES = NODES.map((_, i) => ({ zone: `z${(i % 3) + 1}` }));
const options = (over: Partial<ClusterOptions> = {}): ClusterOptions =>
  cluster.optionsSchema?.parse({ shards: 16, ...over }) as ClusterOptions;

const held = (map: ReturnType<typeof foldShardMap>, n: string) =>
  map.shards.filter((c) => c?.replicas.includes(n)).length;

describe('capacity in placement', () => {
  it('is the shard count for a node left out, and the option for one named', () => {
    const o = options({ capacity: { n4: 5, n5: 40 } });
    expect(capacityOf(o, 'n4')).toBe(5);
    expect(capacityOf(o, 'n5')).toBe(16);
    expect(capacityOf(o, 'n6')).toBe(16);
  });

  it('places no more on a node than its capacity', () => {
    const cfg = createClusterConfig(options({ capacity: { n4: 5 } }), NODES, ZONES);
    const map = foldShardMap(changeRecords(initialPlacement(cfg).changes));
    // Filled by share of capacity: n4 takes 4 of its 5, its zone-mate n7 the rest of z1's.
    expect(held(map, 'n4')).toBeLessThanOrEqual(5);
    expect(held(map, 'n4') + held(map, 'n7')).toBe(16);
    expect(map.shards.every((c) => c?.replicas.length === 3)).toBe(true);
  });

  it('repairs a dead node’s shards onto its zone-mate until it is full, then elsewhere', () => {
    const cfg = createClusterConfig(
      options({ capacity: { n8: 10 }, migrationsMax: 16 }),
      NODES,
      ZONES,
    );
    const map = foldShardMap(changeRecords(initialPlacement(cfg).changes));
    const before = held(map, 'n8');
    const live = (n: string) => n !== 'n5';
    const r = proposeRepair(cfg, map, live, new Map(), () => true);
    expect(r.changes).toHaveLength(held(map, 'n5'));
    const to = r.decisions.map((d) => d.node);
    expect(to.filter((n) => n === 'n8')).toHaveLength(10 - before);
    expect(to.filter((n) => n !== 'n8').length).toBe(held(map, 'n5') - (10 - before));
    expect(r.decisions.at(-1)?.explanation).toContain('every zone with room holds a replica');
  });
});

describe('a node above its capacity', () => {
  it('sheds the excess, band or not, to nodes with room', () => {
    const nodes = ['a', 'b', 'c'].map((id) => ({
      id,
      zone: 'z',
      capacity: id === 'a' ? 2 : 10,
      load: 0,
    }));
    const shards = [0, 1, 2, 3].map((i) => ({
      id: `s${i}`,
      replicas: ['a'],
      minReplicas: 1,
      maxReplicas: 1,
    }));
    const moves = planRebalance(nodes, shards, DEFAULT_CONSTRAINTS, {
      bandPct: 100,
      movesInFlightMax: 10,
      inFlight: [],
    });
    // Two shed for the capacity; the count balance may take one more from the fullest.
    expect(moves.slice(0, 2).map((m) => m.from)).toEqual(['a', 'a']);
    for (const m of moves.slice(0, 2))
      expect(m.explanation).toContain('a holds 4 replicas against a capacity of 2');
    expect(moves.every((m) => m.from === 'a' && m.to !== 'a')).toBe(true);
  });
});

const SCENARIO = (capacity: string) => `name: cap
protocol: cluster
options: { managers: 3, shards: 16, replicasMin: 2, replicasMax: 3, capacity: ${capacity} }
cluster: { nodes: 9 }
workload: { type: kv, clients: 2, keys: 4 }
phases: { faulty: 1s, healed: 1s, final: 1s }
checkers: [linearizability]
`;

describe('capacities that do not fit', () => {
  const problems = (capacity: string) => {
    const r = parseScenario(SCENARIO(capacity), 'cap.yaml');
    return r.ok ? [] : r.errors.map(formatScenarioError);
  };

  it('refuses too little room for replicasMin of every shard, with a suggestion', () => {
    const [e] = problems('{ n4: 5, n5: 5, n6: 5, n7: 5, n8: 5, n9: 5 }');
    expect(e).toContain('options.capacity');
    expect(e).toContain('hold 30 replicas at most, and 16 shards need 32');
    expect(e).toContain('raise the capacities by 2');
  });

  it('refuses a manager or a node the cluster does not have', () => {
    expect(problems('{ n2: 4 }')[0]).toContain('n2 is a manager');
    expect(problems('{ n12: 4 }')[0]).toContain('n12 is not a node of this cluster of 9');
    expect(capacityMisfit(options({ capacity: { n10: 4 } }), 9, 1)).toBeUndefined();
  });

  it('takes capacities that fit', () => {
    expect(problems('{ n4: 6, n5: 6, n6: 6, n7: 6, n8: 6, n9: 6 }')).toEqual([]);
  });
});
