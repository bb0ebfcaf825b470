/**
 * `topology:` and what stands on it (issue 16, "Fault domains in the scenario"): zones and racks
 * resolve to node sets; a fault naming a zone or rack strikes exactly its nodes (a nemesis with
 * `target: zone` one whole zone per strike); a partition between zones cuts along them; a zone's
 * clog holds only what crosses its edge; `network.crossZone` sets exactly the links between
 * zones. Each mistake is one message at the field to fix.
 */
import { describe, expect, it } from 'vitest';
import { runSeed } from '../../../src/run/run-seed.js';
import {
  buildWorldConfig,
  formatScenarioError,
  parseScenario,
  type Scenario,
  type ScenarioError,
} from '../../../src/scenario/index.js';

const TOPOLOGY =
  'topology: { zones: { z1: [n1, n2], z2: { racks: { r1: [n3], r2: [n4] } }, z3: [n5] } }';

const doc = (lines: readonly string[]): string =>
  [
    'protocol: ping',
    'options: { intervalMs: 5 }',
    'cluster: { nodes: 5 }',
    'workload: none',
    ...lines,
  ].join('\n');

function parsed(text: string): Scenario {
  const r = parseScenario(text, 's.yaml');
  if (!r.ok) throw new Error(r.errors.map(formatScenarioError).join('\n'));
  return r.scenario;
}

function errors(text: string): string[] {
  const r = parseScenario(text, 's.yaml');
  if (r.ok) throw new Error('expected errors, the scenario parsed');
  return r.errors.map((e: ScenarioError) => `${e.line}:${e.column} ${e.path}: ${e.message}`);
}

/** The column (1-based) of `needle` in line `line` (1-based) of `text`. */
const col = (text: string, line: number, needle: string): number =>
  (text.split('\n')[line - 1]?.indexOf(needle) as number) + 1;

describe('topology', () => {
  it('resolves zones and racks to node indices, in file order', () => {
    const s = parsed(doc([TOPOLOGY]));
    expect(s.topology?.zones.map((z) => [z.name, z.nodes])).toEqual([
      ['z1', [0, 1]],
      ['z2', [2, 3]],
      ['z3', [4]],
    ]);
    expect(s.topology?.zones[1]?.racks).toEqual([
      { name: 'r1', nodes: [2] },
      { name: 'r2', nodes: [3] },
    ]);
  });

  it('is optional: without it, no topology and no extra links', () => {
    const s = parsed(doc([]));
    expect(s.topology).toBeUndefined();
    expect(s.network.links).toEqual([]);
  });

  it('names an unknown node, a node placed twice and nodes left out, each where it is', () => {
    const text = doc([
      'topology: { zones: { z1: [n1, n9], z2: [n2, n1], z3: { racks: { r1: [n3] } } } }',
    ]);
    expect(errors(text)).toEqual([
      `5:${col(text, 5, '{ z1')} topology.zones: n4, n5 are in no zone: a topology places every node (the cluster has n1..n5)`,
      `5:${col(text, 5, 'n9')} topology.zones.z1.1: unknown node n9: the cluster has n1..n5`,
      `5:${col(text, 5, 'n1]')} topology.zones.z2.1: n1 is already placed in zone z1; a node sits in one zone and rack`,
    ]);
  });

  it('rejects an empty zone, an empty rack and a rack name used in two zones', () => {
    const text = doc([
      'topology:',
      '  zones:',
      '    z1: [n1, n2, n3]',
      '    z2: []',
      '    z3: { racks: { r1: [n4], r2: [] } }',
      '    z4: { racks: { r1: [n5] } }',
    ]);
    expect(errors(text)).toEqual([
      `8:9 topology.zones.z2: zone z2 is empty: list its nodes, like [n1]`,
      `9:${col(text, 9, '[]')} topology.zones.z3.racks.r2: rack r2 is empty: list its nodes, like [n1]`,
      `10:${col(text, 10, 'r1')} topology.zones.z4.racks.r1: rack r1 is also in zone z3: rack names are unique, so a fault can name one`,
    ]);
  });
});

