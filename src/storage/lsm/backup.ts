/**
 * Backups and point-in-time restore (after RocksDB's BackupEngine), on a backup target: another
 * simulated disk, or the engine's own disk under a prefix (`ckpt-` say: its directory is flat),
 * which the engine's recovery leaves alone since it parses only its own file names.
 *
 * - **A backup** saves a checkpoint (checkpoint.ts): each of its files whose bytes the target
 *   does not already hold is copied (write to `name.tmp`, fsync, rename, fsync the directory),
 *   then a `backup-n.meta` naming the checkpoint's manifest, its files and its sequence number
 *   is published the same way; a crash before that leaves no backup n, only files a later one
 *   may share. The first backup copies everything (full); later ones copy only the tables made
 *   since and the WAL segments that grew (incremental).
 * - **A point-in-time restore** to sequence number `s` starts from the latest backup whose
 *   tables hold nothing past `s` (manifest `lastSeq ≤ s`), replays the target's WAL segments
 *   from that manifest's position up to `s` (each segment no further than the latest backup that
 *   saved it vouched for), and writes the result to a fresh disk as the tables plus one table of
 *   the replayed writes plus a manifest: an image the engine opens like any other. Its new files
 *   are numbered past every file on the target, so backing the restored engine up to the same
 *   target never overwrites a file an older backup holds.
 * - Each backup records the virtual time it was taken (`atUs`): restore-point.ts maps a time to
 *   a sequence number through it.
 *
 * Both run as the host's synchronous tool (as RocksDB's BackupEngine runs beside the database),
 * not as effects in simulated time.
 */
import type { DiskReadResult, DiskReader } from '../../core/protocol.js';
import { decodeRecords, encodeRecords } from '../../protocols/shared/record-log.js';
import type { CheckpointImage } from './checkpoint.js';
import { MANIFEST, parseFileName, tableFile } from './file-names.js';
import { encodeManifest, type Manifest } from './manifest.js';
import { Memtable } from './memtable.js';
import { encodeTable, type Corruption } from './sstable.js';
import { replaySegment } from './wal-replay.js';
import { firstSeq, recordEntries } from './write-ahead-log.js';

/** What a backup target must do: a disk's reads, writes, fsyncs and renames (SimDisk has them). */
export interface BackupTarget extends DiskReader {
  write(file: string, offset: number, data: Uint8Array): { readonly ok: boolean };
  sync(file: string): { readonly ok: boolean };
  rename(from: string, to: string): { readonly ok: boolean };
  syncDir(): { readonly ok: boolean };
}

export interface BackupMeta {
  readonly id: number;
  readonly seq: number;
  /** The virtual time it was taken: what maps a point in time to a sequence number. */
  readonly atUs?: number;
  readonly manifest: Manifest;
  readonly files: readonly string[];
}

export interface BackupResult {
  readonly id: number;
  readonly seq: number;
  readonly filesCopied: number;
  readonly bytesCopied: number;
  /** Files the target already held, byte for byte, from an earlier backup. */
  readonly filesShared: number;
  /** The first backup on the target: it copied everything. */
  readonly full: boolean;
  /** The checkpoint's bytes: what a full backup would have copied. */
  readonly checkpointBytes: number;
}

const metaFile = (prefix: string, id: number) =>
  `${prefix}backup-${String(id).padStart(6, '0')}.meta`;
const WRITE_TRIES = 3;

/** The backups on `target` under `prefix`, oldest first (a damaged meta is not a backup). */
export function listBackups(target: DiskReader, prefix = ''): BackupMeta[] {
  const out: BackupMeta[] = [];
  for (const name of target.list()) {
    const m = /^backup-(\d+)\.meta$/.exec(name.slice(prefix.length));
    if (!name.startsWith(prefix) || m === null) continue;
    const r = target.read(name);
    const log = r.ok ? decodeRecords<BackupMeta>(r.data) : undefined;
    if (log?.records.length === 1 && !log.tornTail) out.push(log.records[0] as BackupMeta);
  }
  return out.sort((a, b) => a.id - b.id);
}

/** Saves `image` as the next backup on `target`; an error when the target keeps failing. */
export function backup(
  target: BackupTarget,
  image: CheckpointImage,
  prefix = '',
  atUs = 0,
): BackupResult | { readonly kind: 'error'; readonly reason: string } {
  const id = (listBackups(target, prefix).at(-1)?.id ?? 0) + 1;
  let filesCopied = 0;
  let bytesCopied = 0;
  for (const [name, data] of image.files) {
    if (sameBytes(target.read(prefix + name), data)) continue;
    if (!publish(target, prefix + name, data)) return failed(prefix + name);
    filesCopied++;
    bytesCopied += data.length;
  }
  const meta: BackupMeta = {
    id,
    seq: image.seq,
    atUs,
    manifest: image.manifest,
    files: [...image.files.keys()],
  };
  const file = metaFile(prefix, id);
  if (!publish(target, file, encodeRecords([meta], 0).data)) return failed(file);
  return {
    id,
    seq: image.seq,
    filesCopied,
    bytesCopied,
    filesShared: image.files.size - filesCopied,
    full: id === 1,
    checkpointBytes: [...image.files.values()].reduce((n, d) => n + d.length, 0),
  };
}

const failed = (file: string) => ({
  kind: 'error' as const,
  reason: `${file}: fsync kept failing`,
});

function sameBytes(r: DiskReadResult, data: Uint8Array): boolean {
  return r.ok && r.data.length === data.length && r.data.every((b, i) => b === data[i]);
}

