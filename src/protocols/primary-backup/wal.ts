/**
 * The `wal` file: the log as chained, checksummed records (record-log.ts), entries and
 * truncation markers, appended through the WAL writer Raft shares (wal-writer.ts). A backup that
 * drops a conflicting suffix appends a marker rather than rewriting the file, so the WAL only
 * ever grows; recovery replays the records in order and keeps the valid prefix.
 *
 * Torn tails: recovery resumes the writer behind a fence (WalWriter.resume, shared/record-log.ts):
 * an entry rewritten byte for byte over a torn one would otherwise revive the trunc markers and
 * entries after it, and a revived trunc drops an entry the node acknowledged since.
 *
 * Leaves out compaction: the log is never snapshotted (README, "Simplifications"). What a
 * completed sync unblocks is the dispatcher's business (primary-backup.ts).
 */
import type { NodeContext } from '../../core/protocol.js';
import { decodeRecords, entryRecord, parseShared } from '../shared/record-log.js';
import type { Entry } from './messages.js';
import type { PbEffect, PbState } from './pb-state.js';

export type WalRecord =
  | { readonly t: 'e'; readonly e: Entry }
  | { readonly t: 'trunc'; readonly from: number };

/** Appends WAL records and syncs them; the sync's completion makes `s.log.length` durable. */
export function persistLog(s: PbState, records: WalRecord[], fx: PbEffect[]): void {
  const encoded = records.map((r) => (r.t === 'e' ? entryRecord(r.e) : r));
  s.wal.write(encoded, s.log.length, s.nextTag++, fx);
}

/**
 * Replays WAL records onto `log`: entries in order, truncations, none below `floor` (a
 * checkpoint's index: what it holds was committed, checkpoint.ts).
 */
export function replayWal(log: Entry[], records: readonly WalRecord[], floor: number): void {
  for (const r of records) {
    if (r.t === 'trunc') log.length = Math.max(floor, Math.min(log.length, r.from - 1));
    else if (r.e.index === log.length + 1) log.push(r.e);
  }
}

/**
 * Recovery: replays the records up to the first bad checksum (a torn tail, marked) and puts the
 * writer where the valid prefix ends, so the next record overwrites the garbage.
 */
export function readWal(s: PbState, ctx: NodeContext, fx: PbEffect[]): void {
  const read = ctx.disk.read('wal');
  if (!read.ok) return;
  // Shared parses: the log only ever holds entries as they are (they are never changed).
  const decoded = decodeRecords<WalRecord>(read.data, 0, parseShared);
  replayWal(s.log, decoded.records, s.checkpoint.index);
  // A torn tail is fenced off first (shared/record-log.ts); the fence is a quiet write (tag -1).
  s.wal.resume(decoded, read.data, -1, fx);
  if (decoded.tornTail) fx.push({ type: 'mark', name: 'pb.torn-tail-truncated' });
}