describe('network.crossZone', () => {
  const DELAY = { dist: 'constant', us: 20_000 };

  it('sets every directed link between zones, and none inside one', () => {
    const s = parsed(doc([TOPOLOGY, 'network: { crossZone: { delay: 20ms, loss: 0.1 } }']));
    const links = s.network.links.map((l) => [l.from, l.to]);
    // 5 nodes, zones of 2, 2 and 1: 20 directed links in all, 2 + 2 inside zones.
    expect(links).toHaveLength(16);
    expect(links).not.toContainEqual([0, 1]);
    expect(links).not.toContainEqual([2, 3]);
    expect(links).toContainEqual([0, 2]);
    expect(links).toContainEqual([4, 3]);
    for (const l of s.network.links) {
      expect(l.config.delay).toEqual(DELAY);
      expect(l.config.lossPpm).toBe(100_000);
    }
  });

  it('leaves a link network.links sets alone, and takes placed clients with their node', () => {
    const s = parsed(
      [
        'protocol: raft',
        'cluster: { nodes: 3 }',
        'topology: { zones: { z1: [n1], z2: [n2, n3] } }',
        'network:',
        '  crossZone: { delay: 20ms }',
        '  links: [{ from: n1, to: n2, delay: 50ms }]',
        'workload: { type: kv, clients: 2, placement: { c1: n1, c2: n3 } }',
      ].join('\n'),
    );
    const delayOf = (from: number, to: number) =>
      s.network.links.filter((l) => l.from === from && l.to === to).map((l) => l.config.delay);
    expect(delayOf(0, 1)).toEqual([{ dist: 'constant', us: 50_000 }]);
    expect(delayOf(1, 0)).toEqual([DELAY]);
    // c1 (endpoint 3) sits in z1, so its links to n2 and n3 cross; c2 (endpoint 4) in z2.
    expect(delayOf(3, 1)).toEqual([DELAY]);
    expect(delayOf(2, 3)).toEqual([DELAY]);
    expect(delayOf(4, 0)).toEqual([DELAY]);
    expect(delayOf(4, 2)).toEqual([]);
  });

  it('without a topology is an error at the field', () => {
    expect(errors(doc(['network: { crossZone: { delay: 20ms } }']))).toEqual([
      '5:12 network.crossZone: crossZone needs zones to cross: add topology: { zones: { z1: [n1, …], z2: [...] } }',
    ]);
  });
});

