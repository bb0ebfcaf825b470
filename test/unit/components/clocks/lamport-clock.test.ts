/** Lamport clocks: the two implementation rules and the total order with node ids. */
import { describe, expect, it } from 'vitest';
import {
  compareLamport,
  lamportReceive,
  lamportSend,
} from '../../../../src/components/clocks/lamport-clock.js';

describe('Lamport clocks', () => {
  it('a local event or send moves the clock by one (IR1)', () => {
    expect(lamportSend(0)).toBe(1);
    expect(lamportSend(lamportSend(0))).toBe(2);
  });

  it('a receive moves past both the clock and the message (IR2)', () => {
    expect(lamportReceive(1, 7)).toBe(8);
    expect(lamportReceive(9, 7)).toBe(10);
  });

  it('orders by time, then node id', () => {
    expect(compareLamport({ time: 1, node: 'n2' }, { time: 2, node: 'n1' })).toBeLessThan(0);
    expect(compareLamport({ time: 2, node: 'n1' }, { time: 2, node: 'n2' })).toBeLessThan(0);
    expect(compareLamport({ time: 2, node: 'n2' }, { time: 2, node: 'n1' })).toBeGreaterThan(0);
    expect(compareLamport({ time: 2, node: 'n1' }, { time: 2, node: 'n1' })).toBe(0);
  });
});
