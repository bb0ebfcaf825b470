/**
 * The kv workload's deletes, scripts and hot keys: a `delete` weight draws deletes (none by
 * default, so existing scenarios draw what they drew), a script runs its steps in order during
 * the faulty phase, then stops, with values unique per client; `hot` sends its share of
 * operations to the first keys, and without it the draws are exactly those of before.
 */
import { describe, expect, it } from 'vitest';
import { Prng } from '../../../src/core/prng.js';
import type { KvInput } from '../../../src/core/history.js';
import { type KvOptions, kvWorkload } from '../../../src/workloads/kv.js';

const parse = (o: object) => kvWorkload.optionsSchema.parse(o) as unknown as KvOptions;

function ops(options: KvOptions, n: number, phase: 'faulty' | 'healed' = 'faulty') {
  const w = kvWorkload.create(options, 1, 1);
  const rng = Prng.root(7).fork('workload');
  return Array.from({ length: n }, () => w.next(0, phase, rng) as KvInput | undefined);
}

describe('kv workload', () => {
  it('draws no delete by default, and deletes when the mix weighs them', () => {
    expect(parse({}).mix).toEqual({ get: 1, put: 0, append: 2, delete: 0 });
    expect(ops(parse({}), 200).some((o) => o?.f === 'delete')).toBe(false);
    const deletes = ops(parse({ mix: { put: 1, delete: 1 } }), 200).filter(
      (o) => o?.f === 'delete',
    );
    expect(deletes.length).toBeGreaterThan(50);
    expect(deletes[0]).toEqual({ f: 'delete', key: expect.stringMatching(/^k\d$/) });
    expect(() => parse({ mix: { delete: 0 } })).toThrow(/at least one of/);
  });

  it('runs a script in order during the faulty phase, then stops', () => {
    const o = parse({ script: [['put k0', 'delete k0', 'append k1', 'get k0']] });
    expect(ops(o, 5)).toEqual([
      { f: 'put', key: 'k0', value: 'c1.1' },
      { f: 'delete', key: 'k0' },
      { f: 'append', key: 'k1', value: 'c1.3' },
      { f: 'get', key: 'k0' },
      undefined,
    ]);
    expect(ops(o, 1, 'healed')).toEqual([undefined]);
    expect(() => parse({ script: [['remove k0']] })).toThrow(/get kN/);
  });

  it('refuses a script step on a key beyond keys, or not named kN', () => {
    expect(parse({ keys: 2, script: [['put k1']] }).script).toEqual([['put k1']]);
    expect(() => parse({ keys: 2, script: [['put k0'], ['get k2']] })).toThrow(
      /k2 is not one of the workload's keys k0\.\.k1/,
    );
    expect(() => parse({ keys: 2, script: [['put k01']] })).toThrow(/k01 is not one/);
  });

  it('formats a delete like a get', () => {
    const op = { input: { f: 'delete', key: 'k3' } } as Parameters<typeof kvWorkload.formatOp>[0];
    expect(kvWorkload.formatOp(op)).toBe('delete(k3)');
  });
});

describe('kv workload hot keys', () => {
  it('without hot, draws one key and one operation per op, as before the option', () => {
    // The draws of the code before `hot` existed, replayed by hand on the same stream.
    const rng = Prng.root(7).fork('workload');
    const before = Array.from({ length: 50 }, () => {
      const key = `k${rng.int(0, 4)}`;
      const r = rng.int(0, 2);
      return r < 1 ? { f: 'get', key } : { f: 'append', key };
    });
    const now = ops(parse({}), 50).map((o) => ({ f: o?.f, key: o?.key }));
    expect(now).toEqual(before);
  });

  it('sends pct percent of operations to the hot keys', () => {
    const o = parse({ keys: 12, hot: { keys: 2, pct: 80 } });
    const keys = ops(o, 2000).map((x) => x?.key);
    const hot = keys.filter((k) => k === 'k0' || k === 'k1').length;
    // 80% hot, plus the uniform 20%'s 2/12: about 1,633 of 2,000.
    expect(hot).toBeGreaterThan(1500);
    expect(hot).toBeLessThan(1750);
    const all = ops(parse({ keys: 12, hot: { keys: 2, pct: 100 } }), 200).map((x) => x?.key);
    expect(new Set(all)).toEqual(new Set(['k0', 'k1']));
  });

  it('refuses more hot keys than keys', () => {
    expect(() => parse({ keys: 3, hot: { keys: 4, pct: 50 } })).toThrow(/more than the workload/);
  });
});