describe('faults aimed at a fault domain', () => {
  const run = (faults: readonly string[], seed = 1) =>
    runSeed(
      parsed(
        doc([
          TOPOLOGY,
          'faults:',
          ...faults,
          'phases: { faulty: 1s, healed: 100ms, final: 100ms }',
        ]),
      ),
      seed,
    ).result.faults.filter((f) => f.action !== 'phase');

  it('crash { zone } takes down every node of the zone at once, restart brings them back', () => {
    const log = run(['  schedule:', '    - { at: 100ms, crash: { zone: z2 }, for: 200ms }']);
    expect(log.map((f) => [f.t, f.action, f.detail])).toEqual([
      [100_000, 'crash', 'n3'],
      [100_000, 'crash', 'n4'],
      [300_000, 'restart', 'n3'],
      [300_000, 'restart', 'n4'],
    ]);
  });

  it('pause { rack } strikes only the rack', () => {
    const log = run(['  schedule:', '    - { at: 100ms, pause: { rack: r2 }, for: 50ms }']);
    expect(log.map((f) => `${f.action} ${f.detail}`)).toEqual(['pause n4', 'resume n4']);
  });

  it('a partition between zones cuts along them', () => {
    const log = run([
      '  schedule:',
      '    - { at: 100ms, partition: { zones: [[z1, z3], [z2]] }, for: 50ms }',
    ]);
    expect(log[0]?.data).toEqual({
      components: [
        ['n1', 'n2', 'n5'],
        ['n3', 'n4'],
      ],
      oneWay: false,
    });
  });

  it('a nemesis with target: zone strikes one whole zone each time, within maxDown', () => {
    const strikes = new Map<number, string[]>();
    for (let seed = 1; seed <= 5; seed++)
      for (const f of run(
        [
          '  maxDown: 2',
          '  random:',
          '    - { kind: crash, every: 100ms, for: 20ms, target: zone }',
        ],
        seed,
      ))
        if (f.action === 'crash')
          strikes.set(f.t + seed * 1e9, [...(strikes.get(f.t + seed * 1e9) ?? []), f.detail]);
    const zones = [['n1', 'n2'], ['n3', 'n4'], ['n5']].map((z) => z.join());
    expect(strikes.size).toBeGreaterThan(10);
    for (const nodes of strikes.values()) expect(zones).toContain(nodes.join());
    // Over five seeds every zone was drawn.
    expect(new Set([...strikes.values()].map((n) => n.join())).size).toBe(3);
  });

  it('a partition nemesis of shape zone cuts one zone off from the rest', () => {
    const log = [1, 2, 3, 4, 5].flatMap((seed) =>
      run(
        ['  random:', '    - { kind: partition, every: 100ms, for: 20ms, shapes: [zone] }'],
        seed,
      ),
    );
    const cuts = log.filter((f) => f.action === 'partition').map((f) => JSON.stringify(f.data));
    expect(cuts.length).toBeGreaterThan(10);
    for (const c of cuts)
      expect([
        '{"components":[["n1","n2"],["n3","n4","n5"]],"oneWay":false}',
        '{"components":[["n3","n4"],["n1","n2","n5"]],"oneWay":false}',
        '{"components":[["n5"],["n1","n2","n3","n4"]],"oneWay":false}',
      ]).toContain(c);
  });

  it('clog { zone } holds the zone’s uplinks and says so', () => {
    const log = run(['  schedule:', '    - { at: 100ms, clog: { zone: z1 }, for: 50ms }']);
    expect(log.map((f) => f.detail)).toEqual(['zone z1 (n1 n2) uplinks for 50000us']);
  });

  it('names an unknown zone or rack with the ones there are', () => {
    const text = doc([
      TOPOLOGY,
      'faults:',
      '  schedule:',
      '    - { at: 1s, crash: { zone: z4 } }',
      '    - { at: 1s, clog: { rack: r9 }, for: 1s }',
      '    - { at: 1s, partition: { zones: [[z1], [z1]] } }',
      '  random:',
      '    - { kind: pause, every: 1s, for: 1s, target: zone:zz }',
    ]);
    expect(errors(text)).toEqual([
      `8:${col(text, 8, '{ zone')} faults.schedule.0.crash: unknown zone "z4": the topology has z1, z2, z3 (did you mean z1?)`,
      `9:${col(text, 9, '{ rack')} faults.schedule.1.clog: unknown rack "r9": the topology has r1, r2 (did you mean r1?)`,
      `10:${col(text, 10, 'z1]]')} faults.schedule.2.partition.zones.1.0: z1 is already on side 0`,
      `12:${col(text, 12, 'zone:zz')} faults.random.0.target: unknown zone "zz": the topology has z1, z2, z3 (did you mean z1?)`,
    ]);
  });

  it('a domain target without a topology says what to add', () => {
    expect(errors(doc(['faults: { schedule: [{ at: 1s, crash: { rack: r1 } }] }']))).toEqual([
      '5:39 faults.schedule.0.crash: a rack target needs a topology: add topology: { zones: { z1: [n1, …], … } }',
    ]);
  });
});

describe('what the protocol is told', () => {
  /** The localities `create` was given when the scenario's world was built. */
  const told = (s: Scenario): unknown => {
    let seen: unknown = 'not called';
    const create: Scenario['protocol']['create'] = (c) => {
      seen = c.localities;
      return s.protocol.create(c);
    };
    buildWorldConfig({ ...s, protocol: { ...s.protocol, create } }, 1);
    return seen;
  };

  it('each node’s zone and rack, in node order, when the scenario has a topology', () => {
    expect(told(parsed(doc([TOPOLOGY])))).toEqual([
      { zone: 'z1' },
      { zone: 'z1' },
      { zone: 'z2', rack: 'r1' },
      { zone: 'z2', rack: 'r2' },
      { zone: 'z3' },
    ]);
    expect(told(parsed(doc([])))).toBeUndefined();
  });
});
