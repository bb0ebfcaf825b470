/**
 * The engine's write-ahead log: one record per write, in numbered segments, appended through the
 * shared `WalWriter` (chained, checksummed records of record-log.ts), with group commit and a
 * sync policy (lsm-options.ts).
 *
 * - Group commit (LevelDB's writer queue): under `always`, writes that arrive while an fsync is
 *   in flight wait in `queue` and go out together as the next write + fsync.
 * - `durableSeq` is the highest sequence number an fsync confirmed: the engine acknowledges a
 *   write as durable only up to it.
 * - A failed fsync is not retried in place (fsyncgate, Rebello et al. ATC'20): the writer
 *   rewinds to the last confirmed record and everything after it is written again.
 * - Rotation to a new segment (at a flush) first makes the old one wholly durable, so a later
 *   segment never holds a record durable while an earlier one lost some.
 * - A new segment's name is durable only after a directory fsync (ALICE: a created file can
 *   vanish whole in a crash), so its first write also syncs the directory, and nothing in the
 *   segment counts as durable until both fsyncs are done.
 * - Each record carries `d`, the segment's durable byte count when it was written: recovery uses
 *   it to tell a torn unsynced tail from corruption of synced records (wal-replay.ts).
 *
 * - Torn tails: immune to a revived old record (record-log.ts): recovery never appends to a
 *   segment it replayed (it opens a fresh one, as LevelDB does), and replay applies records by
 *   sequence number.
 *
 * Two named bugs live here, off unless switched on (lsm-options.ts): `ack-before-fsync` counts a
 * write durable as soon as it is appended (research item 23), and `retry-fsync` answers a failed
 * fsync with another fsync and trusts it, though the kernel dropped the pages (item 29).
 */
import type { Effect } from '../../core/protocol.js';
import { WalWriter } from '../../protocols/shared/wal-writer.js';
import { walFile } from './file-names.js';
import type { LsmMutation, SyncPolicy } from './lsm-options.js';
import type { Entry } from './memtable.js';

/**
 * A WAL record: sequence number, key, value (absent for a delete), durable bytes at write. A
 * write batch is one record (`b`: key, and value unless a delete), its writes numbered up to `s`,
 * so a torn tail drops all of a batch or none of it: what makes an embedding protocol's applied
 * index atomic with the data it describes (research B.24).
 */
export interface WalRecord {
  readonly s: number;
  readonly k: string;
  readonly v?: string;
  readonly b?: readonly BatchRecordOp[];
  d?: number;
}

/** One write of a batch record: `[key]` deletes, `[key, value]` puts. */
export type BatchRecordOp = readonly [string] | readonly [string, string];

/** The memtable entries a record carries, in sequence order (one, or a batch's). */
export function recordEntries(rec: WalRecord): Entry[] {
  if (rec.b === undefined) return [{ key: rec.k, seq: rec.s, value: rec.v }];
  const first = rec.s - rec.b.length + 1;
  return rec.b.map((op, i) => ({ key: op[0], seq: first + i, value: op[1] }));
}

/** The first sequence number a record carries. */
export const firstSeq = (rec: WalRecord): number => rec.s - (rec.b?.length ?? 1) + 1;

export class WriteAheadLog {
  private writer: WalWriter;
  /** Accepted, not yet written. */
  private queue: WalRecord[] = [];
  /** Written, not yet confirmed by an fsync: written again if an fsync fails. */
  private written: WalRecord[] = [];
  private syncTag: number | undefined;
  private rotateTo: number | undefined;
  /** The segment's name survives a crash (its directory fsync completed). */
  private named = false;
  private dirTag: number | undefined;
  /** What an fsync confirmed while the segment's name was not yet durable. */
  private heldMark = 0;
  durableSeq: number;
  /** fsyncs that failed (each one rewound the writer). */
  syncFailures = 0;

