/**
 * Fault domains in the network (net/topology.ts, Network.clogBoundary): which links cross zones,
 * that a message between zones takes the cross-zone delay while one inside a zone keeps the
 * default, and that a zone's clog holds exactly what crosses its edge, placed clients included.
 */
import { describe, expect, it } from 'vitest';
import { Prng } from '../../../src/core/prng.js';
import { type LinkConfig, Network } from '../../../src/net/network.js';
import {
  crossZoneLinks,
  domainsOf,
  type Topology,
  zoneOfNodes,
} from '../../../src/net/topology.js';

const link = (min: number, max: number): LinkConfig => ({
  delay: { dist: 'uniform', minUs: min, maxUs: max },
  lossPpm: 0,
  duplicatePpm: 0,
  reorderPpm: 0,
});

/** z1: n1 n2 (racks r1: n1, r2: n2), z2: n3, z3: n4. */
const TOPOLOGY: Topology = {
  zones: [
    {
      name: 'z1',
      nodes: [0, 1],
      racks: [
        { name: 'r1', nodes: [0] },
        { name: 'r2', nodes: [1] },
      ],
    },
    { name: 'z2', nodes: [2], racks: [] },
    { name: 'z3', nodes: [3], racks: [] },
  ],
};
const LOCAL = link(100, 500);
const CROSS = link(20_000, 30_000);
const never = () => false;

describe('crossZoneLinks', () => {
  it('lists every directed link between nodes of different zones, and no other', () => {
    const pairs = crossZoneLinks(TOPOLOGY, 4, undefined, CROSS, never).map((l) => [l.from, l.to]);
    const zone = zoneOfNodes(TOPOLOGY, 4);
    const expected: number[][] = [];
    for (let a = 0; a < 4; a++)
      for (let b = 0; b < 4; b++) if (zone[a] !== zone[b]) expected.push([a, b]);
    expect(pairs).toEqual(expected);
    expect(pairs).toHaveLength(10);
  });

  it('keeps the links the scenario set itself, and adds a placed client’s both ways', () => {
    const own = (a: number, b: number) => a === 0 && b === 2;
    const pairs = crossZoneLinks(TOPOLOGY, 4, [2], CROSS, own).map((l) => `${l.from}>${l.to}`);
    expect(pairs).not.toContain('0>2');
    expect(pairs).toContain('2>0');
    // The client (endpoint 4) sits beside n3 in z2: its links to z1 and z3 cross, not to n3.
    for (const node of [0, 1, 3])
      expect(pairs).toEqual(expect.arrayContaining([`4>${node}`, `${node}>4`]));
    expect(pairs).not.toContain('4>2');
  });

  it('names racks zone by zone', () => {
    expect(domainsOf(TOPOLOGY, 'rack').map((d) => d.name)).toEqual(['r1', 'r2']);
    expect(domainsOf(TOPOLOGY, 'zone').map((d) => d.name)).toEqual(['z1', 'z2', 'z3']);
  });
});

describe('a network with cross-zone links', () => {
  const network = (home?: readonly number[]) => {
    const net = new Network(4, 4 + (home?.length ?? 0), LOCAL, Prng.root(7).fork('net'));
    for (const l of crossZoneLinks(TOPOLOGY, 4, home, CROSS, never))
      net.setLink(l.from, l.to, l.config);
    if (home !== undefined) net.placeClients(home);
    return net;
  };

  it('delays a message between zones by the cross-zone distribution, inside one by the default', () => {
    const net = network();
    for (let i = 0; i < 200; i++) {
      expect(net.route(0, 1, 0)).toBe(1);
      expect(net.arrivals[0]).toBeGreaterThanOrEqual(100);
      expect(net.arrivals[0]).toBeLessThanOrEqual(500);
      expect(net.route(0, 2, 0)).toBe(1);
      expect(net.arrivals[0]).toBeGreaterThanOrEqual(20_000);
      expect(net.arrivals[0]).toBeLessThanOrEqual(30_000);
    }
  });

  it('a zone’s clog holds what crosses its edge, and nothing inside it or between the others', () => {
    const net = network([0, 2]);
    net.clogBoundary([0, 1], 1_000_000);
    const held = (from: number, to: number) => {
      net.route(from, to, 0);
      return net.last.heldUntilUs === 1_000_000;
    };
    expect(held(0, 2)).toBe(true);
    expect(held(3, 1)).toBe(true);
    expect(held(0, 1)).toBe(false);
    expect(held(2, 3)).toBe(false);
    // c1 (endpoint 4) sits beside n1, inside z1; c2 (endpoint 5) beside n3, outside.
    expect(held(4, 0)).toBe(false);
    expect(held(4, 2)).toBe(true);
    expect(held(5, 1)).toBe(true);
    expect(held(5, 2)).toBe(false);
  });

  it('an unplaced client is on no side: a zone’s clog leaves its links alone', () => {
    const net = new Network(4, 5, LOCAL, Prng.root(1));
    net.clogBoundary([0, 1], 1_000_000);
    net.route(4, 0, 0);
    expect(net.last.heldUntilUs).toBe(0);
    net.route(2, 0, 0);
    expect(net.last.heldUntilUs).toBe(1_000_000);
  });
});
