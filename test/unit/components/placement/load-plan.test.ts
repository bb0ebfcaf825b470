/**
 * Load-based rebalancing as a pure function (load-plan.ts): the busiest shard of a node above
 * the band goes to the least loaded node that may take it; nothing moves inside the band, for a
 * shard too light to matter, when any member that could end up serving it would serve more than
 * the source did, past a node's capacity or out of the count band, or into a second replica's
 * zone; and applied again and again to loads that follow the moves, the plan ends.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ShardLoad, planLoadMove } from '../../../../src/components/placement/load-plan.js';
import type {
  PlacementNode,
  PlacementShard,
} from '../../../../src/components/placement/placement-types.js';

const node = (id: string, load: number, over: Partial<PlacementNode> = {}): PlacementNode => ({
  id,
  zone: 'z',
  capacity: 16,
  load,
  ...over,
});
const shard = (id: string, replicas: string[]): PlacementShard => ({
  id,
  replicas,
  minReplicas: 1,
  maxReplicas: 2,
});
// Two replicas a node: a band of 50% lets one go or come within the count band.
const OPTS = { bandPct: 50, held: new Set<string>() };

// a serves s0 (60) and s1 (30); b serves s2 (10); c and d serve nothing.
const NODES = [node('a', 90), node('b', 10), node('c', 0), node('d', 0)];
const SHARDS = [
  shard('s0', ['a', 'b']),
  shard('s1', ['a', 'c']),
  shard('s2', ['b', 'd']),
  shard('s3', ['c', 'd']),
];
const LOADS = new Map<string, ShardLoad>([
  ['s0', { server: 'a', load: 60 }],
  ['s1', { server: 'a', load: 30 }],
  ['s2', { server: 'b', load: 10 }],
]);

describe('planLoadMove', () => {
  it('moves the busiest shard that may go, from the hot node to the coldest, saying why', () => {
    const m = planLoadMove(NODES, SHARDS, LOADS, OPTS);
    // b, which stays, could end up serving s0: 10 + 60 < 90, so it may go.
    expect(m?.shard).toBe('s0');
    expect(m?.from).toBe('a');
    expect(m?.to).toBe('c');
    expect(m?.explanation).toBe(
      "s0: move a -> c: a serves 90 req/s against a fair 25, c 0 (band ±50%); s0 is 60 req/s of a's",
    );
  });

  it('skips a shard whose staying replica could end up hotter than the source', () => {
    const nodes = [node('a', 90), node('b', 40), node('c', 0), node('d', 0)];
    const m = planLoadMove(nodes, SHARDS, LOADS, OPTS);
    // s0 would leave b (40) able to serve 100; s1's other replica c (0) is fine.
    expect(m?.shard).toBe('s1');
    expect(m?.to).toBe('d');
  });

  it('moves nothing inside the band, nor a shard lighter than the band of the fair load', () => {
    const even = [node('a', 30), node('b', 25), node('c', 22), node('d', 23)];
    expect(planLoadMove(even, SHARDS, LOADS, OPTS)).toBeUndefined();
    const light = new Map<string, ShardLoad>([['s1', { server: 'a', load: 2 }]]);
    const nodes = [node('a', 40), node('b', 0), node('c', 0), node('d', 0)];
    expect(planLoadMove(nodes, SHARDS, light, OPTS)).toBeUndefined();
  });

  it('keeps a lone hot shard where it is: anywhere else it would be as hot', () => {
    const loads = new Map<string, ShardLoad>([['s0', { server: 'a', load: 90 }]]);
    expect(planLoadMove(NODES, SHARDS, loads, OPTS)).toBeUndefined();
  });

  it('respects capacity, the count band, held shards and zones', () => {
    const full = NODES.map((n) => (n.id === 'c' ? node('c', 0, { capacity: 2 }) : n));
    expect(planLoadMove(full, SHARDS, LOADS, { ...OPTS, bandPct: 70 })?.to).toBe('d');
    // Band 0: a may not fall below its fair two replicas.
    expect(planLoadMove(NODES, SHARDS, LOADS, { ...OPTS, bandPct: 0 })).toBeUndefined();
    const held = { ...OPTS, held: new Set(['s0']) };
    expect(planLoadMove(NODES, SHARDS, LOADS, held)?.shard).toBe('s1');
    const zoned = [node('a', 90), node('b', 10, { zone: 'y' }), node('c', 0, { zone: 'y' })];
    expect(planLoadMove(zoned, SHARDS.slice(0, 1), LOADS, OPTS)).toBeUndefined();
  });

  it('property: applied again and again, the server taking the load, it ends', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 12, maxLength: 12 }),
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 12, maxLength: 12 }),
        fc.integer({ min: 0, max: 4 }),
        (loads, servers, pick) => {
          const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
          let shards = loads.map((_, i) =>
            shard(`s${i}`, [
              ids[servers[i] as number] as string,
              ids[((servers[i] as number) + 1) % 6] as string,
            ]),
          );
          let serverOf = new Map(shards.map((s) => [s.id, s.replicas[0] as string]));
          for (let round = 0; round < 200; round++) {
            const loadOf = new Map<string, ShardLoad>(
              shards.map((s, i) => [
                s.id,
                { server: serverOf.get(s.id) as string, load: loads[i] as number },
              ]),
            );
            const nodes = ids.map((id) =>
              node(
                id,
                shards.reduce(
                  (n, s, i) => n + (serverOf.get(s.id) === id ? (loads[i] as number) : 0),
                  0,
                ),
              ),
            );
            const m = planLoadMove(nodes, shards, loadOf, { bandPct: 50, held: new Set() });
            if (m === undefined) return;
            shards = shards.map((s) =>
              s.id === m.shard
                ? { ...s, replicas: [...s.replicas.filter((r) => r !== m.from), m.to] }
                : s,
            );
            // Any member may be elected: the one `pick` names.
            const moved = shards.find((s) => s.id === m.shard) as PlacementShard;
            serverOf = new Map(serverOf).set(
              m.shard,
              moved.replicas[pick % moved.replicas.length] as string,
            );
          }
          expect.fail('no end in 200 moves');
        },
      ),
    );
  });
});
