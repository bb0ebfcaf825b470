/**
 * How the search lays out one partition's operations before it starts: which are read-only,
 * unknown or monotone (the model says), the pool of operations left open forever that change the
 * state, grouped into classes of identical ones used in call order (Lowe's just-in-time
 * linearization tries them last; only the next member of a class is ever a candidate), the time
 * order of calls and returns, and each operation's bit in the configuration's bitset (known
 * operations first, compared exactly; the pool after them, compared by inclusion).
 */
import type { SearchMutation } from './search-mutations.js';
import type { LinOp, Model } from './types.js';

/** The pool's classes: member operations by class, each class in call order. */
export interface Pool {
  readonly classOf: Int32Array;
  readonly start: Int32Array;
  readonly members: Int32Array;
}

/** Unknown operations that change the state, grouped by identical input in call order. */
function buildPool<I, O>(
  ops: readonly LinOp<I, O>[],
  inPool: (i: number) => boolean,
  latestFirst: boolean,
): Pool {
  const byKey = new Map<string, number[]>();
  const order = ops.map((_o, i) => i).filter(inPool);
  order.sort((a, b) => (ops[a] as LinOp<I, O>).call - (ops[b] as LinOp<I, O>).call || a - b);
  if (latestFirst) order.reverse();
  for (const i of order) {
    const o = ops[i] as LinOp<I, O>;
    const key = JSON.stringify([o.input, o.output]);
    const list = byKey.get(key);
    if (list === undefined) byKey.set(key, [i]);
    else list.push(i);
  }
  const classOf = new Int32Array(ops.length).fill(-1);
  const start = new Int32Array(byKey.size + 1);
  const members = new Int32Array(order.length);
  let c = 0;
  let m = 0;
  for (const list of byKey.values()) {
    start[c] = m;
    for (const i of list) {
      classOf[i] = c;
      members[m++] = i;
    }
    c++;
  }
  start[c] = m;
  return { classOf, start, members };
}

/** One partition's operations as the search reads them: flags, list order, bit positions. */
export class Layout<I, O> {
  readonly readOnly: Uint8Array;
  readonly unknown: Uint8Array;
  readonly nonMonotone: Uint8Array;
  readonly pool: Pool;
  /** Position of each list entry in time order (pool calls included). */
  readonly rank: Int32Array;
  /** Entries of the list in time order, pool entries left out. */
  readonly listed: number[] = [];
  readonly bitOf: Int32Array;
  readonly exactWords: number;
  readonly words: number;

  constructor(
    ops: readonly LinOp<I, O>[],
    model: Model<unknown, I, O>,
    mutation: SearchMutation | undefined,
  ) {
    const n = ops.length;
    this.readOnly = new Uint8Array(n);
    this.unknown = new Uint8Array(n);
    this.nonMonotone = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const o = ops[i] as LinOp<I, O>;
      this.unknown[i] = o.unknown ? 1 : 0;
      this.readOnly[i] = model.readOnly?.call(model, o.input, o.output, o.unknown) ? 1 : 0;
      // Read-only operations leave the state as it is: monotone whatever the model says.
      const mono = this.readOnly[i] === 1 || model.monotone?.call(model, o.input) === true;
      this.nonMonotone[i] = mono ? 0 : 1;
    }
    this.pool = buildPool(
      ops,
      (i) => this.unknown[i] === 1 && this.readOnly[i] === 0,
      mutation === 'pool-classes.latest-first',
    );
    this.rank = new Int32Array(2 * n);
    this.order(ops);
    this.bitOf = new Int32Array(n);
    let known = 0;
    for (let i = 0; i < n; i++) if ((this.pool.classOf[i] as number) < 0) this.bitOf[i] = known++;
    this.exactWords = (known + 31) >>> 5;
    let pooled = this.exactWords * 32;
    for (let i = 0; i < n; i++) if ((this.pool.classOf[i] as number) >= 0) this.bitOf[i] = pooled++;
    this.words = (pooled + 31) >>> 5;
  }

  /** Sorts calls and returns: calls before returns at the same time, unknown returns last. */
  private order(ops: readonly LinOp<I, O>[]): void {
    const n = ops.length;
    const time = new Float64Array(2 * n);
    const entries: number[] = new Array<number>(2 * n);
    for (let i = 0; i < n; i++) {
      const o = ops[i] as LinOp<I, O>;
      time[2 * i] = o.call;
      time[2 * i + 1] = o.unknown ? Infinity : o.ret;
      entries[2 * i] = 2 * i;
      entries[2 * i + 1] = 2 * i + 1;
    }
    const unknown = this.unknown;
    entries.sort((a, b) => {
      const d = (time[a] as number) - (time[b] as number);
      if (d !== 0) return d < 0 ? -1 : 1;
      const ra = a & 1;
      const rb = b & 1;
      if (ra !== rb) return ra - rb;
      if (ra === 1 && unknown[a >> 1] !== unknown[b >> 1])
        return (unknown[a >> 1] as number) - (unknown[b >> 1] as number);
      return a - b;
    });
    entries.forEach((e, r) => {
      this.rank[e] = r;
      if ((this.pool.classOf[e >> 1] as number) < 0) this.listed.push(e);
    });
  }
}
