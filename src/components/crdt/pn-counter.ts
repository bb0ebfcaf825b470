/**
 * The PN-Counter (Shapiro et al. 2011, §3.1.2): a counter that goes up and down, kept as two
 * G-Counters, one of increments (P) and one of decrements (N); the value is P − N. Merge joins
 * each half, so it inherits the G-Counter's laws (and its named bug, `g-counter.merge-sums`).
 *
 *   const t = pnCounter();
 *   let s = t.apply(t.empty(), { f: 'inc', by: 5 }, { node: 'n1' }).state;
 *   s = t.apply(s, { f: 'dec', by: 2 }, { node: 'n2' }).state;
 *   t.value(s);                                  // 3
 *
 * Left out: bounded counters (no invariant like value ≥ 0 is kept).
 */
import { assert } from '../../core/assert.js';
import { asObject, hashJson } from './codec.js';
import type { CrdtOptions, CrdtType } from './crdt-type.js';
import { counterValue, type GCounterState, gCounter } from './g-counter.js';

export interface PnCounterOp {
  readonly f: 'inc' | 'dec';
  /** A non-negative integer; 1 when left out. */
  readonly by?: number;
}

export interface PnCounterState {
  readonly p: GCounterState;
  readonly n: GCounterState;
}

export function pnCounter(
  options: CrdtOptions = {},
): CrdtType<PnCounterState, PnCounterOp, number> {
  const g = gCounter(options);
  const empty: PnCounterState = { p: g.empty(), n: g.empty() };
  const merge = (a: PnCounterState, b: PnCounterState): PnCounterState => ({
    p: g.merge(a.p, b.p),
    n: g.merge(a.n, b.n),
  });
  const encode = (s: PnCounterState) => ({ p: g.encode(s.p), n: g.encode(s.n) });
  return {
    name: 'pn-counter',
    empty: () => empty,
    apply(state, op, ctx) {
      assert(op.f === 'inc' || op.f === 'dec', 'pn-counter: inc or dec');
      const half = op.f === 'inc' ? 'p' : 'n';
      const applied = g.apply(state[half], { f: 'inc', by: op.by ?? 1 }, ctx);
      const delta = { ...empty, [half]: applied.delta };
      return { state: { ...state, [half]: applied.state }, delta };
    },
    merge,
    value: (s) => counterValue(s.p) - counterValue(s.n),
    equals: (a, b) => g.equals(a.p, b.p) && g.equals(a.n, b.n),
    hash: (s) => hashJson(encode(s)),
    diff(a, b) {
      const p = g.diff(a.p, b.p);
      if (p !== undefined) return `increments: ${p}`;
      const n = g.diff(a.n, b.n);
      return n === undefined ? undefined : `decrements: ${n}`;
    },
    encode,
    decode(j) {
      const o = asObject(j, 'pn-counter');
      return { p: g.decode(o.p ?? null), n: g.decode(o.n ?? null) };
    },
    spec: (updates) =>
      updates.reduce((sum, u) => sum + (u.op.f === 'inc' ? 1 : -1) * (u.op.by ?? 1), 0),
  };
}
