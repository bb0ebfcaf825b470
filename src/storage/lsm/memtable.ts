/**
 * The memtable: the newest writes, in memory, sorted by key (LevelDB's MemTable, a skip list
 * there; a sorted array with binary search here, which is plenty at simulation sizes). Each
 * entry is stamped with the write's sequence number; a delete is a tombstone entry (`value`
 * undefined), so it hides older versions of the key in SSTables until compaction may drop it.
 *
 * A key keeps only its newest entry unless a snapshot is held (`apply`'s `keepOlder`): then its
 * older versions stay too, newest first, so a read at the snapshot's sequence number finds the
 * version it saw. A flush writes the versions some snapshot still needs (compaction.ts).
 */
import { lowerBound } from '../../core/sorted-strings.js';
import { assert } from '../../core/assert.js';

/** One version of a key: a put (`value` set) or a tombstone (`value` undefined). */
export interface Entry {
  readonly key: string;
  readonly seq: number;
  readonly value: string | undefined;
}

const ALL = Number.POSITIVE_INFINITY;

export class Memtable {
  private readonly keys: string[] = [];
  /** Each key's versions, newest first. */
  private readonly entries = new Map<string, Entry[]>();
  /** Approximate encoded size of what it holds: keys, values and per-entry overhead. */
  bytes = 0;
  /** Highest sequence number applied; 0 when empty. */
  seqMax = 0;

  get size(): number {
    return this.keys.length;
  }

  /** Adds a version; older versions of the key are dropped unless `keepOlder` (a snapshot). */
  apply(entry: Entry, keepOlder = false): void {
    assert(entry.seq > this.seqMax, () => `memtable seq ${entry.seq} after ${this.seqMax}`);
    const old = this.entries.get(entry.key);
    if (old === undefined) this.keys.splice(lowerBound(this.keys, entry.key), 0, entry.key);
    else if (!keepOlder) for (const e of old) this.bytes -= entryBytes(e);
    this.entries.set(entry.key, keepOlder && old !== undefined ? [entry, ...old] : [entry]);
    this.bytes += entryBytes(entry);
    this.seqMax = entry.seq;
  }

  /** The key's newest version with a sequence number up to `atSeq`. */
  get(key: string, atSeq = ALL): Entry | undefined {
    return this.entries.get(key)?.find((e) => e.seq <= atSeq);
  }

  /** Newest entries at `atSeq` in key order, from `from` (inclusive) to `to` (exclusive). */
  *range(from = '', to?: string, atSeq = ALL): IterableIterator<Entry> {
    for (let i = lowerBound(this.keys, from); i < this.keys.length; i++) {
      const key = this.keys[i] as string;
      if (to !== undefined && key >= to) return;
      const e = this.get(key, atSeq);
      if (e !== undefined) yield e;
    }
  }

  /** Every version held, by key, newest first within a key: what a flush writes from. */
  versions(): Entry[] {
    return this.keys.flatMap((k) => this.entries.get(k) as Entry[]);
  }
}

/** Bytes an entry costs: its strings plus a small fixed overhead, as in the SSTable encoding. */
function entryBytes(e: Entry): number {
  return e.key.length + (e.value?.length ?? 0) + 16;
}
