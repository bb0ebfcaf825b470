/**
 * The memtable: the newest writes, in memory, sorted by key (LevelDB's MemTable, a skip list
 * there; a sorted array with binary search here, which is plenty at simulation sizes). Each key
 * keeps only its newest entry, stamped with the write's sequence number; a delete is a
 * tombstone entry (`value` undefined), so it hides older versions of the key in SSTables until
 * compaction may drop it.
 *
 * Left out: snapshots of older versions inside the memtable (no reader holds one in this slice).
 */
import { assert } from '../../core/assert.js';

/** One version of a key: a put (`value` set) or a tombstone (`value` undefined). */
export interface Entry {
  readonly key: string;
  readonly seq: number;
  readonly value: string | undefined;
}

/** Index of the first key >= `key` in the sorted `keys` (lower bound). */
export function lowerBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((keys[mid] as string) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class Memtable {
  private readonly keys: string[] = [];
  private readonly entries = new Map<string, Entry>();
  /** Approximate encoded size of what it holds: keys, values and per-entry overhead. */
  bytes = 0;
  /** Highest sequence number applied; 0 when empty. */
  seqMax = 0;

  get size(): number {
    return this.keys.length;
  }

  apply(entry: Entry): void {
    assert(entry.seq > this.seqMax, () => `memtable seq ${entry.seq} after ${this.seqMax}`);
    const old = this.entries.get(entry.key);
    if (old === undefined) this.keys.splice(lowerBound(this.keys, entry.key), 0, entry.key);
    else this.bytes -= entryBytes(old);
    this.entries.set(entry.key, entry);
    this.bytes += entryBytes(entry);
    this.seqMax = entry.seq;
  }

  get(key: string): Entry | undefined {
    return this.entries.get(key);
  }

  /** Entries in key order, from `from` (inclusive) to `to` (exclusive, or the end). */
  *range(from = '', to?: string): IterableIterator<Entry> {
    for (let i = lowerBound(this.keys, from); i < this.keys.length; i++) {
      const key = this.keys[i] as string;
      if (to !== undefined && key >= to) return;
      yield this.entries.get(key) as Entry;
    }
  }
}

/** Bytes an entry costs: its strings plus a small fixed overhead, as in the SSTable encoding. */
function entryBytes(e: Entry): number {
  return e.key.length + (e.value?.length ?? 0) + 16;
}
