/**
 * The `wal` file: every change to what a node keeps, as chained, checksummed records
 * (shared/record-log.ts) appended through the shared WAL writer. A record names a key and holds
 * its whole set of versions after the change, so replay keeps the last one per key (and per hint).
 * A write becomes what reads see (`store`) and what the node acknowledges only once its fsync
 * completes; each write carries the actions that wait for that (`AfterSync`).
 *
 * Torn tails: recovery resumes the writer behind a fence (WalWriter.resume, shared/record-log.ts):
 * a record rewritten byte for byte over a torn one would otherwise revive the version sets after
 * it, versions the node lost before acknowledging them and has answered reads without since.
 *
 * A failed fsync is answered as fsyncgate requires (Rebello et al., ATC'20): everything written
 * since the last durable record is written again from memory. Leaves out compaction: the WAL only
 * grows over a run (README, "Simplifications").
 */
import type { DiskCompletion, NodeContext } from '../../core/protocol.js';
import { VectorClock } from '../../components/clocks/vector-clock.js';
import { decodeRecords } from '../shared/record-log.js';
import { type AfterSync, type DynamoEffect, type DynamoState, setHinted } from './dynamo-state.js';
import { decodeVersions, encodeVersions, type Versions } from './versions.js';
import type { WalRecord } from './wal-record.js';

/** Appends records in one write and syncs them; `after` runs once they are durable. */
export function appendWal(
  s: DynamoState,
  records: readonly WalRecord[],
  after: readonly AfterSync[],
  fx: DynamoEffect[],
): void {
  const seq = s.nextSeq++;
  s.wal.write(records, seq, s.nextTag++, fx);
  s.unsynced.push({ seq, records, after, endBytes: s.wal.bytes });
}

/** Records the new versions of `key` (in `working` now, in `store` once durable). */
export function writeKey(
  s: DynamoState,
  key: string,
  vs: Versions,
  after: readonly AfterSync[],
  fx: DynamoEffect[],
): void {
  s.working.set(key, vs);
  appendWal(s, [{ t: 'k', key, v: encodeVersions(vs) }], after, fx);
}

/**
 * A WAL fsync completed: the writes it made durable join `store` and `hints`, and their actions
 * are returned in order. A failed one rewrites everything not yet durable.
 */
export function walSynced(s: DynamoState, done: DiskCompletion, fx: DynamoEffect[]): AfterSync[] {
  if (!done.ok) {
    rewriteUnsynced(s, done.tag, fx);
    return [];
  }
  const r = s.wal.synced(done.tag, true);
  if (r.kind !== 'durable') return [];
  const after: AfterSync[] = [];
  while ((s.unsynced[0]?.seq ?? Infinity) <= r.mark) {
    const w = s.unsynced.shift();
    if (w === undefined) break;
    for (const rec of w.records) applyRecord(s, rec, 'store');
    after.push(...w.after);
  }
  return after;
}

function rewriteUnsynced(s: DynamoState, failedTag: number, fx: DynamoEffect[]): void {
  fx.push({ type: 'mark', name: 'dynamo.fsync-failed' });
  s.wal.synced(failedTag, false);
  s.wal.rewindToDurable();
  const writes = s.unsynced.splice(0);
  if (writes.length === 0) return;
  const records = writes.flatMap((w) => w.records);
  appendWal(
    s,
    records,
    writes.flatMap((w) => w.after),
    fx,
  );
}

/** A record into `store`/`hints` (durable) or `working`/`workingHints`. */
function applyRecord(s: DynamoState, rec: WalRecord, into: 'store' | 'working'): void {
  const keys = into === 'store' ? s.store : s.working;
  const hints = into === 'store' ? s.hints : s.workingHints;
  if (rec.t === 'k') keys.set(rec.key, decodeVersions(rec.v));
  else if (rec.t === 'h') setHinted(hints, rec.home, rec.key, decodeVersions(rec.v));
  else if (rec.t === 'hd') setHinted(hints, rec.home, rec.key, undefined);
  else if (rec.t === 'r') applyCollect(s, keys, rec);
}

/** A collected tombstone: the key's floor, and the versions above it (if any). */
function applyCollect(
  s: DynamoState,
  keys: Map<string, Versions>,
  rec: Extract<WalRecord, { t: 'r' }>,
): void {
  if (rec.floor.length === 0) s.floors.delete(rec.key);
  else s.floors.set(rec.key, VectorClock.from(rec.floor));
  if (rec.v.length === 0) keys.delete(rec.key);
  else keys.set(rec.key, decodeVersions(rec.v));
}

/** Recovery: replays the valid prefix (marking a torn tail) into both views; false if no WAL. */
export function replayWal(s: DynamoState, ctx: NodeContext, fx: DynamoEffect[]): boolean {
  const read = ctx.disk.read('wal');
  if (!read.ok) return false;
  const decoded = decodeRecords<WalRecord>(read.data);
  for (const rec of decoded.records) {
    applyRecord(s, rec, 'store');
    applyRecord(s, rec, 'working');
  }
  // A torn tail is fenced off first (shared/record-log.ts); the fence is a quiet write (tag -1).
  s.wal.resume(decoded, read.data, -1, fx);
  if (decoded.tornTail) fx.push({ type: 'mark', name: 'dynamo.wal-torn-tail' });
  return true;
}
