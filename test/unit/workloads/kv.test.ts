/**
 * The kv workload's deletes and scripts: a `delete` weight draws deletes (none by default, so
 * existing scenarios draw what they drew), and a script runs its steps in order during the faulty
 * phase, then stops, with values unique per client.
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
