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
 *
 * After recovery, `resume` starts the writer where the valid records end and, when recovery
 * dropped a torn tail, writes a fence there first (record-log.ts says why: without it, a record
 * rewritten byte for byte over the torn one revives the old records after it).
 */
import type { Effect } from '../../core/protocol.js';
import { type DecodedLog, encodeFence, encodeRecords } from './record-log.js';

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
    this.fence = undefined;
    this.refence = false;
    this.voidPending();
  }

  /**
   * Starts over after recovery read `bytes` (the whole file) into `log`: at the end of its valid
   * records, behind a fence when it dropped a torn tail. The fence goes out as a quiet write with
   * `tag` and needs no fsync of its own: the next record's fsync makes it durable first.
   */
  resume<M, O>(
    log: Pick<DecodedLog<unknown>, 'validBytes' | 'lastCrc' | 'tornTail'>,
    bytes: Uint8Array,
    tag: number,
    fx: Effect<M, O>[],
  ): void {
    this.reset(log.validBytes, log.lastCrc);
    if (!log.tornTail) return;
    const { data, crc } = encodeFence(bytes.subarray(log.validBytes), this.crc);
    fx.push({ type: 'diskWrite', file: this.file, offset: this.bytes, data, tag, quiet: true });
    this.fence = { at: this.bytes, data, crc };
    this.bytes += data.length;
    this.crc = crc;
  }

  /** The fence `resume` wrote, until an fsync confirms it. */
  private fence:
    | { readonly at: number; readonly data: Uint8Array; readonly crc: number }
    | undefined;
  /** After a failed fsync dropped the unconfirmed fence: the next write carries it again. */
  private refence = false;

  /** The next write's bytes: `data`, after the fence when a failed fsync dropped it. */
  private withFence(data: Uint8Array): Uint8Array {
    if (!this.refence || this.fence === undefined) return data;
    this.refence = false;
    const out = new Uint8Array(this.fence.data.length + data.length);
    out.set(this.fence.data);
    out.set(data, this.fence.data.length);
    return out;
  }

  /** Appends `records` in one write and syncs them; the sync's completion makes `mark` durable. */
  write<M, O>(records: readonly unknown[], mark: number, tag: number, fx: Effect<M, O>[]): void {
    const encoded = encodeRecords(records, this.crc);
    const crc = encoded.crc;
    const data = this.withFence(encoded.data);
    const offset = this.bytes - (data.length - encoded.data.length);
    fx.push(
      this.quietWrites
        ? { type: 'diskWrite', file: this.file, offset, data, tag, quiet: true }
        : { type: 'diskWrite', file: this.file, offset, data, tag },
    );
    this.bytes += encoded.data.length;
    this.crc = crc;
    fx.push({ type: 'diskSync', file: this.file, tag });
    this.pending.set(tag, { mark, epoch: this.epoch, endBytes: this.bytes, endCrc: this.crc });
  }

  /**
   * Appends `records` in one quiet write without syncing them: for a log whose sync policy is not
   * "every write" (the storage engine's `interval` and `none`). `syncTo` later vouches for them.
   */
  append<M, O>(records: readonly unknown[], tag: number, fx: Effect<M, O>[]): void {
    const encoded = encodeRecords(records, this.crc);
    const crc = encoded.crc;
    const data = this.withFence(encoded.data);
    const offset = this.bytes - (data.length - encoded.data.length);
    fx.push({ type: 'diskWrite', file: this.file, offset, data, tag, quiet: true });
    this.bytes += encoded.data.length;
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
    if (this.fence !== undefined && this.durableBytes > this.fence.at) this.fence = undefined;
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
    // The fence was not confirmed either: it goes out again, ahead of the rewritten records.
    if (this.fence !== undefined && this.durableBytes === this.fence.at) {
      this.bytes += this.fence.data.length;
      this.crc = this.fence.crc;
      this.refence = true;
    }
  }
}
