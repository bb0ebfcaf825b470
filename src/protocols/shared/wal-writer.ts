/**
 * Bookkeeping for one append-only write-ahead log file on the simulated disk: where the next
 * record goes, which fsyncs are in flight and what each would make durable, and where to rewrite
 * from after a failed fsync.
 *
 * Each `write` is one diskWrite of chained, checksummed records (record-log.ts) followed by one
 * diskSync, tagged with a `mark` (for a Raft log, the last index written). When the sync
 * completes, `synced` says whether that mark is now durable. A sync stops vouching once the log
 * was truncated or rewritten after it was issued (`voidPending`): its mark may name entries that
 * are no longer the ones on disk.
 *
 * After a failed fsync the kernel has dropped the dirty pages and a retried fsync would succeed
 * without writing them (fsyncgate, Rebello et al. ATC'20): `rewindToDurable` moves the write
 * position back to the last confirmed record so the caller writes everything after it again.
 */
import type { Effect } from '../../core/protocol.js';
import { encodeRecords } from './record-log.js';

interface PendingSync {
  readonly mark: number;
  readonly epoch: number;
  readonly endBytes: number;
  readonly endCrc: number;
}

export type SyncOutcome =
  | { readonly kind: 'durable'; readonly mark: number }
  | { readonly kind: 'failed' }
  | { readonly kind: 'stale' };

export class WalWriter {
  /** End of what was written, and the chain's crc there. */
  bytes = 0;
  crc = 0;
  /** End of what an fsync confirmed, and the crc there. */
  durableBytes = 0;
  durableCrc = 0;
  private epoch = 0;
  private readonly pending = new Map<number, PendingSync>();

  /**
   * With `quietWrites` (the default) writes ask for no completion event: only the fsync's
   * completion matters. Primary/backup predates quiet writes and keeps its events as they were.
   */
  constructor(
    readonly file: string,
    private readonly quietWrites = true,
  ) {}

  /** Starts over at a known durable position (after recovery, or a rewritten file). */
  reset(bytes: number, crc: number): void {
    this.bytes = this.durableBytes = bytes;
    this.crc = this.durableCrc = crc;
    this.voidPending();
  }

  /** Appends `records` in one write and syncs them; the sync's completion makes `mark` durable. */
  write<M, O>(records: readonly unknown[], mark: number, tag: number, fx: Effect<M, O>[]): void {
    const { data, crc } = encodeRecords(records, this.crc);
    fx.push(
      this.quietWrites
        ? { type: 'diskWrite', file: this.file, offset: this.bytes, data, tag, quiet: true }
        : { type: 'diskWrite', file: this.file, offset: this.bytes, data, tag },
    );
    this.bytes += data.length;
    this.crc = crc;
    fx.push({ type: 'diskSync', file: this.file, tag });
    this.pending.set(tag, { mark, epoch: this.epoch, endBytes: this.bytes, endCrc: this.crc });
  }

  /**
   * Appends `records` in one quiet write without syncing them: for a log whose sync policy is not
   * "every write" (the storage engine's `interval` and `none`). `syncTo` later vouches for them.
   */
  append<M, O>(records: readonly unknown[], tag: number, fx: Effect<M, O>[]): void {
    const { data, crc } = encodeRecords(records, this.crc);
    fx.push({ type: 'diskWrite', file: this.file, offset: this.bytes, data, tag, quiet: true });
    this.bytes += data.length;
    this.crc = crc;
  }

  /** Syncs everything written so far; the sync's completion makes `mark` durable. */
  syncTo<M, O>(mark: number, tag: number, fx: Effect<M, O>[]): void {
    fx.push({ type: 'diskSync', file: this.file, tag });
    this.pending.set(tag, { mark, epoch: this.epoch, endBytes: this.bytes, endCrc: this.crc });
  }

  owns(tag: number): boolean {
    return this.pending.has(tag);
  }

  /** A sync of ours completed (or failed). */
  synced(tag: number, ok: boolean): SyncOutcome {
    const p = this.pending.get(tag);
    this.pending.delete(tag);
    if (!ok) return { kind: 'failed' };
    if (p === undefined || p.epoch !== this.epoch) return { kind: 'stale' };
    if (p.endBytes > this.durableBytes) {
      this.durableBytes = p.endBytes;
      this.durableCrc = p.endCrc;
    }
    return { kind: 'durable', mark: p.mark };
  }

  /**
   * Issues a new fsync that vouches for what the failed one (`failedTag`) would have: the
   * fsyncgate mistake, which a named bug needs. A correct caller uses `rewindToDurable`.
   */
  trustRetry<M, O>(failedTag: number, tag: number, fx: Effect<M, O>[]): void {
    const p = this.pending.get(failedTag);
    this.pending.delete(failedTag);
    if (p === undefined) return;
    this.pending.set(tag, p);
    fx.push({ type: 'diskSync', file: this.file, tag });
  }

  /** Syncs in flight stop vouching for their marks (the log was truncated or rewritten). */
  voidPending(): void {
    this.epoch++;
  }

  /** After a failed fsync: the next write goes where the last confirmed record ended. */
  rewindToDurable(): void {
    this.bytes = this.durableBytes;
    this.crc = this.durableCrc;
    this.voidPending();
  }
}
