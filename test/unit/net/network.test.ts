import { describe, expect, it } from 'vitest';
import { Prng } from '../../../src/core/prng.js';
import { Network, type LinkConfig, type ReplayConfig } from '../../../src/net/network.js';
import { makeCut } from '../../../src/net/partitions.js';

const link = (over: Partial<LinkConfig> = {}): LinkConfig => ({
  delay: { dist: 'uniform', minUs: 1000, maxUs: 5000 },
  lossPpm: 0,
  duplicatePpm: 0,
  reorderPpm: 0,
  ...over,
});

describe('Network', () => {
  it('a one-way partition delivers one way only', () => {
    const net = new Network(3, 3, link(), Prng.root(1).fork('net'));
    net.partition(
      makeCut(3, { shape: 'explicit', components: [[0], [1, 2]], oneWay: true }, Prng.root(1)),
      0,
    );
    expect(net.route(0, 1, 0)).toBe(0);
    expect(net.route(0, 2, 0)).toBe(0);
    expect(net.route(1, 0, 0)).toBe(1);
    expect(net.route(2, 0, 0)).toBe(1);
    expect(net.route(1, 2, 0)).toBe(1);
    net.heal(0);
    expect(net.route(0, 1, 0)).toBe(1);
  });

  it('a symmetric partition cuts both ways and never cuts clients', () => {
    const net = new Network(4, 5, link(), Prng.root(2));
    net.partition(makeCut(4, { shape: 'halves' }, Prng.root(2)), 0);
    expect(net.isCut(0, 2)).toBe(true);
    expect(net.isCut(2, 0)).toBe(true);
    expect(net.isCut(0, 1)).toBe(false);
    expect(net.route(4, 0, 0)).toBe(1);
    expect(net.route(4, 3, 0)).toBe(1);
  });

  it('loss and duplication happen at their configured rates over many seeds', () => {
    let sent = 0;
    let lost = 0;
    let dup = 0;
    for (let seed = 0; seed < 20; seed++) {
      const net = new Network(
        2,
        2,
        link({ lossPpm: 100_000, duplicatePpm: 200_000 }),
        Prng.root(seed).fork('net'),
      );
      for (let i = 0; i < 5000; i++) net.route(0, 1, 0);
      sent += net.stats.sent;
      lost += net.stats.lost;
      dup += net.stats.duplicated;
    }
    expect(lost / sent).toBeGreaterThan(0.09);
    expect(lost / sent).toBeLessThan(0.11);
    // Duplication is drawn among the messages not lost.
    expect(dup / (sent - lost)).toBeGreaterThan(0.19);
    expect(dup / (sent - lost)).toBeLessThan(0.21);
  });

  it('reordering really reorders: later sends arrive earlier at about the configured rate', () => {
    let inversions = 0;
    let pairs = 0;
    let reordered = 0;
    for (let seed = 0; seed < 20; seed++) {
      const net = new Network(
        2,
        2,
        link({ delay: { dist: 'constant', us: 1000 }, reorderPpm: 100_000 }),
        Prng.root(seed),
      );
      let last = -1;
      for (let t = 0; t < 2000; t++) {
        net.route(0, 1, t * 10);
        const arrival = net.arrivals[0] as number;
        if (last >= 0) {
          pairs++;
          if (arrival < last) inversions++;
        }
        last = arrival;
      }
      reordered += net.stats.reordered;
    }
    expect(reordered / 40_000).toBeGreaterThan(0.09);
    expect(reordered / 40_000).toBeLessThan(0.11);
    expect(inversions).toBeGreaterThan(pairs * 0.05);
  });

  it('constant delay without reordering keeps send order', () => {
    const net = new Network(2, 2, link({ delay: { dist: 'constant', us: 500 } }), Prng.root(3));
    net.route(0, 1, 10);
    expect(net.arrivals[0]).toBe(510);
  });

  it('a clogged node holds messages until the clog ends', () => {
    const net = new Network(3, 3, link({ delay: { dist: 'constant', us: 100 } }), Prng.root(4));
    net.clogNode(1, 50_000);
    net.route(0, 1, 1000);
    expect(net.arrivals[0]).toBe(50_100);
    net.route(0, 2, 1000);
    expect(net.arrivals[0]).toBe(1100);
    net.route(1, 2, 1000);
    expect(net.arrivals[0]).toBe(50_100);
  });

  it('slow tails slow a share of messages by their factor', () => {
    const net = new Network(
      2,
      2,
      link({ delay: { dist: 'constant', us: 1000, slowTail: { ppm: 100_000, factor: 50 } } }),
      Prng.root(5),
    );
    let slow = 0;
    for (let i = 0; i < 10_000; i++) {
      net.route(0, 1, 0);
      if (net.arrivals[0] === 50_000) slow++;
    }
    expect(slow).toBeGreaterThan(900);
    expect(slow).toBeLessThan(1100);
  });

  it('replay delivers a share of node messages once more, later, without moving other draws', () => {
    const replay: ReplayConfig = {
      ratioPpm: 300_000,
      delay: { dist: 'uniform', minUs: 10_000, maxUs: 20_000 },
    };
    const plain = new Network(3, 4, link({ duplicatePpm: 100_000 }), Prng.root(7).fork('net'));
    const net = new Network(3, 4, link({ duplicatePpm: 100_000 }), Prng.root(7).fork('net'));
    net.enableReplay(replay, Prng.root(7).fork('net-replay'));
    let replays = 0;
    for (let i = 0; i < 5000; i++) {
      const base = plain.route(0, 1, i);
      const copies = net.route(0, 1, i);
      // The first copies draw exactly as without replay.
      expect(net.arrivals.subarray(0, base)).toEqual(plain.arrivals.subarray(0, base));
      if (copies === base) continue;
      expect(copies).toBe(base + 1);
      const late = (net.arrivals[base] as number) - (net.arrivals[0] as number);
      expect(late).toBeGreaterThanOrEqual(10_000);
      expect(late).toBeLessThanOrEqual(20_000);
      replays++;
    }
    expect(net.replayed).toBe(replays);
    expect(replays / 5000).toBeGreaterThan(0.28);
    expect(replays / 5000).toBeLessThan(0.32);
    // Clients hold TCP-like connections: their messages are never replayed.
    for (let i = 0; i < 200; i++) expect(net.route(3, 0, i)).toBe(1);
  });
});
