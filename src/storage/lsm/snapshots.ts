/**
 * Snapshots (LevelDB's `SnapshotList`): sequence numbers readers have pinned. A read at a
 * snapshot sees exactly the writes up to its sequence number, so while one is held the memtable
 * keeps a key's older versions and a flush or compaction keeps every version some snapshot can
 * still see; the oldest one held is the `smallestSnapshot` of the drop rule (compaction.ts).
 * Held as a count per sequence number, since several readers may pin the same one.
 */

/** A pinned point in the write history; release it with the engine's `release`. */
export interface Snapshot {
  readonly kind: 'snapshot';
  readonly seq: number;
}

export class SnapshotList {
  private readonly held = new Map<number, number>();

  get size(): number {
    return this.held.size;
  }

  acquire(seq: number): Snapshot {
    this.held.set(seq, (this.held.get(seq) ?? 0) + 1);
    return { kind: 'snapshot', seq };
  }

  release(s: Snapshot): void {
    const n = this.held.get(s.seq) ?? 0;
    if (n <= 1) this.held.delete(s.seq);
    else this.held.set(s.seq, n - 1);
  }

  /** The oldest sequence number held, or `latest` when none is. */
  smallest(latest: number): number {
    let min = latest;
    for (const seq of this.held.keys()) if (seq < min) min = seq;
    return min;
  }
}
