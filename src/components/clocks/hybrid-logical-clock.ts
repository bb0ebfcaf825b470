/**
 * Hybrid logical clocks (Kulkarni, Demirbas, Madeppa, Avva, Leone 2014, "Logical Physical Clocks
 * and Consistent Snapshots in Globally Distributed Databases"). A timestamp is `(l, c)`: `l` is
 * the largest physical time the node has heard of, `c` a logical counter that orders events
 * sharing the same `l`. Like a Lamport clock, e happened-before f implies hlc(e) < hlc(f); unlike
 * one, `l` stays within ε of the node's physical clock `pt` when clocks are synchronized within
 * ε. In the simulator `pt` is `ctx.now`: this node's own skewed, drifting reading, so the skew an
 * HLC has to absorb is real.
 *
 *   let t = hlcSend(HLC_ZERO, 1_000);               // { l: 1000, c: 0 }
 *   t = hlcSend(t, 1_000);                          // { l: 1000, c: 1 }: same pt, counter moves
 *   const r = hlcReceive(t, { l: 5_000, c: 3 }, 1_200, { maxOffsetUs: 10_000 });
 *   // r.ok, r.clock = { l: 5000, c: 4 }
 *
 * The drift bound: the paper proves l − pt ≤ ε while every physical clock is within ε of true
 * time. A message stamped more than ε ahead of the receiver's `pt` means that assumption broke
 * (a clock jumped), and taking its `l` would drag every clock it reaches ahead with it. As the
 * paper's discussion of resilience suggests (and CockroachDB's max offset does), the receiver
 * then refuses to move its clock: `hlcReceive` returns `ok: false` with how far ahead the message
 * was, and the caller drops or flags it. Left out: the paper's bounded-width encoding of `c` and
 * its snapshot reads.
 */
import type { Micros } from '../../core/time.js';

export interface Hlc {
  /** The largest physical time heard of, in the node's own microseconds. */
  readonly l: Micros;
  /** Orders events with the same `l`. */
  readonly c: number;
}

export const HLC_ZERO: Hlc = { l: 0, c: 0 };

export function compareHlc(a: Hlc, b: Hlc): number {
  return a.l !== b.l ? a.l - b.l : a.c - b.c;
}

/** The clock after a send or local event at physical time `pt` (the paper's first rule). */
export function hlcSend(clock: Hlc, pt: Micros): Hlc {
  const l = Math.max(clock.l, pt);
  return l === clock.l ? { l, c: clock.c + 1 } : { l, c: 0 };
}

export interface HlcReceiveOptions {
  /** ε: how far a message's `l` may be ahead of this node's `pt` before it is refused. */
  readonly maxOffsetUs?: Micros;
}

export type HlcReceived =
  | { readonly ok: true; readonly clock: Hlc }
  /** The message was stamped `aheadUs` past `pt`, more than ε: the clock did not move. */
  | { readonly ok: false; readonly aheadUs: Micros };

/** The clock after receiving a message stamped `m` at physical time `pt` (the second rule). */
export function hlcReceive(
  clock: Hlc,
  m: Hlc,
  pt: Micros,
  options: HlcReceiveOptions = {},
): HlcReceived {
  const aheadUs = m.l - pt;
  if (options.maxOffsetUs !== undefined && aheadUs > options.maxOffsetUs) {
    return { ok: false, aheadUs };
  }
  const l = Math.max(clock.l, m.l, pt);
  let c: number;
  if (l === clock.l && l === m.l) c = Math.max(clock.c, m.c) + 1;
  else if (l === clock.l) c = clock.c + 1;
  else if (l === m.l) c = m.c + 1;
  else c = 0;
  return { ok: true, clock: { l, c } };
}
