/**
 * Recovery after a crash or restart (LevelDB's DB::Recover): read the manifest, open the tables
 * it names (verifying footer, index and filter checksums), delete what a crash left half done
 * (temporary files, tables no manifest names, WAL segments the manifest says are covered), then
 * replay the WAL segments from the manifest's `walNumber` on, in order, applying only sequence
 * numbers past the manifest's `lastSeq`, into a fresh memtable.
 *
 * The outcome is either an engine state or a named corruption: a manifest, table or synced WAL
 * record that fails its checksum, or a gap in the sequence numbers. The engine refuses to serve
 * what it cannot trust rather than truncating it away; repairing from a replica is the
 * embedding protocol's business. A torn or missing WAL tail (writes never acknowledged as
 * durable) is dropped and counted.
 */
import type { DiskReader, Effect } from '../../core/protocol.js';
import { MANIFEST, MANIFEST_TMP, parseFileName, walFile } from './file-names.js';
import { decodeManifest, EMPTY_MANIFEST, manifestTables, type Manifest } from './manifest.js';
import { Memtable } from './memtable.js';
import { TableReader, type Corruption } from './sstable.js';
import { replaySegment } from './wal-replay.js';
import { firstSeq, recordEntries } from './write-ahead-log.js';

/** What recovery found, to build the engine from. */
export interface RecoveredState {
  readonly manifest: Manifest;
  /** Open tables per level, as the manifest lists them. */
  readonly levels: readonly (readonly TableReader[])[];
  readonly memtable: Memtable;
  readonly lastSeq: number;
  readonly nextFile: number;
  /** WAL segments on disk that recovery replayed (deleted once a flush covers them). */
  readonly segments: readonly number[];
}

export interface Recovery {
  readonly kind: 'recovered';
  readonly state: RecoveredState;
  /** WAL records applied to the memtable: the replay length. */
  readonly replayedRecords: number;
  /** Bytes of torn or missing tail dropped, over all segments. */
  readonly tornBytes: number;
}

const corrupt = (file: string, reason: string): Corruption => ({
  kind: 'corruption',
  file,
  reason,
});

/** Rebuilds the engine's state from `disk`, pushing deletes of leftovers onto `fx`. */
export function recover<M, O>(
  disk: DiskReader,
  fx: Effect<M, O>[],
  tagOf: () => number,
  stopAtBadRecord = false,
): Recovery | Corruption {
  const manifest = reread(() => readManifest(disk));
  if ('kind' in manifest) return manifest;
  const levels = openLevels(manifest, disk);
  if ('kind' in levels) return levels;
  const live = new Set(manifestTables(manifest).map((t) => t.file));
  const segments: number[] = [];
  let fileMax = 0;
  for (const name of disk.list()) {
    const f = parseFileName(name);
    if (f === undefined) continue;
    fileMax = Math.max(fileMax, f.n);
    const keep =
      f.kind === 'table' ? live.has(name) : f.kind === 'wal' && f.n >= manifest.walNumber;
    if (f.kind === 'wal' && keep) segments.push(f.n);
    if (!keep) fx.push({ type: 'diskDelete', file: name, tag: tagOf() });
  }
  if (disk.size(MANIFEST_TMP) !== undefined) {
    fx.push({ type: 'diskDelete', file: MANIFEST_TMP, tag: tagOf() });
  }
  segments.sort((a, b) => a - b);
  const replay = replayWal(disk, segments, manifest.lastSeq, stopAtBadRecord);
  if ('kind' in replay) return replay;
  return {
    kind: 'recovered',
    state: {
      manifest,
      levels,
      memtable: replay.memtable,
      lastSeq: replay.lastSeq,
      nextFile: Math.max(manifest.nextFile, fileMax + 1),
      segments,
    },
    replayedRecords: replay.records,
    tornBytes: replay.tornBytes,
  };
}

function openLevels(m: Manifest, disk: DiskReader): TableReader[][] | Corruption {
  const levels: TableReader[][] = [];
  for (const metas of m.levels) {
    const level: TableReader[] = [];
    for (const meta of metas) {
      const t = reread(() => TableReader.open(meta, disk));
      if ('kind' in t) return t;
      level.push(t);
    }
    levels.push(level);
  }
  return levels;
}

/**
 * A read that failed its checksum, tried again: a bit flipped in the copy read (a read fault)
 * does not repeat, corruption on the disk does. `READS_MAX` reads in all.
 */
function reread<T extends object>(read: () => T | Corruption): T | Corruption {
  let r = read();
  for (let i = 1; i < READS_MAX && 'kind' in r && r.kind === 'corruption'; i++) r = read();
  return r;
}

const READS_MAX = 10;

function readManifest(disk: DiskReader): Manifest | Corruption {
  if (disk.size(MANIFEST) === undefined) return EMPTY_MANIFEST;
  const r = disk.read(MANIFEST);
  if (!r.ok) return corrupt(MANIFEST, `unreadable: ${r.error}`);
  return decodeManifest(r.data) ?? corrupt(MANIFEST, 'checksum mismatch');
}

function replayWal(
  disk: DiskReader,
  segments: readonly number[],
  lastSeq: number,
  stopAtBadRecord: boolean,
): { memtable: Memtable; lastSeq: number; records: number; tornBytes: number } | Corruption {
  const memtable = new Memtable();
  let seq = lastSeq;
  let records = 0;
  let tornBytes = 0;
  for (const n of segments) {
    const file = walFile(n);
    const r = disk.read(file);
    if (!r.ok) return corrupt(file, `unreadable: ${r.error}`);
    const reread = () => {
      const again = disk.read(file);
      return again.ok ? again.data : undefined;
    };
    const seg = replaySegment(r.data, { reread, stopAtBadRecord });
    if (seg.kind === 'corruption') return corrupt(file, seg.reason);
    tornBytes += seg.tornBytes;
    for (const rec of seg.records) {
      if (rec.s <= seq) continue;
      const first = firstSeq(rec);
      if (first !== seq + 1) return corrupt(file, `sequence gap: ${seq} then ${first}`);
      for (const e of recordEntries(rec)) memtable.apply(e);
      seq = rec.s;
      records++;
    }
  }
  return { memtable, lastSeq: seq, records, tornBytes };
}
