/**
 * The bank workload: transfers of a positive whole amount between accounts on different shards
 * (under either sharding function), each with a unique id, reads of every balance, everything
 * sent to the coordinator, updates in the faulty phase only and one final read; and its options
 * refused with the file, line, column and field when out of range or misfit to the cluster.
 */
import { describe, expect, it } from 'vitest';
import { type BankInput, shardOf } from '../../../src/core/bank-ops.js';
import { Prng } from '../../../src/core/prng.js';
import { formatScenarioError, parseScenario } from '../../../src/scenario/index.js';
import { type BankOptions, bankWorkload } from '../../../src/workloads/bank.js';

const options = (o: object) => bankWorkload.optionsSchema.parse(o) as unknown as BankOptions;

describe('bank workload', () => {
  it.each(['modulo', 'range'] as const)(
    'transfers between shards (%s), with unique ids and positive whole amounts',
    (sharding) => {
      const opts = options({ accounts: 7, sharding, amountMax: 9, mix: { transfer: 1 } });
      const w = bankWorkload.create(opts, 3, 4); // 3 shards
      const rng = Prng.root(3).fork('workload');
      const ids = new Set<string>();
      for (let i = 0; i < 300; i++) {
        const op = w.next(i % 3, 'faulty', rng) as Extract<BankInput, { f: 'transfer' }>;
        const shard = (a: string) => shardOf(Number(a.slice(1)), 7, 3, sharding);
        expect(shard(op.from)).not.toBe(shard(op.to));
        expect(Number.isInteger(op.amount) && op.amount >= 1 && op.amount <= 9).toBe(true);
        expect(ids.has(op.id)).toBe(false);
        ids.add(op.id);
        expect(w.route?.(0, op, 4, rng)).toBe(0);
      }
    },
  );

  it('updates in the faulty phase only, and reads every balance once at the end', () => {
    const w = bankWorkload.create(options({}), 2, 3);
    const rng = Prng.root(1).fork('workload');
    expect(w.next(0, 'healed', rng)).toBeUndefined();
    expect(w.finalOps()).toEqual([
      { f: 'read', bank: { accounts: 8, balance: 100, sharding: 'modulo' } },
    ]);
  });

  it('spreads accounts over shards in blocks with range and round-robin with modulo', () => {
    expect([0, 1, 2, 3, 4, 5].map((i) => shardOf(i, 6, 3, 'range'))).toEqual([0, 0, 1, 1, 2, 2]);
    expect([0, 1, 2, 3, 4, 5].map((i) => shardOf(i, 6, 3, 'modulo'))).toEqual([0, 1, 2, 0, 1, 2]);
  });
});

describe('bank options', () => {
  const scenario = (workload: string) => `protocol: two-phase-commit
cluster: { nodes: 4 }
workload:
  type: bank
  clients: 2
${workload}
phases: { faulty: 1s, healed: 1s, final: 1s }
`;
  const errorsOf = (text: string) => {
    const r = parseScenario(text, 's.yaml');
    return r.ok ? [] : r.errors.map(formatScenarioError);
  };

  it('refuses a value out of range at its position', () => {
    expect(errorsOf(scenario('  amountMax: 0'))).toEqual([
      's.yaml:6:14 workload.amountMax: expected a whole number from 1 to 1000000, got 0',
    ]);
  });

  it('refuses fewer accounts than shards', () => {
    expect(errorsOf(scenario('  accounts: 2'))[0]).toMatch(
      /workload.accounts is 2, fewer than the 3 shards/,
    );
  });
});
