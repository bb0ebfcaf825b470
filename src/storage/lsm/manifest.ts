/**
 * The manifest (LevelDB's version set, reduced to what this slice needs): the live tables, the
 * WAL position they cover and the next file number, as one checksummed record.
 *
 * It is replaced atomically by the ALICE discipline (Pillai et al. OSDI'14): write the whole new
 * manifest to `MANIFEST.tmp`, fsync it, rename it over `MANIFEST`, fsync the directory. A crash
 * at any point leaves either the old manifest or the new one, both complete. LevelDB instead
 * appends edits to a `MANIFEST-n` log and swaps a `CURRENT` file naming the live log by the same
 * write-fsync-rename-fsync dance; since each of our manifests is a full snapshot rather than an
 * edit log, renaming the manifest itself is the equivalent with one file fewer.
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
  /** Live tables, newest first (all in level 0 until compaction exists). */
  readonly tables: readonly TableMeta[];
}

export const EMPTY_MANIFEST: Manifest = Object.freeze({
  version: 0,
  lastSeq: 0,
  walNumber: 1,
  nextFile: 1,
  tables: [],
});

export function encodeManifest(m: Manifest): Uint8Array {
  return encodeRecords([m], 0).data;
}

/** The manifest in `bytes`, or undefined when they are not one whole, checksummed record. */
export function decodeManifest(bytes: Uint8Array): Manifest | undefined {
  const log = decodeRecords<Manifest>(bytes);
  return log.records.length === 1 && !log.tornTail ? log.records[0] : undefined;
}
