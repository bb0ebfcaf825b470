/**
 * Log compaction (extended paper §7): every `snapshotEvery` applied entries the node folds the
 * applied prefix into a snapshot of the state machine and rewrites its WAL to start from it.
 *
 * The rewrite never touches the live file: it writes `wal.next` = [snapshot, entries after it],
 * fsyncs it, renames it over `wal` and fsyncs the directory. Until that last fsync the old `wal`
 * is the durable image, so a crash at any point recovers one file or the other, whole. Writes of
 * new entries wait meanwhile (flushWal skips them); what the log gained or lost during the
 * rewrite is written once it is done. A failed fsync writes the whole file again.
 *
 * Left out: chunked snapshot transfer (InstallSnapshot carries the whole state, which is small
 * here) and snapshotting without stopping WAL writes.
 */
import type { DiskCompletion } from '../../core/protocol.js';
import type { NodeId } from '../../core/ids.js';
import { encodeRecords, entryRecord, type PreEncoded } from '../shared/record-log.js';
import { compactableIndex, logBase } from './lsm-storage.js';
import type { RaftEffect, Snapshot } from './messages.js';
import type { RaftConfig } from './raft-config.js';
import type { Compaction, RaftState } from './raft-state.js';
import { IGNORED_TAG, type WalRecord } from './wal.js';

/** Snapshots the applied prefix once `snapshotEvery` entries were applied since the last one. */
export function maybeSnapshot(cfg: RaftConfig, s: RaftState, fx: RaftEffect[]): void {
  const index = compactableIndex(s);
  if (s.compaction !== undefined || s.pendingInstall !== undefined) return;
  if (index - s.log.snapshotIndex < cfg.snapshotEvery) return;
  const term = s.log.termAt(index) as number;
  const chain = s.log.chainAt(index) as number;
  const snapshot =
    s.store === undefined ? s.sm.toSnapshot(index, term, chain) : logBase({ index, term, chain });
  s.log.compactTo(index);
  s.snapshot = snapshot;
  startCompaction(s, snapshot, fx);
}

/** Writes and fsyncs `wal.next` = [snapshot, entries after it]; `replyTo` is answered when done. */
export function startCompaction(
  s: RaftState,
  snapshot: Snapshot,
  fx: RaftEffect[],
  replyTo?: { to: NodeId; term: number },
): void {
  const records: (WalRecord | PreEncoded)[] = [{ t: 'snap', s: snapshot }];
  for (const e of s.log.slice(snapshot.index + 1, Number.POSITIVE_INFINITY))
    records.push(entryRecord(e));
  const { data, crc } = encodeRecords(records, 0);
  const syncTag = s.nextTag++;
  s.wal.voidPending();
  s.walDirtyFrom = Number.POSITIVE_INFINITY;
  s.walNeedsTrunc = false;
  s.compaction = {
    snapshot,
    covered: s.log.lastIndex,
    truncMin: Number.POSITIVE_INFINITY,
    endBytes: data.length,
    endCrc: crc,
    syncTag,
    dirTag: -1,
    ...(replyTo ? { replyTo } : {}),
  };
  fx.push({ type: 'diskDelete', file: 'wal.next', tag: IGNORED_TAG });
  fx.push({ type: 'diskWrite', file: 'wal.next', offset: 0, data, tag: syncTag, quiet: true });
  fx.push({ type: 'diskSync', file: 'wal.next', tag: syncTag });
}

/** Whether `done` is one of the compaction in progress's own disk operations. */
export function isCompactionDisk(s: RaftState, done: DiskCompletion): boolean {
  return (
    s.compaction !== undefined &&
    (done.tag === s.compaction.syncTag || done.tag === s.compaction.dirTag)
  );
}

/**
 * Moves the compaction on when one of its operations completes: after the new file's fsync,
 * rename it over `wal` and fsync the directory; after a failure, write the file again. Returns
 * true once the directory fsync completed: the new file is the durable WAL (`finishCompaction`).
 */
export function onCompactionDisk(s: RaftState, done: DiskCompletion, fx: RaftEffect[]): boolean {
  const c = s.compaction as Compaction;
  if (!done.ok) {
    // The rewrite's pages are gone; write the whole file again.
    fx.push({ type: 'mark', name: 'raft.fsync-failed' });
    // The new file holds the log as it is now, so truncations before this point are in it.
    s.compaction = undefined;
    startCompaction(s, c.snapshot, fx, c.replyTo);
    return false;
  }
  if (done.tag === c.syncTag && done.op === 'sync') {
    c.dirTag = s.nextTag++;
    fx.push({ type: 'diskRename', from: 'wal.next', to: 'wal', tag: IGNORED_TAG });
    fx.push({ type: 'diskSyncDir', tag: c.dirTag });
    return false;
  }
  return done.tag === c.dirTag && done.op === 'syncDir';
}

/**
 * The WAL continues at the end of the new file. Entries truncated during the rewrite are cut by
 * a marker in the next write. Returns the finished compaction and the last index it made durable.
 */
export function finishCompaction(s: RaftState): { compaction: Compaction; held: number } {
  const c = s.compaction as Compaction;
  s.compaction = undefined;
  s.wal.reset(c.endBytes, c.endCrc);
  const held = Math.min(c.covered, c.truncMin - 1);
  s.writtenIndex = held;
  if (c.truncMin <= c.covered) {
    s.walNeedsTrunc = true;
    s.walDirtyFrom = Math.min(s.walDirtyFrom, c.truncMin);
  }
  return { compaction: c, held };
}
