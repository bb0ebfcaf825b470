/**
 * Lamport's logical clock (Lamport 1978, "Time, clocks, and the ordering of events"): a counter
 * that every event increments and that a receive first lifts to the message's timestamp, so a
 * happened-before b implies time(a) < time(b). With the node id as tie-break the timestamps give
 * the total order of the paper's mutual-exclusion example. The converse does not hold: a smaller
 * timestamp says nothing about causality (vector clocks do; see vector-clock.ts).
 *
 *   let t = lamportSend(0);            // 1: a local event or a send
 *   t = lamportReceive(t, 7);          // 8: a receive of a message stamped 7
 */
import type { NodeId } from '../../core/ids.js';

/** A timestamp in Lamport's total order: the clock's time, then the node id. */
export interface LamportTimestamp {
  readonly time: number;
  readonly node: NodeId;
}

/** The clock after a local event or a send (IR1). */
export const lamportSend = (clock: number): number => clock + 1;

/** The clock after receiving a message stamped `received` (IR2). */
export const lamportReceive = (clock: number, received: number): number =>
  Math.max(clock, received) + 1;

/** Lamport's total order: by time, then by node id. */
export function compareLamport(a: LamportTimestamp, b: LamportTimestamp): number {
  if (a.time !== b.time) return a.time - b.time;
  if (a.node === b.node) return 0;
  return a.node < b.node ? -1 : 1;
}
