/**
 * The bank workload's vocabulary, shared by its clients, the protocols that serve it (two-phase
 * commit) and the checkers that judge it, as kv's is in history.ts: accounts `a0`..`a(n-1)`, each
 * starting at the same balance and kept on one shard, transfers between two accounts and reads of
 * every balance. Each account also keeps the ids of the transfers applied to it, in order, and a
 * read returns both (the serializability checker's `BankOp` reads), because bare balances say
 * nothing about which transfers a reader saw.
 *
 * Every operation carries the bank's layout (how many accounts, their initial balance, the
 * sharding function), as a client library carries the catalogue of a sharded database: the
 * coordinator routes by it and the checkers know the total that must be conserved.
 */

export type Sharding = 'modulo' | 'range';

export interface BankLayout {
  readonly accounts: number;
  /** Every account's balance before any transfer. */
  readonly balance: number;
  readonly sharding: Sharding;
}

export type BankInput =
  | {
      readonly f: 'transfer';
      /** Unique per transfer: what the accounts' lists of applied transfers record. */
      readonly id: string;
      readonly from: string;
      readonly to: string;
      /** A positive integer, moved from `from` to `to`. */
      readonly amount: number;
      readonly bank: BankLayout;
    }
  | { readonly f: 'read'; readonly bank: BankLayout };

/** One account as a read saw it: its balance and the transfers applied to it, in order. */
export interface AccountRead {
  readonly balance: number;
  readonly applied: readonly string[];
}

/** A read's output: every account by name; a transfer's is `{}`. */
export type BankOutput = Readonly<Record<string, AccountRead>>;

export const accountName = (i: number): string => `a${i}`;

/**
 * The shard (0-based) holding account `i` of `accounts` over `shards` shards: `modulo` deals
 * them round-robin (a hash-sharded table), `range` in contiguous blocks (a range-sharded one).
 */
export function shardOf(i: number, accounts: number, shards: number, sharding: Sharding): number {
  return sharding === 'modulo' ? i % shards : Math.floor((i * shards) / accounts);
}
