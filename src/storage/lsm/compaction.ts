/**
 * Leveled compaction's decisions (LevelDB's `VersionSet::PickCompaction` and
 * `DBImpl::DoCompactionWork`), as pure functions: which tables to compact, and what the merge
 * of their entries keeps. Publishing the outputs is compaction-job.ts's.
 *
 * - **Score.** Level 0's is its table count over `level0CompactionTrigger` (its tables overlap,
 *   so a get pays for each); level n's is its bytes over its target, `level1BytesMax` ×
 *   `levelFanout`^(n-1). The level with the highest score ≥ 1 is compacted.
 * - **Inputs.** From level 0, every table (they overlap one another); from level n, one table,
 *   taken round-robin after the last key compacted there (LevelDB's compact pointer). To them go
 *   the tables of the next level whose ranges overlap the inputs' combined range.
 * - **Merge.** Entries in key order, newest first within a key. A version is dropped when a
 *   newer version of its key is visible to every snapshot (`seq ≤ smallestSnapshot` for the
 *   newer one); a tombstone is dropped only under LevelDB's rule: it is a deletion, every
 *   snapshot sees it (`seq ≤ smallestSnapshot`) and no deeper level can hold the key
 *   (`IsBaseLevelForKey`). Without the last check an older version below comes back: research
 *   item 25, leveldb#184, the mutation `tombstone-dropped-early`.
 * - **Outputs.** Cut into tables at the first key boundary past `tableBytesMax`.
 */
import { assert } from '../../core/assert.js';
import type { DiskReader } from '../../core/protocol.js';
import { tableFile } from './file-names.js';
import type { LsmOptions } from './lsm-options.js';
import { LEVELS } from './manifest.js';
import type { Entry } from './memtable.js';
import { encodeTable, TableReader, type Corruption, type TableMeta } from './sstable.js';
import type { Version } from './version.js';

/** A compaction chosen: `inputs` from `level`, `overlapped` from `level + 1`. */
interface CompactionPick {
  readonly level: number;
  readonly inputs: readonly TableReader[];
  readonly overlapped: readonly TableReader[];
}

/** Level n's target bytes (n ≥ 1). */
function levelTargetBytes(o: LsmOptions, level: number): number {
  return o.level1BytesMax * o.levelFanout ** (level - 1);
}

/** Each level's score (the last level has none: there is nowhere to compact it to). */
function compactionScores(v: Version, o: LsmOptions): number[] {
  const scores = [v.level(0).length / o.level0CompactionTrigger];
  for (let n = 1; n < LEVELS - 1; n++) scores.push(v.levelBytes(n) / levelTargetBytes(o, n));
  return scores;
}

/** The level most in need of compaction, or undefined when every score is below 1. */
export function levelToCompact(v: Version, o: LsmOptions): number | undefined {
  const scores = compactionScores(v, o);
  let best: number | undefined;
  scores.forEach((s, n) => {
    if (s >= 1 && (best === undefined || s > (scores[best] as number))) best = n;
  });
  return best;
}

/**
 * The inputs for compacting `level`: all of level 0, or the first table of level n past
 * `pointer` (wrapping round), with the overlapping tables of the next level. Undefined when the
 * level is empty. `all` takes the whole level (a manual compaction, LevelDB's CompactRange).
 */
function pickInputs(
  v: Version,
  level: number,
  pointer: string | undefined,
  all = false,
): CompactionPick | undefined {
  const tables = v.level(level);
  if (tables.length === 0 || level >= LEVELS - 1) return undefined;
  const inputs =
    level === 0 || all
      ? tables
      : [tables.find((t) => pointer === undefined || t.meta.smallest > pointer) ?? tables[0]];
  const picked = inputs as TableReader[];
  const smallest = picked.map((t) => t.meta.smallest).sort()[0] as string;
  const largest = lastKey(picked);
  return { level, inputs: picked, overlapped: v.overlapping(level + 1, smallest, largest) };
}

/** The largest key of the tables. */
function lastKey(tables: readonly TableReader[]): string {
  return tables.map((t) => t.meta.largest).sort()[tables.length - 1] as string;
}

