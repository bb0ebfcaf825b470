/**
 * An iterator over the engine at one sequence number (LevelDB's `DBIter` over a
 * `MergingIterator`): the live entries with `from <= key < to`, in key order, each the newest
 * version at or below the snapshot's sequence number, tombstones hiding older versions.
 *
 * Its sources are the memtable and immutable memtable, copied at creation (their versions up to
 * the snapshot, which stay fixed), and the tables of the version current at creation, read a
 * data block at a time as the iterator advances. The engine pins that version and the snapshot
 * until the iterator is released, so a concurrent flush or compaction neither deletes a table
 * it will still read nor drops a version it must return: the view stays consistent however the
 * tree changes underneath.
 */
import type { DiskReader } from '../../core/protocol.js';
import type { Entry } from './memtable.js';
import type { Snapshot } from './snapshots.js';
import type { Corruption, TableReader } from './sstable.js';
import type { Version } from './version.js';

/** A sorted source of entries: key ascending, newest first within a key. */
interface Source {
  /** The current entry, or undefined when exhausted, or a corruption met reading ahead. */
  head(): Entry | undefined | Corruption;
  advance(): void;
}

class ArraySource implements Source {
  private at = 0;

  constructor(private readonly entries: readonly Entry[]) {}

  head(): Entry | undefined {
    return this.entries[this.at];
  }

  advance(): void {
    this.at++;
  }
}

/** A table's entries from the first block that may hold `from`, one block read at a time. */
class TableSource implements Source {
  private block: Entry[] = [];
  private at = 0;
  private nextBlock: number;
  private failed: Corruption | undefined;

  constructor(
    private readonly table: TableReader,
    private readonly disk: DiskReader,
    private readonly from: string,
  ) {
    this.nextBlock = table.blockFor(from);
  }

  head(): Entry | undefined | Corruption {
    while (this.failed === undefined && this.at >= this.block.length) {
      if (this.nextBlock >= this.table.blockCount) return undefined;
      const b = this.table.block(this.nextBlock++, this.disk);
      if ('kind' in b) this.failed = b;
      else {
        this.block = b.filter((e) => e.key >= this.from);
        this.at = 0;
      }
    }
    return this.failed ?? this.block[this.at];
  }

  advance(): void {
    this.at++;
  }
}

export class LsmIterator {
  readonly kind = 'iterator';
  private readonly sources: Source[];
  private lastKey: string | undefined;
  private done = false;

  constructor(
    readonly snapshot: Snapshot,
    readonly version: Version,
    memtables: readonly Entry[][],
    disk: DiskReader,
    from: string,
    private readonly to: string | undefined,
  ) {
    const inRange = (e: Entry) => e.seq <= snapshot.seq && e.key >= from && this.before(e.key);
    this.sources = [
      ...memtables.map((m) => new ArraySource(m.filter(inRange))),
      ...version.levels.flat().map((t) => new TableSource(t, disk, from)),
    ];
  }

  private before(key: string): boolean {
    return this.to === undefined || key < this.to;
  }

  /** The next live entry, undefined at the end, or a corruption in a table read. */
  next(): Entry | undefined | Corruption {
    while (!this.done) {
      const e = this.pop();
      if (e === undefined || 'kind' in e || !this.before(e.key)) {
        this.done = true;
        return e !== undefined && 'kind' in e ? e : undefined;
      }
      if (e.seq > this.snapshot.seq || e.key === this.lastKey) continue;
      this.lastKey = e.key;
      if (e.value !== undefined) return e;
    }
    return undefined;
  }

  /** Every remaining live entry, or the first corruption. */
  rest(): Entry[] | Corruption {
    const out: Entry[] = [];
    for (let e = this.next(); e !== undefined; e = this.next()) {
      if ('kind' in e) return e;
      out.push(e);
    }
    return out;
  }

  /** Takes the smallest head over the sources (key ascending, newest first). */
  private pop(): Entry | undefined | Corruption {
    let best: Source | undefined;
    let bestEntry: Entry | undefined;
    for (const s of this.sources) {
      const h = s.head();
      if (h !== undefined && 'kind' in h) return h;
      if (h === undefined) continue;
      if (
        bestEntry === undefined ||
        h.key < bestEntry.key ||
        (h.key === bestEntry.key && h.seq > bestEntry.seq)
      ) {
        best = s;
        bestEntry = h;
      }
    }
    best?.advance();
    return bestEntry;
  }
}
