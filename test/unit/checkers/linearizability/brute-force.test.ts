/**
 * The oracle itself, on hand-made histories whose verdicts are reasoned out in the comments, and
 * against an even more naive enumeration (every subset of unknown ops, every permutation) on
 * small random histories. Both must be right before the real checker is compared with them.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  bruteForceLinearizable,
  withoutPartitions,
} from '../../../../src/checkers/linearizability/brute-force.js';
import { findModel, MODEL_NAMES } from '../../../../src/checkers/linearizability/models/index.js';
import type { LinOp, AnyModel } from '../../../../src/checkers/linearizability/types.js';
import {
  almostLinearizableArb,
  historyArb,
  sequentialHistoryArb,
} from '../../../property/linearizability-generators.js';

const model = (name: string): AnyModel => findModel(name)!;

/** `[client, input, output, call, ret]`; ret Infinity (or `unknown`) for an op that never returned. */
type Row = readonly [string, unknown, unknown, number, number, 'unknown'?];
const history = (rows: readonly Row[]): LinOp[] =>
  rows.map(([client, input, output, call, ret, u], id) => ({
    id,
    client,
    input,
    output,
    call,
    ret,
    unknown: u === 'unknown',
  }));
const lin = (name: string, rows: readonly Row[]): boolean =>
  bruteForceLinearizable(history(rows), model(name));

const read = { f: 'read' } as const;
const write = (value: number) => ({ f: 'write', value }) as const;
const cas = (from: number, to: number) => ({ f: 'cas', from, to }) as const;
const INF = Infinity;

describe('brute-force oracle: registers', () => {
  it('accepts the empty history', () => {
    expect(lin('register', [])).toBe(true);
  });

  it('rejects a stale read after a completed write', () => {
    // write(1) returned at 10, the read began at 20: it must see 1.
    expect(
      lin('register', [
        ['a', write(1), {}, 0, 10],
        ['b', read, { value: null }, 20, 30],
      ]),
    ).toBe(false);
    expect(
      lin('register', [
        ['a', write(1), {}, 0, 10],
        ['b', read, { value: 1 }, 20, 30],
      ]),
    ).toBe(true);
  });

  it('lets a read concurrent with a write see either value, but nothing else', () => {
    const h = (v: number | null): Row[] => [
      ['a', write(1), {}, 0, 20],
      ['b', read, { value: v }, 5, 15],
    ];
    expect(lin('register', h(null))).toBe(true);
    expect(lin('register', h(1))).toBe(true);
    expect(lin('register', h(2))).toBe(false);
  });

  it('treats intervals as closed: touching ops are concurrent', () => {
    expect(
      lin('register', [
        ['a', write(1), {}, 0, 10],
        ['b', read, { value: null }, 10, 20],
      ]),
    ).toBe(true);
  });

  it('rejects a value that goes back in time across reads', () => {
    // w(1) then w(2) completed in order; a later read of 2 then a later read of 1 cannot both be right.
    const rows: Row[] = [
      ['a', write(1), {}, 0, 10],
      ['a', write(2), {}, 11, 20],
      ['b', read, { value: 2 }, 30, 40],
      ['c', read, { value: 1 }, 50, 60],
    ];
    expect(lin('register', rows)).toBe(false);
  });

  it('lets an unknown write take effect or not, but only once and only after its call', () => {
    const w: Row = ['a', write(1), {}, 0, INF, 'unknown'];
    expect(lin('register', [w, ['b', read, { value: null }, 10, 20]])).toBe(true); // left out
    expect(lin('register', [w, ['b', read, { value: 1 }, 10, 20]])).toBe(true); // applied
    // Applied between the two reads: null then 1 is fine.
    expect(
      lin('register', [w, ['b', read, { value: null }, 10, 20], ['b', read, { value: 1 }, 30, 40]]),
    ).toBe(true);
    // Once seen it cannot be undone: 1 then null is not.
    expect(
      lin('register', [w, ['b', read, { value: 1 }, 10, 20], ['b', read, { value: null }, 30, 40]]),
    ).toBe(false);
    // It cannot act before it was called.
    expect(
      lin('register', [
        ['b', read, { value: 1 }, 0, 5],
        ['a', write(1), {}, 10, INF, 'unknown'],
      ]),
    ).toBe(false);
  });

  it('ignores the return time of an unknown op: it stays open', () => {
    // Even with a finite ret, an unknown write may land after a read that began later.
    const rows: Row[] = [
      ['a', write(1), {}, 0, 5, 'unknown'],
      ['b', read, { value: null }, 10, 20],
      ['b', read, { value: 1 }, 30, 40],
    ];
    expect(lin('register', rows)).toBe(true);
  });
});

