/**
 * The lock workload's vocabulary, shared by its clients, the protocol that serves it (the lock
 * service) and the checker that judges it, as the bank's is in bank-ops.ts. A lock is a named
 * lease on a lock server in the style of Redis's `SET lock owner NX PX ttl`: `owner` is a value
 * unique to one acquisition (`c2.5`: client 2's 5th), so a renewal or a release names the lease
 * it means and cannot touch a later holder's. A grant carries a fencing token (Kleppmann, "How
 * to do distributed locking", 2016; Chubby's sequencers): a number that increases with every
 * grant of the lock, which the holder sends with each write to the protected store.
 *
 * The store keeps every write it judged, in the order it judged them, and the final `audit`
 * returns that list: like the bank's lists of applied transfers, it is what lets a checker see
 * which holders' writes the store took, and in which order.
 */

export type LockInput =
  /** Take the lock for `ttlMs` if no live lease holds it. */
  | { readonly f: 'acquire'; readonly lock: string; readonly owner: string; readonly ttlMs: number }
  /**
   * Write `value` to the store's key `lock` while the lease is believed held: the holder checks
   * its lease on its own clock, works for `workMs`, then writes with its fencing token.
   */
  | {
      readonly f: 'write';
      readonly lock: string;
      readonly owner: string;
      readonly value: string;
      readonly workMs: number;
    }
  /** Extend the lease `owner` holds by `ttlMs` from now, if it still holds it. */
  | { readonly f: 'renew'; readonly lock: string; readonly owner: string; readonly ttlMs: number }
  /** Delete the lease if `owner` still holds it. */
  | { readonly f: 'release'; readonly lock: string; readonly owner: string }
  /** Read the store's list of judged writes (the final operation). */
  | { readonly f: 'audit' };

/** One write the store judged: taken (`accepted`) or refused for a stale token. */
export interface StoreEntry {
  readonly key: string;
  readonly owner: string;
  readonly token: number;
  readonly value: string;
  readonly accepted: boolean;
}

/** An acquire's or renewal's answer: the lease's fencing token. */
export interface LockGrant {
  readonly token: number;
}

export interface StoreAudit {
  readonly entries: readonly StoreEntry[];
}

/** What an operation returns when it succeeds: a grant, an audit, or nothing. */
export type LockOutput = LockGrant | StoreAudit | null;

/** The layout every lock-service cluster has: who serves and who holds locks. */
export const LOCK_SERVER_INDEX = 0;
export const LOCK_STORE_INDEX = 1;
/** Nodes from this index on are lock clients (the processes that take locks). */
export const LOCK_CLIENTS_FROM = 2;
