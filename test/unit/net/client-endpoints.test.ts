/**
 * Placed clients as network endpoints: a cut carries each client with the node it sits beside,
 * an explicit component may put a client elsewhere, a clog of a node holds its clients'
 * messages, and the network records which nodes each client could reach, and from when.
 */
import { describe, expect, it } from 'vitest';
import { cutFromMajority, reachAt, sideOf } from '../../../src/core/client-sides.js';
import { Prng } from '../../../src/core/prng.js';
import { type LinkConfig, Network } from '../../../src/net/network.js';
import { makeCut } from '../../../src/net/partitions.js';

const link: LinkConfig = {
  delay: { dist: 'constant', us: 1000 },
  lossPpm: 0,
  duplicatePpm: 0,
  reorderPpm: 0,
};

/** 5 nodes (endpoints 0-4) and 3 clients (endpoints 5-7), placed beside n1, n3 and n5. */
function placed(): Network {
  const net = new Network(5, 8, link, Prng.root(1));
  net.placeClients([0, 2, 4]);
  return net;
}

const reachOf = (net: Network, client: number): number[] =>
  [0, 1, 2, 3, 4].filter((m) => !net.isCut(5 + client, m) && !net.isCut(m, 5 + client));

describe('placed clients', () => {
  it('go with their node across a cut, both ways', () => {
    const net = placed();
    net.partition(
      makeCut(
        5,
        {
          shape: 'explicit',
          components: [
            [0, 1],
            [2, 3, 4],
          ],
        },
        Prng.root(1),
      ),
      10,
    );
    expect(reachOf(net, 0)).toEqual([0, 1]);
    expect(reachOf(net, 1)).toEqual([2, 3, 4]);
    expect(net.route(5, 2, 10)).toBe(0);
    expect(net.route(2, 5, 10)).toBe(0);
    expect(net.route(5, 1, 10)).toBe(1);
  });

  it('always reach their own node, even isolated with it', () => {
    const net = placed();
    net.partition(makeCut(5, { shape: 'isolate', node: 2 }, Prng.root(1)), 0);
    expect(reachOf(net, 1)).toEqual([2]);
    expect(reachOf(net, 0)).toEqual([0, 1, 3, 4]);
  });

  it('stand where a component names them, reaching nodes in no component', () => {
    const net = placed();
    const cut = makeCut(
      5,
      {
        shape: 'explicit',
        components: [
          [0, 1],
          [2, 3],
        ],
        clientComponents: [[1], [0]],
      },
      Prng.root(1),
    );
    expect(cut.description).toBe('n1 n2 c2 | n3 n4 c1');
    net.partition(cut, 0);
    expect(reachOf(net, 0)).toEqual([2, 3, 4]);
    expect(reachOf(net, 1)).toEqual([0, 1, 4]);
    expect(reachOf(net, 2)).toEqual([0, 1, 2, 3, 4]);
  });

  it('on a one-way cut, lose only what leaves the first component', () => {
    const net = placed();
    const spec = {
      shape: 'explicit' as const,
      components: [[0], [1, 2, 3, 4]],
      clientComponents: [[1], []],
      oneWay: true,
    };
    net.partition(makeCut(5, spec, Prng.root(1)), 0);
    // c2 stands with n1 on the first side: what it sends out is cut, what it receives is not.
    expect(net.isCut(6, 3)).toBe(true);
    expect(net.isCut(3, 6)).toBe(false);
    // c1 goes with n1 (its home): the same.
    expect(net.isCut(5, 3)).toBe(true);
    expect(net.isCut(3, 5)).toBe(false);
    // c3 goes with n5, on the second side: it sends to n1 freely, and n1 cannot answer.
    expect(net.isCut(7, 0)).toBe(false);
    expect(net.isCut(0, 7)).toBe(true);
  });

  it('are held by a clog of their node, on links to other nodes too', () => {
    const net = placed();
    net.clogNode(0, 50_000);
    expect(net.route(5, 3, 0)).toBe(1);
    expect(net.arrivals[0]).toBe(51_000);
    expect(net.route(6, 3, 0)).toBe(1);
    expect(net.arrivals[0]).toBe(1000);
  });

  it('leave unplaced clients uncut and unclogged by other nodes', () => {
    const net = new Network(5, 8, link, Prng.root(1));
    net.partition(makeCut(5, { shape: 'halves' }, Prng.root(1)), 0);
    net.clogNode(0, 50_000);
    expect(net.isCut(5, 4)).toBe(false);
    expect(net.route(5, 3, 0)).toBe(1);
    expect(net.arrivals[0]).toBe(1000);
    expect(net.clientSides()).toBeUndefined();
  });

  it('record each client’s reach over time, for sideOf and cutFromMajority', () => {
    const net = placed();
    net.partition(
      makeCut(
        5,
        {
          shape: 'explicit',
          components: [
            [0, 1],
            [2, 3, 4],
          ],
        },
        Prng.root(1),
      ),
      100,
    );
    net.heal(900);
    net.heal(1000); // no change: no record
    const sides = net.clientSides();
    expect(sides?.changes.map((c) => c.atUs)).toEqual([100, 900]);
    if (sides === undefined) return;
    expect(sideOf(sides, 0, 99)).toBe('connected');
    expect(sideOf(sides, 0, 100)).toBe('minority');
    expect(sideOf(sides, 1, 500)).toBe('majority');
    expect(cutFromMajority(sides, 0, 500)).toBe(true);
    expect(cutFromMajority(sides, 1, 500)).toBe(false);
    expect(reachAt(sides, 0, 500)).toEqual([0, 1]);
    expect(sideOf(sides, 0, 900)).toBe('connected');
  });
});