  constructor(
    private readonly policy: SyncPolicy,
    public segment: number,
    durableSeq: number,
    private readonly nextTag: () => number,
    private readonly mutations: ReadonlySet<LsmMutation> = new Set(),
  ) {
    this.writer = new WalWriter(walFile(segment));
    this.durableSeq = durableSeq;
  }

  /** True while a rotation waits for the old segment to be durable. */
  get rotating(): boolean {
    return this.rotateTo !== undefined;
  }

  owns(tag: number): boolean {
    return tag === this.syncTag || tag === this.dirTag;
  }

  append<M, O>(rec: WalRecord, fx: Effect<M, O>[]): void {
    this.queue.push(rec);
    this.pump(fx);
    if (this.mutations.has('ack-before-fsync')) this.durableSeq = rec.s;
  }

  /** Starts a new segment `n` once everything in the current one is durable. */
  rotate<M, O>(n: number, fx: Effect<M, O>[]): void {
    this.rotateTo = n;
    this.pump(fx);
  }

  /** The `interval` policy's periodic fsync; under the others, nothing. */
  tick<M, O>(fx: Effect<M, O>[]): void {
    if (this.policy.kind !== 'interval') return;
    this.syncWritten(fx);
  }

  /** An fsync of ours completed (or failed): advance `durableSeq`, or rewind and write again. */
  onSync<M, O>(tag: number, ok: boolean, fx: Effect<M, O>[]): void {
    if (tag === this.dirTag) {
      this.dirTag = undefined;
      this.named = true;
      this.durableSeq = Math.max(this.durableSeq, this.heldMark);
      this.pump(fx);
      return;
    }
    if (!ok && this.mutations.has('retry-fsync') && this.writer.owns(tag)) {
      this.syncFailures++;
      this.syncTag = this.nextTag();
      this.writer.trustRetry(tag, this.syncTag, fx);
      return;
    }
    const outcome = this.writer.synced(tag, ok);
    this.syncTag = undefined;
    if (outcome.kind === 'durable') {
      if (this.named) this.durableSeq = Math.max(this.durableSeq, outcome.mark);
      else this.heldMark = outcome.mark;
      this.written = this.written.filter((r) => r.s > outcome.mark);
    } else if (outcome.kind === 'failed') {
      this.syncFailures++;
      this.writer.rewindToDurable();
      this.queue = [...this.written, ...this.queue];
      this.written = [];
    }
    this.pump(fx);
  }

  private pump<M, O>(fx: Effect<M, O>[]): void {
    if (this.syncTag !== undefined) {
      // A sync in flight vouches only for what was written before it: later writes wait
      // (group commit) unless the policy does not sync per write.
      if (this.policy.kind === 'always' || this.rotateTo !== undefined) return;
    }
    if (this.rotateTo !== undefined) {
      // A directory fsync in flight is for the old segment's name: wait for it too.
      if (this.written.length > 0 || this.dirTag !== undefined) {
        this.syncWritten(fx);
        return;
      }
      this.segment = this.rotateTo;
      this.rotateTo = undefined;
      this.writer = new WalWriter(walFile(this.segment));
      this.named = false;
      this.heldMark = 0;
    }
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    for (const r of batch) r.d = this.writer.durableBytes;
    this.written.push(...batch);
    const tag = this.nextTag();
    if (this.policy.kind === 'always') {
      this.syncTag = tag;
      this.writer.write(batch, (batch[batch.length - 1] as WalRecord).s, tag, fx);
    } else {
      this.writer.append(batch, tag, fx);
    }
    if (!this.named && this.dirTag === undefined) {
      this.dirTag = this.nextTag();
      fx.push({ type: 'diskSyncDir', tag: this.dirTag });
    }
  }

  private syncWritten<M, O>(fx: Effect<M, O>[]): void {
    if (this.syncTag !== undefined || this.written.length === 0) return;
    this.syncTag = this.nextTag();
    const mark = (this.written[this.written.length - 1] as WalRecord).s;
    this.writer.syncTo(mark, this.syncTag, fx);
  }
}