/** Every entry of the tables, in key order and newest first within a key; or a corruption. */
function readInputs(tables: readonly TableReader[], disk: DiskReader): Entry[] | Corruption {
  const all: Entry[] = [];
  for (const t of tables) {
    const entries = t.entries(disk);
    if ('kind' in entries) return entries;
    all.push(...entries);
  }
  return all.sort(byKeyNewestFirst);
}

function byKeyNewestFirst(a: Entry, b: Entry): number {
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  return b.seq - a.seq;
}

/** How a merge decides what it may drop. */
export interface DropRule {
  /** The oldest sequence number a reader may still read at (LevelDB's smallest_snapshot). */
  readonly smallestSnapshot: number;
  /** No deeper level can hold the key (always false for a flush: every level is deeper). */
  readonly isBaseLevelForKey: (key: string) => boolean;
  /** The `tombstone-dropped-early` mutation: skip the base-level check. */
  readonly skipBaseLevelCheck?: boolean;
}

/** The entries a merge keeps, in order (LevelDB's DoCompactionWork drop loop). */
export function keepEntries(sorted: readonly Entry[], rule: DropRule): Entry[] {
  const kept: Entry[] = [];
  let key: string | undefined;
  let lastSeqForKey = Number.POSITIVE_INFINITY;
  for (const e of sorted) {
    if (e.key !== key) {
      key = e.key;
      lastSeqForKey = Number.POSITIVE_INFINITY;
    }
    const shadowed = lastSeqForKey <= rule.smallestSnapshot;
    const deadTombstone =
      e.value === undefined &&
      e.seq <= rule.smallestSnapshot &&
      (rule.skipBaseLevelCheck === true || rule.isBaseLevelForKey(e.key));
    if (!shadowed && !deadTombstone) kept.push(e);
    lastSeqForKey = e.seq;
  }
  return kept;
}

/** Entries cut into output tables at key boundaries once a table passes `bytesMax`. */
function splitOutputs(entries: readonly Entry[], bytesMax: number): Entry[][] {
  const out: Entry[][] = [];
  let current: Entry[] = [];
  let bytes = 0;
  entries.forEach((e, i) => {
    current.push(e);
    bytes += e.key.length + (e.value?.length ?? 0) + 17;
    const next = entries[i + 1];
    if (next === undefined || (bytes >= bytesMax && next.key !== e.key)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
  });
  return out;
}

/** A compaction planned: its inputs and its output tables, encoded and opened. */
export interface CompactionPlan {
  readonly level: number;
  readonly inputs: readonly TableReader[];
  readonly outputs: readonly {
    readonly number: number;
    readonly data: Uint8Array;
    readonly meta: TableMeta;
    readonly reader: TableReader;
  }[];
  /** The largest input key of `level`: where the next compaction there starts after. */
  readonly pointer: string;
}

/** What planning a compaction needs from the engine. */
export interface PlanContext {
  readonly version: Version;
  readonly options: LsmOptions;
  readonly pointer: string | undefined;
  readonly smallestSnapshot: number;
  readonly nextNumber: () => number;
}

/** Picks, reads and merges a compaction of `level` (all of it with `all`), encoding outputs. */
export function planCompaction(
  c: PlanContext,
  level: number,
  all: boolean,
  disk: DiskReader,
): CompactionPlan | Corruption | undefined {
  const pick = pickInputs(c.version, level, c.pointer, all);
  if (pick === undefined) return undefined;
  const inputs = [...pick.inputs, ...pick.overlapped];
  const entries = readInputs(inputs, disk);
  if ('kind' in entries) return entries;
  const kept = keepEntries(entries, {
    smallestSnapshot: c.smallestSnapshot,
    isBaseLevelForKey: (key) => c.version.isBaseLevelForKey(key, level + 1),
    skipBaseLevelCheck: c.options.mutations?.has('tombstone-dropped-early') === true,
  });
  const outputs = splitOutputs(kept, c.options.tableBytesMax).map((run) => {
    const number = c.nextNumber();
    const t = encodeTable(tableFile(number), run, c.options.blockBytes, c.options.bloomBitsPerKey);
    const reader = TableReader.fromEncoded(t.meta, t.data);
    assert(!('kind' in reader), 'a table just encoded must open');
    return { number, ...t, reader };
  });
  const pointer = lastKey(pick.inputs);
  return { level, inputs, outputs, pointer };
}
