/**
 * A participant's lock table: strict two-phase locking (Bernstein, Hadzilacos & Goodman §3.2,
 * §3.8), shared locks for reads and exclusive locks for writes, every lock held until the
 * transaction commits or aborts, so the participants' schedules are serializable and, with every
 * participant holding its locks until the one decision, so is the global schedule (BHG §7.1).
 *
 * Deadlock is prevented by no-wait (BHG §3.11): a transaction that asks for a lock another holds
 * in a conflicting mode does not wait; it is refused, and its participant votes NO. Nothing ever
 * waits, so there is no waits-for cycle to detect; the price is aborts under contention.
 * All of a participant's locks for a transaction are asked for at once, at Prepare.
 */

interface AccountLock {
  /** The transaction holding it exclusively, or 0. */
  x: number;
  /** Transactions holding it shared. */
  readonly s: Set<number>;
}

export class LockTable {
  private readonly locks = new Map<string, AccountLock>();

  private lockOf(account: string): AccountLock {
    let l = this.locks.get(account);
    if (l === undefined) {
      l = { x: 0, s: new Set() };
      this.locks.set(account, l);
    }
    return l;
  }

  /** Grants every lock or none: false when one conflicts with another transaction's. */
  acquire(txn: number, reads: readonly string[], writes: readonly string[]): boolean {
    for (const a of reads) {
      const l = this.locks.get(a);
      if (l !== undefined && l.x !== 0 && l.x !== txn) return false;
    }
    for (const a of writes) {
      const l = this.locks.get(a);
      if (l === undefined) continue;
      if (l.x !== 0 && l.x !== txn) return false;
      for (const t of l.s) if (t !== txn) return false;
    }
    for (const a of reads) this.lockOf(a).s.add(txn);
    for (const a of writes) this.lockOf(a).x = txn;
    return true;
  }

  /** Drops the transaction's shared locks only (the early-read-lock-release bug). */
  releaseShared(txn: number, reads: readonly string[]): void {
    for (const a of reads) this.locks.get(a)?.s.delete(txn);
  }

  /** Drops every lock the transaction holds on these accounts. */
  release(txn: number, reads: readonly string[], writes: readonly string[]): void {
    this.releaseShared(txn, reads);
    for (const a of writes) {
      const l = this.locks.get(a);
      if (l?.x === txn) l.x = 0;
    }
  }

  /** How many transactions hold a lock here (for describeState). */
  holders(): number {
    const all = new Set<number>();
    for (const l of this.locks.values()) {
      if (l.x !== 0) all.add(l.x);
      for (const t of l.s) all.add(t);
    }
    return all.size;
  }
}
