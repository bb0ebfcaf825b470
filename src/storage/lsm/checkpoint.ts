/**
 * A checkpoint (RocksDB's `Checkpoint::CreateCheckpoint`): a consistent copy of the engine at a
 * sequence number, made of the installed manifest, the tables it names and the WAL segments
 * after it. The tables alone hold every write up to the manifest's `lastSeq`; the segments carry
 * it on to `seq`, the engine's `durableSeq` when the checkpoint was taken, and a restore replays
 * them no further than that (records past it were never acknowledged as durable and may have
 * been lost since).
 *
 * The simulated disk has no hard links, so a checkpoint is a copy: captured in memory in one
 * step (the tables are immutable and the segments only grow, so what is read is consistent), and
 * saved where the caller says (backup.ts: the same disk under a prefix, or another disk).
 */
import type { DiskReader } from '../../core/protocol.js';
import { walFile } from './file-names.js';
import { manifestTables, type Manifest } from './manifest.js';
import type { Corruption } from './sstable.js';

export interface CheckpointImage {
  /** Every write up to this sequence number is in the image, and none is trusted past it. */
  readonly seq: number;
  readonly manifest: Manifest;
  /** Table files and WAL segments by name, whole. */
  readonly files: ReadonlyMap<string, Uint8Array>;
}

/** Reads the manifest's tables and the segments from `walNumber` on out of `disk`. */
export function captureCheckpoint(
  manifest: Manifest,
  segments: readonly number[],
  seq: number,
  disk: DiskReader,
): CheckpointImage | Corruption {
  const files = new Map<string, Uint8Array>();
  const names = [
    ...manifestTables(manifest).map((t) => t.file),
    ...segments.filter((n) => n >= manifest.walNumber).map(walFile),
  ];
  for (const name of names) {
    if (disk.size(name) === undefined) continue;
    const r = disk.read(name);
    if (!r.ok) return { kind: 'corruption', file: name, reason: `unreadable: ${r.error}` };
    files.set(name, r.data);
  }
  return { seq, manifest, files };
}
