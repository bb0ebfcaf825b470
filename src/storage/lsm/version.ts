/**
 * A version (LevelDB's `Version`): the open tables per level at one moment, immutable. Level 0
 * holds flushed tables newest first, with overlapping key ranges; each deeper level is one
 * sorted run of tables with disjoint ranges, sorted by smallest key. A flush or a compaction
 * makes a new version; readers that hold an old one (iterators, checkpoints) keep its tables
 * alive until they release it (`VersionRefs`), so a table is deleted only when no version in
 * use names it.
 *
 * A get (LevelDB's `Version::Get`) searches level 0 newest first, every table whose range holds
 * the key, then at most one table per deeper level, found by binary search: the first entry met
 * is the newest, because within a key each level holds only older versions than the one above.
 */
import type { DiskReader } from '../../core/protocol.js';
import { LEVELS } from './manifest.js';
import type { Entry } from './memtable.js';
import type { Corruption, TableMeta, TableReader } from './sstable.js';

/** The probe counters a get updates (a subset of the engine's stats). */
export interface ProbeStats {
  tablesProbed: number;
  bloomNegatives: number;
  bloomFalsePositives: number;
}

const covers = (t: TableMeta, key: string): boolean => key >= t.smallest && key <= t.largest;

/** Whether `t`'s range meets [smallest, largest]. */
const overlaps = (t: TableMeta, smallest: string, largest: string): boolean =>
  !(t.largest < smallest || t.smallest > largest);

export class Version {
  readonly levels: readonly (readonly TableReader[])[];

  constructor(levels: readonly (readonly TableReader[])[]) {
    this.levels = Array.from({ length: LEVELS }, (_, i) => levels[i] ?? []);
  }

  level(n: number): readonly TableReader[] {
    return this.levels[n] ?? [];
  }

  get tableCount(): number {
    return this.levels.reduce((n, l) => n + l.length, 0);
  }

  /** The table files this version names. */
  files(): string[] {
    return this.levels.flatMap((l) => l.map((t) => t.meta.file));
  }

  levelBytes(n: number): number {
    return this.level(n).reduce((b, t) => b + t.meta.bytes, 0);
  }

  /** The manifest's view of this version: table metadata per level. */
  metas(): TableMeta[][] {
    return this.levels.map((l) => l.map((t) => t.meta));
  }

  /** The version after a flush published `table` to level 0. */
  withFlushed(table: TableReader): Version {
    return new Version([[table, ...this.level(0)], ...this.levels.slice(1)]);
  }

  /** The version after a compaction of `level` replaced `inputs` by `outputs` one level down. */
  withCompaction(
    level: number,
    inputs: ReadonlySet<string>,
    outputs: readonly TableReader[],
  ): Version {
    const levels = this.levels.map((l) => l.filter((t) => !inputs.has(t.meta.file)));
    levels[level + 1] = [...(levels[level + 1] ?? []), ...outputs].sort((a, b) =>
      a.meta.smallest < b.meta.smallest ? -1 : 1,
    );
    return new Version(levels);
  }

  /** Tables of `level` whose ranges meet [smallest, largest]. */
  overlapping(level: number, smallest: string, largest: string): TableReader[] {
    return this.level(level).filter((t) => overlaps(t.meta, smallest, largest));
  }

  /**
   * LevelDB's `IsBaseLevelForKey`: no level below `level` has a table whose range holds `key`,
   * so a tombstone written at `level` hides nothing and may go.
   */
  isBaseLevelForKey(key: string, level: number): boolean {
    for (let n = level + 1; n < LEVELS; n++) {
      if (this.level(n).some((t) => covers(t.meta, key))) return false;
    }
    return true;
  }

  /** The tables a get of `key` may probe, in the order it probes them. */
  candidates(key: string): TableReader[] {
    const out = this.level(0).filter((t) => covers(t.meta, key));
    for (let n = 1; n < LEVELS; n++) {
      const t = findTable(this.level(n), key);
      if (t !== undefined) out.push(t);
    }
    return out;
  }

  /** The newest entry for `key` at or below `atSeq` in the tables, counting probes. */
  get(
    key: string,
    atSeq: number,
    disk: DiskReader,
    stats: ProbeStats,
  ): Entry | undefined | Corruption {
    for (const t of this.candidates(key)) {
      if (!t.mayContain(key)) {
        stats.bloomNegatives++;
        continue;
      }
      stats.tablesProbed++;
      const e = t.get(key, disk, atSeq);
      if (e === undefined) stats.bloomFalsePositives++;
      else return e;
    }
    return undefined;
  }
}

/** The table of a sorted, disjoint level whose range holds `key` (binary search). */
function findTable(level: readonly TableReader[], key: string): TableReader | undefined {
  let lo = 0;
  let hi = level.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((level[mid] as TableReader).meta.largest < key) lo = mid + 1;
    else hi = mid;
  }
  const t = level[lo];
  return t !== undefined && covers(t.meta, key) ? t : undefined;
}

/**
 * Which versions are in use, and so which table files must stay: the current version plus every
 * version a reader pinned (counted, since two iterators may pin the same one). A file dropped
 * from the current version waits in `obsolete` until no pinned version names it.
 */
export class VersionRefs {
  private readonly pinned = new Map<Version, number>();
  private readonly obsolete = new Set<string>();

  pin(v: Version): void {
    this.pinned.set(v, (this.pinned.get(v) ?? 0) + 1);
  }

  unpin(v: Version): void {
    const n = this.pinned.get(v) ?? 0;
    if (n <= 1) this.pinned.delete(v);
    else this.pinned.set(v, n - 1);
  }

  /** Marks files the current version no longer names. */
  retire(files: Iterable<string>): void {
    for (const f of files) this.obsolete.add(f);
  }

  /** The retired files no version in use names: safe to delete now; forgotten here. */
  deletable(current: Version): string[] {
    const used = new Set(current.files());
    for (const v of this.pinned.keys()) for (const f of v.files()) used.add(f);
    const out = [...this.obsolete].filter((f) => !used.has(f)).sort();
    for (const f of out) this.obsolete.delete(f);
    return out;
  }

  /** Retired files still kept for a pinned version. */
  get waiting(): number {
    return this.obsolete.size;
  }
}
