/**
 * The log on disk: the `wal` file of chained, checksummed records (shared/record-log.ts) written
 * through the shared WalWriter. Its records are entries, truncation markers, and at the head of
 * a compacted file the snapshot it starts from (snapshots.ts).
 *
 * A step changes the log in memory (`appendEntry`, `truncateLog`) and `flushWal` writes what
 * changed at the step's end, in one write and one fsync. A completed fsync makes the last index
 * it covers durable. A failed one rewinds to the last durable record and marks everything after
 * it to be written again, behind a truncation marker: the kernel dropped the dirty pages and a
 * retried fsync would not bring them back (fsyncgate; Rebello et al., ATC'20).
 *
 * Torn tails: recovery resumes the writer behind a fence (WalWriter.resume, shared/record-log.ts):
 * an entry rewritten byte for byte over a torn one would otherwise revive the trunc markers and
 * entries after it, and a revived trunc drops an entry the node acknowledged since.
 *
 * Left out: telling corruption from a torn write (a flipped bit reads as a torn tail).
 */
import type { DiskCompletion } from '../../core/protocol.js';
import { entryRecord, type PreEncoded } from '../shared/record-log.js';
import type { Entry, RaftEffect, Snapshot } from './messages.js';
import type { RaftState } from './raft-state.js';

export type WalRecord =
  | { readonly t: 'e'; readonly e: Entry }
  | { readonly t: 'trunc'; readonly from: number }
  | { readonly t: 'snap'; readonly s: Snapshot };

/** The tag of first boot's WAL creation and directory fsync (tags count up from 1). */
export const INIT_TAG = 0;
/** The tag of a disk operation whose completion nothing waits for. */
export const IGNORED_TAG = -1;

export function appendEntry(s: RaftState, e: Entry): void {
  s.log.append(e);
  if (e.index < s.walDirtyFrom) s.walDirtyFrom = e.index;
}

/** Drops entries from `from` on; what was written of them is cut by a marker, and not durable. */
export function truncateLog(s: RaftState, from: number): void {
  s.log.truncateFrom(from);
  if (from <= s.writtenIndex) {
    s.walNeedsTrunc = true;
    s.writtenIndex = from - 1;
  }
  if (from < s.walDirtyFrom) s.walDirtyFrom = from;
  s.durableIndex = Math.min(s.durableIndex, from - 1);
  s.verifiedIndex = Math.min(s.verifiedIndex, from - 1);
  s.wal.voidPending();
  if (s.compaction !== undefined) s.compaction.truncMin = Math.min(s.compaction.truncMin, from);
}

/** Writes whatever the log gained or lost since the last write, in one write and one fsync. */
export function flushWal(s: RaftState, fx: RaftEffect[]): void {
  if (s.compaction !== undefined || s.pendingInstall !== undefined || !s.ready) return;
  if (!s.walNeedsTrunc && s.walDirtyFrom > s.log.lastIndex) return;
  const from = Math.max(s.walDirtyFrom, s.log.snapshotIndex + 1);
  const records: (WalRecord | PreEncoded)[] = s.walNeedsTrunc ? [{ t: 'trunc', from }] : [];
  for (const e of s.log.slice(from, Number.POSITIVE_INFINITY)) records.push(entryRecord(e));
  s.wal.write(records, s.log.lastIndex, s.nextTag++, fx);
  s.writtenIndex = s.log.lastIndex;
  s.walDirtyFrom = Number.POSITIVE_INFINITY;
  s.walNeedsTrunc = false;
}

/**
 * One of the WAL's fsyncs completed: returns the last index it made durable, or -1 when it
 * vouches for nothing (it failed, and the rewrite is arranged, or the log changed under it).
 */
export function onWalSynced(s: RaftState, done: DiskCompletion, fx: RaftEffect[]): number {
  const r = s.wal.synced(done.tag, done.ok);
  if (r.kind === 'durable') return r.mark;
  if (r.kind === 'failed') {
    fx.push({ type: 'mark', name: 'raft.fsync-failed' });
    s.wal.rewindToDurable();
    s.walNeedsTrunc = true;
    s.walDirtyFrom = Math.min(s.walDirtyFrom, s.durableIndex + 1);
    s.writtenIndex = s.durableIndex;
  }
  return -1;
}
