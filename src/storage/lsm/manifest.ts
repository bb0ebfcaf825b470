/**
 * The manifest (LevelDB's version set, reduced to what the engine needs): the live tables per
 * level, the WAL position they cover and the next file number, as one checksummed record. A
 * flush adds a table to level 0; a compaction replaces its inputs by its outputs one level down.
 *
 * It is replaced atomically by the ALICE discipline (Pillai et al. OSDI'14): write the whole new
 * manifest to `MANIFEST.tmp`, fsync it, rename it over `MANIFEST`, fsync the directory. A crash
 * at any point leaves either the old manifest or the new one, both complete. LevelDB instead
 * appends edits to a `MANIFEST-n` log and swaps a `CURRENT` file naming the live log by the same
 * write-fsync-rename-fsync dance; since each of our manifests is a full snapshot rather than an
 * edit log, renaming the manifest itself is the equivalent with one file fewer.
 *
 * Torn tails cannot revive an old manifest (record-log.ts): each is a whole new file, never
 * appended to.
 *
 * `lastSeq` and `walNumber` are LevelDB's `last_sequence` and `log_number`: every write with a
 * sequence number up to `lastSeq` is in a table, and WAL segments numbered below `walNumber`
 * are no longer needed (recovery replays the rest, skipping sequence numbers it has).
 */
import { decodeRecords, encodeRecords } from '../../protocols/shared/record-log.js';
import type { TableMeta } from './sstable.js';

export interface Manifest {
  /** Counts manifest replacements: a trace reader sees which one recovery found. */
  readonly version: number;
  readonly lastSeq: number;
  readonly walNumber: number;
  readonly nextFile: number;
  /**
   * Live tables per level: level 0 newest first (their key ranges overlap), each deeper level
   * sorted by smallest key (its tables' ranges are disjoint).
   */
  readonly levels: readonly (readonly TableMeta[])[];
}

/** The number of levels, as in LevelDB (`config::kNumLevels`). */
export const LEVELS = 7;

export const EMPTY_MANIFEST: Manifest = Object.freeze({
  version: 0,
  lastSeq: 0,
  walNumber: 1,
  nextFile: 1,
  levels: Array.from({ length: LEVELS }, () => []),
});

/** Every table the manifest names, over all levels. */
export function manifestTables(m: Manifest): TableMeta[] {
  return m.levels.flat();
}

export function encodeManifest(m: Manifest): Uint8Array {
  return encodeRecords([m], 0).data;
}

/** The manifest in `bytes`, or undefined when they are not one whole, checksummed record. */
export function decodeManifest(bytes: Uint8Array): Manifest | undefined {
  const log = decodeRecords<Manifest>(bytes);
  return log.records.length === 1 && !log.tornTail ? log.records[0] : undefined;
}