/** write → fsync → rename → fsync dir; a failed fsync writes the whole file again. */
function publish(target: BackupTarget, file: string, data: Uint8Array): boolean {
  const tmp = `${file}.tmp`;
  for (let i = 0; i < WRITE_TRIES; i++) {
    if (!target.write(tmp, 0, data).ok) return false;
    if (target.sync(tmp).ok) return target.rename(tmp, file).ok && target.syncDir().ok;
  }
  return false;
}

/** What a restore built, or why it could not. */
export type RestoreResult =
  | {
      readonly kind: 'restored';
      readonly seq: number;
      readonly fromBackup: number;
      readonly bytesCopied: number;
    }
  | { readonly kind: 'error'; readonly reason: string }
  | Corruption;

/**
 * Restores the state at sequence number `upTo` (default: the latest backup's) from the backups
 * on `target` onto the empty disk `dest`.
 */
export function restore(
  target: DiskReader,
  dest: BackupTarget,
  opts: {
    readonly upTo?: number;
    readonly prefix?: string;
    readonly blockBytes: number;
    /** The named bug `restore-skips-wal-replay`: the base backup's tables alone, claimed whole. */
    readonly skipWalReplay?: boolean;
  },
): RestoreResult {
  const prefix = opts.prefix ?? '';
  const backups = listBackups(target, prefix);
  const upTo = opts.upTo ?? backups.at(-1)?.seq ?? 0;
  const base = backups.filter((b) => b.manifest.lastSeq <= upTo).at(-1);
  if (base === undefined)
    return { kind: 'error', reason: `no backup has tables at or before seq ${upTo}` };
  const replay = opts.skipWalReplay
    ? { memtable: new Memtable(), seq: upTo }
    : replayBackups(target, prefix, backups, base.manifest, upTo);
  if ('kind' in replay) return replay;
  if (replay.seq < upTo) {
    return { kind: 'error', reason: `the backups' WAL reaches seq ${replay.seq}, not ${upTo}` };
  }
  const written = writeImage(target, dest, prefix, base.manifest, replay.memtable, opts.blockBytes);
  if (typeof written !== 'number') return written;
  return { kind: 'restored', seq: replay.seq, fromBackup: base.id, bytesCopied: written };
}

/** Replays every saved segment from the manifest's position, each up to what vouched for it. */
function replayBackups(
  target: DiskReader,
  prefix: string,
  backups: readonly BackupMeta[],
  base: Manifest,
  upTo: number,
): { memtable: Memtable; seq: number } | Corruption {
  const vouched = new Map<string, number>();
  for (const b of backups) for (const f of b.files) vouched.set(f, b.seq);
  const segments = [...vouched.keys()]
    .map((f) => ({ f, p: parseFileName(f) }))
    .filter(({ p }) => p?.kind === 'wal' && p.n >= base.walNumber)
    .sort((a, b) => (a.p?.n ?? 0) - (b.p?.n ?? 0));
  const memtable = new Memtable();
  let seq = base.lastSeq;
  for (const { f } of segments) {
    const r = target.read(prefix + f);
    if (!r.ok) return { kind: 'corruption', file: prefix + f, reason: `unreadable: ${r.error}` };
    const seg = replaySegment(r.data);
    if (seg.kind === 'corruption')
      return { kind: 'corruption', file: prefix + f, reason: seg.reason };
    const limit = Math.min(upTo, vouched.get(f) ?? 0);
    for (const rec of seg.records) {
      if (firstSeq(rec) !== seq + 1 || rec.s > limit) continue;
      for (const e of recordEntries(rec)) memtable.apply(e);
      seq = rec.s;
    }
  }
  return { memtable, seq };
}

/**
 * The base's tables, a table of the replayed writes on top, and the manifest naming them; the
 * bytes written, or why not.
 */
function writeImage(
  target: DiskReader,
  dest: BackupTarget,
  prefix: string,
  base: Manifest,
  replayed: Memtable,
  blockBytes: number,
): RestoreResult | number {
  let bytes = 0;
  for (const t of base.levels.flat()) {
    const r = target.read(prefix + t.file);
    if (!r.ok)
      return { kind: 'corruption', file: prefix + t.file, reason: `unreadable: ${r.error}` };
    if (!publish(dest, t.file, r.data)) return failed(t.file);
    bytes += r.data.length;
  }
  // Past every number on the target, so the restored engine's new files never take the name of
  // a file some backup there holds (a later backup would overwrite it).
  const n = Math.max(base.nextFile, fileNumberMax(target, prefix) + 1);
  const [level0 = [], ...deeper] = base.levels;
  let levels = base.levels;
  if (replayed.size > 0) {
    const t = encodeTable(tableFile(n), replayed.versions(), blockBytes, 10);
    if (!publish(dest, t.meta.file, t.data)) return failed(t.meta.file);
    bytes += t.data.length;
    levels = [[t.meta, ...level0], ...deeper];
  }
  const manifest: Manifest = {
    version: base.version + 1,
    lastSeq: Math.max(base.lastSeq, replayed.seqMax),
    walNumber: n + 1,
    nextFile: n + 2,
    levels,
  };
  const m = encodeManifest(manifest);
  return publish(dest, MANIFEST, m) ? bytes + m.length : failed(MANIFEST);
}

/** The highest table or WAL segment number among the target's files under `prefix`. */
function fileNumberMax(target: DiskReader, prefix: string): number {
  let max = 0;
  for (const name of target.list()) {
    if (!name.startsWith(prefix)) continue;
    max = Math.max(max, parseFileName(name.slice(prefix.length))?.n ?? 0);
  }
  return max;
}
