/**
 * Hybrid logical clocks: each case of the paper's send and receive rules, the header's example,
 * and the max offset that refuses a message stamped too far ahead.
 */
import { describe, expect, it } from 'vitest';
import {
  compareHlc,
  HLC_ZERO,
  hlcReceive,
  hlcSend,
} from '../../../../src/components/clocks/hybrid-logical-clock.js';

describe('hybrid logical clocks', () => {
  it('the header example', () => {
    let t = hlcSend(HLC_ZERO, 1_000);
    expect(t).toEqual({ l: 1_000, c: 0 });
    t = hlcSend(t, 1_000);
    expect(t).toEqual({ l: 1_000, c: 1 });
    expect(hlcReceive(t, { l: 5_000, c: 3 }, 1_200, { maxOffsetUs: 10_000 })).toEqual({
      ok: true,
      clock: { l: 5_000, c: 4 },
    });
  });

  it('send: l follows the physical clock when it moves on, and c resets', () => {
    expect(hlcSend({ l: 1_000, c: 4 }, 2_000)).toEqual({ l: 2_000, c: 0 });
  });

  it('send: a physical clock that stepped back leaves l alone and moves c', () => {
    expect(hlcSend({ l: 1_000, c: 4 }, 500)).toEqual({ l: 1_000, c: 5 });
  });

  it('receive: each of the four cases of which l is largest', () => {
    const at = (l: number, c: number) => ({ l, c });
    const clock = (r: ReturnType<typeof hlcReceive>) => (r.ok ? r.clock : undefined);
    expect(clock(hlcReceive(at(10, 2), at(10, 5), 3))).toEqual(at(10, 6)); // l = l' = l.m
    expect(clock(hlcReceive(at(10, 2), at(7, 5), 3))).toEqual(at(10, 3)); // l = l'
    expect(clock(hlcReceive(at(7, 2), at(10, 5), 3))).toEqual(at(10, 6)); // l = l.m
    expect(clock(hlcReceive(at(7, 2), at(8, 5), 30))).toEqual(at(30, 0)); // l = pt
  });

  it('refuses a message stamped more than the max offset ahead, and leaves the clock', () => {
    expect(hlcReceive({ l: 100, c: 0 }, { l: 1_200, c: 0 }, 150, { maxOffsetUs: 1_000 })).toEqual({
      ok: false,
      aheadUs: 1_050,
    });
    expect(hlcReceive({ l: 100, c: 0 }, { l: 1_150, c: 0 }, 150, { maxOffsetUs: 1_000 }).ok).toBe(
      true,
    );
  });

  it('orders by l, then c', () => {
    expect(compareHlc({ l: 1, c: 9 }, { l: 2, c: 0 })).toBeLessThan(0);
    expect(compareHlc({ l: 2, c: 1 }, { l: 2, c: 0 })).toBeGreaterThan(0);
    expect(compareHlc({ l: 2, c: 1 }, { l: 2, c: 1 })).toBe(0);
  });
});
