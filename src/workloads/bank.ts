/**
 * The bank workload (Jepsen's bank test, sharded): `accounts` accounts start at `balance` each,
 * spread over the shards of a transactional store by a sharding function; closed-loop clients
 * transfer a positive whole amount between two accounts on different shards (so every transfer
 * is a distributed transaction) or read every balance, and after healing one final read. Each
 * transfer has a unique id (`t2.17`: client 2's 17th), which the accounts' lists of applied
 * transfers record, so the serializability checker can order what reads saw
 * (checkers/serializability/bank.ts) and the atomicity checker can tell a half-applied transfer.
 *
 * The shards are the cluster's nodes but the first, which coordinates (two-phase commit's
 * layout): a cluster of n nodes has n - 1 shards. With one shard, transfers stay inside it.
 * Clients send everything to the coordinator. A transfer does not check for overdrafts: the
 * invariant judged is conservation, not solvency.
 */
import { z } from 'zod';
import {
  accountName,
  type BankInput,
  type BankLayout,
  type BankOutput,
  shardOf,
} from '../core/bank-ops.js';
import type { Prng } from '../core/prng.js';
import { intSchema } from '../options/units.js';
import { mixSchema, pickByWeight } from './replicated-clients.js';
import type { WorkloadDefinition } from './workload-definition.js';

const OPS = ['transfer', 'read'] as const;

export interface BankOptions extends BankLayout {
  readonly amountMax: number;
  readonly mix: Readonly<Record<(typeof OPS)[number], number>>;
}

const optionsSchema = z.strictObject({
  accounts: intSchema(2, 1000)
    .default(8)
    .describe('accounts a0..a(accounts-1), 2 to 1000, at least one per shard (default 8)'),
  balance: intSchema(0, 1_000_000_000)
    .default(100)
    .describe('every account’s balance before any transfer, 0 to 1000000000 (default 100)'),
  sharding: z
    .enum(['modulo', 'range'])
    .default('modulo')
    .describe(
      'how accounts spread over the shards (nodes but the first): modulo deals account i to shard i mod shards, range in contiguous blocks (default modulo)',
    ),
  amountMax: intSchema(1, 1_000_000)
    .default(5)
    .describe('each transfer moves 1..amountMax, 1 to 1000000 (default 5)'),
  mix: mixSchema({ transfer: 3, read: 1 }),
});

/** Accounts on each shard, by index. */
function accountsByShard(layout: BankLayout, shards: number): number[][] {
  const by = Array.from({ length: shards }, () => [] as number[]);
  for (let i = 0; i < layout.accounts; i++)
    by[shardOf(i, layout.accounts, shards, layout.sharding)]?.push(i);
  return by;
}

/** Two distinct accounts on different shards (any two, with one shard). */
function pickPair(by: readonly number[][], accounts: number, rng: Prng): [number, number] {
  const from = rng.int(0, accounts - 1);
  const others: number[] = [];
  const home = by.findIndex((s) => s.includes(from));
  for (let s = 0; s < by.length; s++) if (s !== home || by.length === 1) others.push(...by[s]!);
  const candidates = others.filter((i) => i !== from);
  return [from, rng.pick(candidates)];
}

export const bankWorkload: WorkloadDefinition<BankOptions, BankInput, BankOutput> = {
  name: 'bank',
  summary:
    'transfers of a positive amount between accounts on different shards, with unique ids, and reads of every balance; a final read after healing',
  hasClients: true,
  optionsSchema,
  create(options, clients, nodes) {
    const bank: BankLayout = {
      accounts: options.accounts,
      balance: options.balance,
      sharding: options.sharding,
    };
    const by = accountsByShard(bank, Math.max(1, nodes - 1));
    const made = new Array<number>(clients).fill(0);
    return {
      next(client, phase, rng): BankInput | undefined {
        if (phase !== 'faulty') return undefined;
        if (pickByWeight(options.mix, OPS, rng) === 'read') return { f: 'read', bank };
        const n = (made[client] ?? 0) + 1;
        made[client] = n;
        const [from, to] = pickPair(by, options.accounts, rng);
        const amount = rng.int(1, options.amountMax);
        const id = `t${client + 1}.${n}`;
        return { f: 'transfer', id, from: accountName(from), to: accountName(to), amount, bank };
      },
      finalOps: () => [{ f: 'read', bank }],
      opName: (op) => op.f,
      route: () => 0,
    };
  },
  formatOp: (op) =>
    op.input.f === 'transfer'
      ? `transfer(${op.input.id}: ${op.input.from} → ${op.input.to}, ${op.input.amount})`
      : 'read()',
};
