/**
 * The configurations the search has visited, kept in typed arrays so a configuration costs no
 * allocation (DESIGN §1). A configuration is a bitset of linearized operations and an interned
 * model-state key. The bitset has two parts:
 *
 * - the first `exactWords` words: operations with a return (known ones), compared exactly;
 * - the rest: the pool of operations left open forever (unknown ones that change the state).
 *   The search uses them in a canonical order, so a smaller set means fewer of them used, and a
 *   configuration that has used a subset of another's pool, with the same known set and state,
 *   can do everything the other can: the larger one is dominated and need not be explored.
 *
 * `add` answers "seen or dominated?" and records the configuration if not. Each configuration
 * lives in one slot of parallel arrays (hash, key id, bitset in `arena` at slot × words);
 * `table` is an open-addressing index of slot + 1 (0: empty), linear probing, at most half full.
 */

/** A deterministic 32-bit value per operation for Zobrist hashing (splitmix-style). */
export function zobrist(n: number): Int32Array {
  const z = new Int32Array(n);
  let x = 0x2545f491;
  for (let i = 0; i < n; i++) {
    x = (x + 0x9e3779b9) | 0;
    let t = x;
    t = Math.imul(t ^ (t >>> 16), 0x85ebca6b);
    t = Math.imul(t ^ (t >>> 13), 0xc2b2ae35);
    z[i] = t ^ (t >>> 16);
  }
  return z;
}

export class VisitedSet {
  /** Groups: one per (exact words, key), with the head of its list of pool sets. */
  private hashes: Int32Array;
  private keys: Int32Array;
  private exact: Uint32Array;
  private heads: Int32Array;
  private table: Int32Array;
  private mask: number;
  private groups = 0;
  /** Pool sets: `poolWords` words each, chained per group (next entry, -1 at the end). */
  private pool: Uint32Array;
  private chain: Int32Array;
  private entries = 0;
  private readonly poolWords: number;

  /** `hash` given to `add` must depend only on the exact words and the key. */
  constructor(
    words: number,
    private readonly exactWords: number,
    /** The broken variant the tests must catch: dominance taken the wrong way round. */
    private readonly reversed = false,
  ) {
    this.poolWords = words - exactWords;
    const slots = 64;
    this.hashes = new Int32Array(slots);
    this.keys = new Int32Array(slots);
    this.exact = new Uint32Array(slots * exactWords);
    this.heads = new Int32Array(slots);
    this.table = new Int32Array(slots * 2);
    this.mask = slots * 2 - 1;
    this.pool = new Uint32Array(this.poolWords === 0 ? 0 : slots * this.poolWords);
    this.chain = new Int32Array(this.poolWords === 0 ? 0 : slots);
  }

  /** Records (bits, key); false if it, or a configuration that dominates it, was recorded. */
  add(bits: Uint32Array, hash: number, key: number): boolean {
    const group = this.find(bits, hash, key);
    if (group < 0) {
      const g = this.insertGroup(bits, hash, key, ~group);
      if (this.poolWords > 0) this.heads[g] = this.insertEntry(bits, -1);
      return true;
    }
    if (this.poolWords === 0) return false;
    for (let e = this.heads[group] as number; e >= 0; e = this.chain[e] as number)
      if (this.subset(e, bits)) return false;
    this.heads[group] = this.insertEntry(bits, this.heads[group] as number);
    return true;
  }

  /** The group of (bits, key), or ~(table index where it would go). */
  private find(bits: Uint32Array, hash: number, key: number): number {
    const { table, hashes, keys, mask, exact, exactWords } = this;
    let i = hash;
    for (;;) {
      i &= mask;
      const g = (table[i] as number) - 1;
      if (g < 0) return ~i;
      if (hashes[g] === hash && keys[g] === key) {
        let w = 0;
        const base = g * exactWords;
        while (w < exactWords && exact[base + w] === bits[w]) w++;
        if (w === exactWords) return g;
      }
      i++;
    }
  }

  /** Whether pool set e is a subset of the pool part of `bits` (it used no more of each class). */
  private subset(e: number, bits: Uint32Array): boolean {
    const { pool, poolWords, exactWords } = this;
    const base = e * poolWords;
    for (let w = 0; w < poolWords; w++) {
      const seen = pool[base + w] as number;
      const now = bits[exactWords + w] as number;
      if ((this.reversed ? now & ~seen : seen & ~now) !== 0) return false;
    }
    return true;
  }

  private insertGroup(bits: Uint32Array, hash: number, key: number, at: number): number {
    if (this.groups === this.hashes.length) {
      this.growGroups();
      at = ~this.find(bits, hash, key);
    }
    const g = this.groups++;
    this.table[at] = g + 1;
    this.hashes[g] = hash;
    this.keys[g] = key;
    const base = g * this.exactWords;
    for (let w = 0; w < this.exactWords; w++) this.exact[base + w] = bits[w] as number;
    return g;
  }

  private insertEntry(bits: Uint32Array, next: number): number {
    if (this.entries === this.chain.length) {
      const chain = new Int32Array(this.chain.length * 2);
      chain.set(this.chain);
      const pool = new Uint32Array(chain.length * this.poolWords);
      pool.set(this.pool);
      this.chain = chain;
      this.pool = pool;
    }
    const e = this.entries++;
    this.chain[e] = next;
    const base = e * this.poolWords;
    for (let w = 0; w < this.poolWords; w++)
      this.pool[base + w] = bits[this.exactWords + w] as number;
    return e;
  }

  private growGroups(): void {
    const slots = this.hashes.length * 2;
    const grown = <T extends Int32Array | Uint32Array>(a: T, make: (n: number) => T, k = 1) => {
      const b = make(slots * k);
      b.set(a);
      return b;
    };
    this.hashes = grown(this.hashes, (n) => new Int32Array(n));
    this.keys = grown(this.keys, (n) => new Int32Array(n));
    this.heads = grown(this.heads, (n) => new Int32Array(n));
    this.exact = grown(this.exact, (n) => new Uint32Array(n), this.exactWords);
    const table = new Int32Array(slots * 2);
    const mask = slots * 2 - 1;
    for (let g = 0; g < this.groups; g++) {
      let i = this.hashes[g] as number;
      for (;;) {
        i &= mask;
        if (table[i] === 0) break;
        i++;
      }
      table[i] = g + 1;
    }
    this.table = table;
    this.mask = mask;
  }
}