describe('brute-force oracle: etcd cas register', () => {
  it('a failed cas [A B] is legal only if the value was not A', () => {
    // write(0), then cas(0→1) fails with nothing concurrent: the register held 0, so it could not fail.
    expect(
      lin('cas-register', [
        ['a', write(0), {}, 0, 10],
        ['b', cas(0, 1), { ok: false }, 20, 30],
      ]),
    ).toBe(false);
    // cas(2→1) fails: the register held 0, not 2. Fine.
    expect(
      lin('cas-register', [
        ['a', write(0), {}, 0, 10],
        ['b', cas(2, 1), { ok: false }, 20, 30],
      ]),
    ).toBe(true);
    // A failed cas on nil: nil is not 0, fine.
    expect(lin('cas-register', [['b', cas(0, 1), { ok: false }, 0, 10]])).toBe(true);
  });

  it('a failed cas can be legal thanks to a concurrent write', () => {
    const rows = (v: number): Row[] => [
      ['a', write(1), {}, 0, 10],
      ['b', write(3), {}, 15, 45],
      ['c', cas(1, 2), { ok: false }, 20, 30],
      ['d', read, { value: v }, 50, 60],
    ];
    expect(lin('cas-register', rows(3))).toBe(true); // w(3), then cas sees 3 ≠ 1 and fails
    expect(lin('cas-register', rows(2))).toBe(false); // nothing could have set 2: the cas failed
    expect(lin('cas-register', rows(1))).toBe(false); // w(3) completed before the read
  });

  it('a successful cas needs `from`, and sets `to`', () => {
    const rows = (ok: boolean, v: number): Row[] => [
      ['a', write(1), {}, 0, 10],
      ['b', cas(1, 2), { ok }, 20, 30],
      ['c', read, { value: v }, 40, 50],
    ];
    expect(lin('cas-register', rows(true, 2))).toBe(true);
    expect(lin('cas-register', rows(true, 1))).toBe(false);
    expect(lin('cas-register', rows(false, 1))).toBe(false); // it held 1: the cas cannot fail
  });

  it('an unknown cas applies iff the value was `from`, or is left out', () => {
    const rows = (v: number): Row[] => [
      ['a', write(1), {}, 0, 10],
      ['b', cas(1, 2), { ok: false }, 20, INF, 'unknown'],
      ['c', read, { value: v }, 40, 50],
    ];
    expect(lin('cas-register', rows(2))).toBe(true);
    expect(lin('cas-register', rows(1))).toBe(true);
    expect(lin('cas-register', rows(3))).toBe(false);
  });
});

