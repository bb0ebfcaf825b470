/**
 * The `wal` file: everything that changed this node's replica, as chained, checksummed records
 * (record-log.ts) appended through the shared WAL writer (wal-writer.ts): each life's boot
 * number, each update the node took (with the bookkeeping the convergence checker needs), and
 * each delta merged from a peer that brought updates the node had not applied. Recovery replays
 * the valid prefix, so the replica it rebuilds is one the node really held, with every update
 * that update saw before it: the causal closure the data types' specifications rely on.
 *
 * Torn tails: recovery resumes the writer behind a fence (WalWriter.resume, shared/record-log.ts):
 * a boot record rewritten with the boot number of a lost one would otherwise revive that life's
 * updates, whose dots the new life hands out again.
 *
 * A failed fsync is answered as fsyncgate requires (Rebello et al., ATC'20): everything written
 * since the last durable record is written again from memory, since the kernel dropped those
 * pages. Leaves out compaction: the WAL only grows (README, "Simplifications").
 */
import type { DiskCompletion, NodeContext } from '../../core/protocol.js';
import { compareHlc } from '../../components/clocks/hybrid-logical-clock.js';
import { VectorClock } from '../../components/clocks/vector-clock.js';
import { decodeRecords } from '../shared/record-log.js';
import type { CrdtConfig } from './crdt-config.js';
import type { CrdtEffect, CrdtState, TakenUpdate } from './crdt-state.js';
import type { Json } from '../../components/crdt/crdt-type.js';
import type { WalRecord } from './wal-record.js';

/** Appends records in one write and syncs them; the sync vouches for updates up to `counter`. */
export function appendWal(s: CrdtState, records: readonly WalRecord[], fx: CrdtEffect[]): void {
  s.wal.write(records, s.counter, s.nextTag++, fx);
  s.unsynced.push({ records, endBytes: s.wal.bytes });
}

export function updateRecord(cfg: CrdtConfig, u: TakenUpdate, delta: unknown): WalRecord {
  const base = {
    t: 'u' as const,
    counter: u.counter,
    opId: u.opId,
    client: u.client,
    op: u.op as Json,
    seen: u.seen.entries(),
    delta: cfg.type.encode(delta),
  };
  return u.timestamp === undefined ? base : { ...base, ts: [u.timestamp.l, u.timestamp.c] };
}

/**
 * A WAL fsync completed. On success, the writes it covered are forgotten and the counter of the
 * newest update now durable is returned; a failed one rewrites everything not yet durable.
 */
export function walSynced(s: CrdtState, done: DiskCompletion, fx: CrdtEffect[]): number {
  if (!done.ok) {
    rewriteUnsynced(s, done.tag, fx);
    return 0;
  }
  const r = s.wal.synced(done.tag, true);
  if (r.kind !== 'durable') return 0;
  while ((s.unsynced[0]?.endBytes ?? Infinity) <= s.wal.durableBytes) s.unsynced.shift();
  return r.mark;
}

function rewriteUnsynced(s: CrdtState, failedTag: number, fx: CrdtEffect[]): void {
  fx.push({ type: 'mark', name: 'crdt.fsync-failed' });
  s.wal.synced(failedTag, false);
  s.wal.rewindToDurable();
  const records = s.unsynced.flatMap((w) => w.records);
  s.unsynced.length = 0;
  if (records.length > 0) appendWal(s, records, fx);
}

/** Whether this life's boot record is durable (no unsynced write still holds it). */
export const bootDurable = (s: CrdtState): boolean =>
  !s.unsynced.some((w) => w.records.some((r) => r.t === 'boot'));

/**
 * Recovery: replays the records up to the first bad checksum (a torn tail, marked) into the
 * replica and the bookkeeping, and puts the writer where the valid prefix ends. Returns the
 * newest boot number found.
 */
export function replayWal(cfg: CrdtConfig, s: CrdtState, ctx: NodeContext, fx: CrdtEffect[]) {
  const read = ctx.disk.read('wal');
  if (!read.ok) return 0;
  const decoded = decodeRecords<WalRecord>(read.data);
  let boot = 0;
  for (const r of decoded.records) {
    if (r.t === 'boot') boot = Math.max(boot, r.boot);
    else if (r.t === 'm') {
      s.replica = cfg.type.merge(s.replica, cfg.type.decode(r.delta));
      s.applied = s.applied.merge(VectorClock.from(r.applied));
    } else replayUpdate(cfg, s, r);
  }
  // A torn tail is fenced off first (shared/record-log.ts); the fence is a quiet write (tag -1).
  s.wal.resume(decoded, read.data, -1, fx);
  if (decoded.tornTail) fx.push({ type: 'mark', name: 'crdt.wal-torn-tail' });
  return boot;
}

function replayUpdate(cfg: CrdtConfig, s: CrdtState, r: Extract<WalRecord, { t: 'u' }>): void {
  s.replica = cfg.type.merge(s.replica, cfg.type.decode(r.delta));
  s.applied = s.applied.with(s.id, r.counter);
  s.counter = r.counter;
  const update: TakenUpdate = {
    counter: r.counter,
    opId: r.opId,
    client: r.client,
    op: r.op,
    seen: VectorClock.from(r.seen),
    ...(r.ts !== undefined ? { timestamp: { l: r.ts[0], c: r.ts[1] } } : {}),
  };
  s.taken.push(update);
  if (update.timestamp !== undefined && compareHlc(update.timestamp, s.hlc) > 0)
    s.hlc = update.timestamp;
}
