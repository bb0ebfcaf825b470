/**
 * The G-Counter (Shapiro et al. 2011, §3.1.1): a grow-only counter kept as one count per replica
 * (a vector), each replica incrementing only its own entry. Merge takes the entry-wise maximum,
 * so delivering a state twice counts nothing twice; the value is the sum. The delta of an
 * increment is the replica's own entry alone.
 *
 *   const t = gCounter();
 *   const a = t.apply(t.empty(), { f: 'inc', by: 2 }, { node: 'n1' }).state;
 *   const b = t.apply(t.empty(), { f: 'inc' }, { node: 'n2' }).state;
 *   t.value(t.merge(a, b));                      // 3
 *
 * Named bug `g-counter.merge-sums`: merge adds the entries instead, so merging a state with
 * itself doubles it. Left out: decrements (the PN-Counter, pn-counter.ts).
 */
import { assert } from '../../core/assert.js';
import { VectorClock } from '../clocks/vector-clock.js';
import { decodeClock, encodeClock, hashJson } from './codec.js';
import type { CrdtOptions, CrdtType } from './crdt-type.js';
import { compareStrings, firstDifference, mergeSorted } from './sorted.js';

export interface GCounterOp {
  readonly f: 'inc';
  /** A non-negative integer; 1 when left out. */
  readonly by?: number;
}

/** Increments per replica, as a vector clock (zeros not stored). */
export type GCounterState = VectorClock;

export function gCounter(options: CrdtOptions = {}): CrdtType<GCounterState, GCounterOp, number> {
  const sums = options.bugs?.has('g-counter.merge-sums') ?? false;
  const merge = sums ? mergeBySum : (a: GCounterState, b: GCounterState) => a.merge(b);
  return {
    name: 'g-counter',
    empty: () => VectorClock.EMPTY,
    apply(state, op, ctx) {
      const by = op.by ?? 1;
      assert(op.f === 'inc' && Number.isSafeInteger(by) && by >= 0, 'g-counter: inc by n >= 0');
      const count = state.get(ctx.node) + by;
      return { state: state.with(ctx.node, count), delta: VectorClock.from([[ctx.node, count]]) };
    },
    merge,
    value: counterValue,
    equals: (a, b) => a.equals(b),
    hash: (s) => hashJson(encodeClock(s)),
    diff: diffCounts,
    encode: encodeClock,
    decode: decodeClock,
    spec: (updates) => updates.reduce((sum, u) => sum + (u.op.by ?? 1), 0),
  };
}

/** The sum of a G-Counter's entries. */
export function counterValue(s: GCounterState): number {
  let sum = 0;
  for (const [, count] of s.entries()) sum += count;
  return sum;
}

/** The first replica whose count differs. */
function diffCounts(a: GCounterState, b: GCounterState): string | undefined {
  return firstDifference(
    a.entries(),
    b.entries(),
    (x, y) => compareStrings(x[0], y[0]),
    (x, y) => (x[1] === y[1] ? undefined : `${x[1]} vs ${y[1]}`),
    (x) => `count of ${x[0]}`,
  );
}

function mergeBySum(a: GCounterState, b: GCounterState): GCounterState {
  const id = (x: [string, number]) => x;
  const summed = mergeSorted(
    a.entries(),
    b.entries(),
    (x, y) => compareStrings(x[0], y[0]),
    (x, y): [string, number] => [x[0], x[1] + y[1]],
    id,
    id,
  );
  return VectorClock.from(summed);
}