describe('brute-force oracle: queues, counters, sets', () => {
  it('rejects a FIFO queue dequeuing out of order', () => {
    const enq = (value: number) => ({ f: 'enqueue', value }) as const;
    const deq = { f: 'dequeue' } as const;
    const seq = (v: number): Row[] => [
      ['a', enq(1), {}, 0, 10],
      ['a', enq(2), {}, 20, 30],
      ['b', deq, { value: v }, 40, 50],
    ];
    expect(lin('fifo-queue', seq(2))).toBe(false);
    expect(lin('fifo-queue', seq(1))).toBe(true);
    // Concurrent enqueues may go either way, but each value comes out once.
    const conc = (x: number, y: number | null): Row[] => [
      ['a', enq(1), {}, 0, 30],
      ['b', enq(2), {}, 10, 20],
      ['c', deq, { value: x }, 40, 50],
      ['c', deq, { value: y }, 60, 70],
    ];
    expect(lin('fifo-queue', conc(2, 1))).toBe(true);
    expect(lin('fifo-queue', conc(1, 2))).toBe(true);
    expect(lin('fifo-queue', conc(2, 2))).toBe(false);
    expect(lin('fifo-queue', conc(2, null))).toBe(false);
  });

  it('counters and sets', () => {
    const add = (value: number) => ({ f: 'add', value }) as const;
    expect(
      lin('counter', [
        ['a', add(2), {}, 0, 10],
        ['b', add(3), {}, 5, 30],
        ['c', read, { value: 2 }, 20, 25],
      ]),
    ).toBe(true);
    expect(
      lin('counter', [
        ['a', add(2), {}, 0, 10],
        ['b', add(3), {}, 5, 15],
        ['c', read, { value: 2 }, 20, 25],
      ]),
    ).toBe(false);
    expect(
      lin('set', [
        ['a', add(2), {}, 0, 10],
        ['b', add(1), {}, 0, 10],
        ['c', read, { values: [2, 1] }, 20, 25],
      ]),
    ).toBe(true);
    expect(
      lin('set', [
        ['a', add(2), {}, 0, 10],
        ['b', add(1), {}, 0, 10],
        ['c', read, { values: [2] }, 20, 25],
      ]),
    ).toBe(false);
  });
});

describe('brute-force oracle: kv models, checked as a whole', () => {
  const get = (key: string) => ({ f: 'get', key }) as const;
  const append = (key: string, value: string) => ({ f: 'append', key, value }) as const;

  it('Porcupine kv appends without a separator; faultline kv-list with one space', () => {
    const rows = (name: string, out: string): boolean =>
      lin(name, [
        ['a', append('x', 'a'), '', 0, 10],
        ['a', append('x', 'b'), '', 20, 30],
        ['b', get('x'), out, 40, 50],
      ]);
    expect(rows('kv', 'ab')).toBe(true);
    expect(rows('kv', 'a b')).toBe(false);
    expect(rows('kv-list', 'a b')).toBe(true);
    expect(rows('kv-list', 'ab')).toBe(false);
  });

  it('keeps keys apart and real time across keys', () => {
    const rows = (y: string): Row[] => [
      ['a', append('x', 'a'), '', 0, 10],
      ['b', append('y', 'b'), '', 20, 30],
      ['c', get('x'), 'a', 40, 50],
      ['c', get('y'), y, 60, 70],
    ];
    expect(lin('kv', rows('b'))).toBe(true);
    expect(lin('kv', rows(''))).toBe(false);
  });

  it('kv-list tells an absent key from an empty one', () => {
    expect(lin('kv-list', [['a', get('x'), null, 0, 10]])).toBe(true);
    expect(lin('kv-list', [['a', get('x'), '', 0, 10]])).toBe(false);
    expect(lin('kv', [['a', get('x'), '', 0, 10]])).toBe(true);
  });

  it('lifts a partitioned model into one state whose key ignores untouched and initial partitions', () => {
    const m = withoutPartitions(model('kv'));
    expect(m.partition).toBeUndefined();
    const s1 = m.step(m.init(), append('x', 'a'), '', false);
    const s2 = m.step(
      m.step(m.init(), { f: 'put', key: 'y', value: '' }, '', false),
      append('x', 'a'),
      '',
      false,
    );
    expect(m.key(s1)).toBe(m.key(s2));
    expect(m.key(s1)).not.toBe(m.key(m.init()));
    expect(withoutPartitions(model('register'))).toBe(model('register'));
  });
});

/** Every subset of the unknown ops, every permutation: no masks, no cache, no lifting helper. */
function naiveLinearizable(ops: readonly LinOp[], m: AnyModel): boolean {
  const unknownOps = ops.filter((o) => o.unknown);
  const knownOps = ops.filter((o) => !o.unknown);
  const legal = (seq: readonly LinOp[]): boolean => {
    for (let i = 0; i < seq.length; i++) {
      for (let j = i + 1; j < seq.length; j++) {
        const later = seq[j] as LinOp;
        if (!later.unknown && later.ret < (seq[i] as LinOp).call) return false;
      }
    }
    const states = new Map<string, unknown>();
    for (const op of seq) {
      const p = m.partition?.(op.input) ?? '';
      const next = m.step(
        states.has(p) ? states.get(p) : m.init(),
        op.input,
        op.output,
        op.unknown,
      );
      if (next === undefined) return false;
      states.set(p, next);
    }
    return true;
  };
  const permutations = function* (xs: readonly LinOp[]): Generator<LinOp[]> {
    if (xs.length === 0) yield [];
    for (let i = 0; i < xs.length; i++) {
      const rest = [...xs.slice(0, i), ...xs.slice(i + 1)];
      for (const p of permutations(rest)) yield [xs[i] as LinOp, ...p];
    }
  };
  for (let subset = 0; subset < 1 << unknownOps.length; subset++) {
    const chosen = [...knownOps, ...unknownOps.filter((_, i) => (subset & (1 << i)) !== 0)];
    for (const seq of permutations(chosen)) if (legal(seq)) return true;
  }
  return false;
}

describe('brute-force oracle on generated histories', () => {
  for (const name of MODEL_NAMES) {
    it(`${name}: agrees with the naive enumeration on random histories`, () => {
      const small = historyArb(name, 6);
      fc.assert(
        fc.property(
          small,
          (h) => bruteForceLinearizable(h, model(name)) === naiveLinearizable(h, model(name)),
        ),
        { numRuns: 150, seed: 1 },
      );
    });

    it(`${name}: accepts every real sequential execution`, () => {
      fc.assert(
        fc.property(sequentialHistoryArb(name), (h) => bruteForceLinearizable(h, model(name))),
        { numRuns: 200, seed: 2 },
      );
    });

    it(`${name}: the generators give both verdicts`, () => {
      const verdicts = (arb: fc.Arbitrary<LinOp[]>) =>
        fc
          .sample(arb, { numRuns: 300, seed: 3 })
          .map((h) => bruteForceLinearizable(h, model(name)));
      const almost = verdicts(almostLinearizableArb(name));
      const random = verdicts(historyArb(name));
      expect(
        almost.filter((v) => !v).length,
        'almost-linearizable histories that are not',
      ).toBeGreaterThan(20);
      expect(
        almost.filter((v) => v).length,
        'almost-linearizable histories that are',
      ).toBeGreaterThan(20);
      expect(random.filter((v) => !v).length).toBeGreaterThan(0);
      expect(random.filter((v) => v).length).toBeGreaterThan(0);
    });

    it(`${name}: generated histories are well formed`, () => {
      for (const h of fc
        .sample(historyArb(name), { numRuns: 100, seed: 4 })
        .concat(fc.sample(almostLinearizableArb(name), { numRuns: 100, seed: 5 }))) {
        expect(h.length).toBeGreaterThan(0);
        expect(h.length).toBeLessThanOrEqual(8);
        h.forEach((op, i) => {
          expect(op.id).toBe(i);
          if (i > 0) expect(op.call).toBeGreaterThanOrEqual((h[i - 1] as LinOp).call);
          if (op.unknown) expect(op.ret).toBe(Infinity);
          else expect(op.ret).toBeGreaterThanOrEqual(op.call);
        });
        // One op in flight per client.
        const byClient = new Map<string, LinOp[]>();
        for (const op of h) byClient.set(op.client, [...(byClient.get(op.client) ?? []), op]);
        for (const ops of byClient.values()) {
          for (let i = 1; i < ops.length; i++)
            expect((ops[i - 1] as LinOp).ret).toBeLessThan((ops[i] as LinOp).call);
        }
      }
    });
  }

  it('for kv, the whole history is linearizable iff every key is (P-compositionality)', () => {
    for (const name of ['kv', 'kv-list']) {
      fc.assert(
        fc.property(almostLinearizableArb(name), (h) => {
          const keys = [...new Set(h.map((op) => (op.input as { key: string }).key))];
          const perKey = keys.every((k) =>
            bruteForceLinearizable(
              h.filter((op) => (op.input as { key: string }).key === k),
              model(name),
            ),
          );
          return bruteForceLinearizable(h, model(name)) === perKey;
        }),
        { numRuns: 200, seed: 6 },
      );
    }
  });
});
