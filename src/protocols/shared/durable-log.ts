/**
 * The write-ahead log a two-phase commit node, a saga node, and a lock server or store keep: a
 * file of chained, checksummed records (record-log.ts) written through the WalWriter, each write
 * followed by its fsync, and what must wait for that fsync (a vote, a decision, an
 * acknowledgement, a saga's next step, a fencing token's grant) held under the write's tag until
 * it completes: the rule of two-phase commit is that a participant's PREPARED record and the
 * coordinator's COMMIT record are on stable storage before anyone hears of them (Gray & Lamport
 * §3; Bernstein, Hadzilacos & Goodman §7.4, "the DT log"), and a saga's orchestrator logs each
 * step's outcome before it acts on it.
 *
 * A failed fsync means the kernel dropped the dirty pages (fsyncgate; Rebello et al. ATC'20): the
 * writer rewinds to the last durable record and everything still held is written again, in one
 * write, under one new tag. Left out: compaction (the file only grows; a run is seconds long).
 *
 * Torn tails: `eraseTail` zeroes one and fsyncs that before the node answers (found here first);
 * the other logs fence it off instead (WalWriter.resume, shared/record-log.ts): no wait.
 */
import type { DiskCompletion, Effect, NodeContext } from '../../core/protocol.js';
import { decodeRecords } from './record-log.js';
import { WalWriter } from './wal-writer.js';

/** The tag of first boot's WAL creation and directory fsync (log tags count up from 1). */
const INIT_TAG = 0;
/** The tag of the write and fsync that erase a torn tail after recovery. */
const ERASE_TAG = -1;

interface Held<A> {
  readonly records: readonly unknown[];
  readonly after: readonly A[];
}

export class DurableLog<A> {
  readonly wal: WalWriter;

  /**
   * `fsyncFailedMark`: the coverage mark a failed fsync emits (`twopc.fsync-failed`); `file`: the
   * log's file name (`wal`; the lock service's nodes call theirs `log`).
   */
  constructor(
    private readonly fsyncFailedMark: string,
    private readonly file = 'wal',
  ) {
    this.wal = new WalWriter(file);
  }

  /**
   * The records that survived a crash, the log then ready to append after them once a torn tail
   * is erased (`tornMark` says it was); undefined when there is no file (a crash during first
   * boot).
   */
  recover<M, O>(ctx: NodeContext, fx: Effect<M, O>[], tornMark: string): unknown[] | undefined {
    const size = ctx.disk.size(this.file);
    if (size === undefined) return undefined;
    const read = ctx.disk.read(this.file);
    const decoded = decodeRecords<unknown>(read.ok ? read.data : new Uint8Array(0));
    this.wal.reset(decoded.validBytes, decoded.lastCrc);
    this.ready = true;
    if (decoded.tornTail) {
      fx.push({ type: 'mark', name: tornMark });
      this.eraseTail(decoded.validBytes, size - decoded.validBytes, fx);
    }
    return decoded.records;
  }

  /** False until first boot's directory fsync completes (or recovery read the log). */
  ready = false;
  private readonly held = new Map<number, Held<A>>();
  private nextTag = 1;

  /** Appends and fsyncs `records`; `after` is returned by `synced` once they are durable. */
  write<M, O>(records: readonly unknown[], after: readonly A[], fx: Effect<M, O>[]): void {
    const tag = this.nextTag++;
    this.wal.write(records, tag, tag, fx);
    this.held.set(tag, { records, after });
  }

  /** Creates the empty log on first boot; `ready` once the directory fsync completes. */
  create<M, O>(fx: Effect<M, O>[]): void {
    fx.push({
      type: 'diskWrite',
      file: this.file,
      offset: 0,
      data: new Uint8Array(0),
      tag: INIT_TAG,
    });
    fx.push({ type: 'diskSyncDir', tag: INIT_TAG });
  }

  /**
   * Zeroes the torn tail recovery found after the valid records (`from`, `length` bytes) and is
   * ready once that is durable. Left in place, a torn record can come back: the next record
   * written at `from` may be the very bytes the torn one began with (the same END, say), and the
   * chained checksum of the old record after it then holds again, so a decision that was never
   * durable, and that the node since presumed aborted, would reappear at the next restart.
   */
  eraseTail<M, O>(from: number, length: number, fx: Effect<M, O>[]): void {
    this.ready = false;
    const data = new Uint8Array(length);
    fx.push({
      type: 'diskWrite',
      file: this.file,
      offset: from,
      data,
      tag: ERASE_TAG,
      quiet: true,
    });
    fx.push({ type: 'diskSync', file: this.file, tag: ERASE_TAG });
    this.erasing = { from, length };
  }

  private erasing: { readonly from: number; readonly length: number } | undefined;

  /** A disk completion: what its fsync released (empty unless a log fsync made it durable). */
  synced<M, O>(done: DiskCompletion, fx: Effect<M, O>[]): readonly A[] {
    if (done.tag === ERASE_TAG) {
      const e = this.erasing;
      if (done.op !== 'sync' || e === undefined) return [];
      if (done.ok) {
        this.ready = true;
        this.erasing = undefined;
      } else this.eraseTail(e.from, e.length, fx);
      return [];
    }
    if (done.tag === INIT_TAG) {
      if (done.op === 'syncDir' && done.ok) this.ready = true;
      else if (!done.ok) this.create(fx);
      return [];
    }
    if (done.op !== 'sync' || !this.wal.owns(done.tag)) return [];
    const r = this.wal.synced(done.tag, done.ok);
    const h = this.held.get(done.tag);
    this.held.delete(done.tag);
    if (r.kind === 'durable') return h?.after ?? [];
    if (r.kind === 'failed') {
      if (h !== undefined) this.held.set(done.tag, h);
      this.rewrite(fx);
    }
    return [];
  }

  /** After a failed fsync: writes again, at the durable end, everything still held. */
  private rewrite<M, O>(fx: Effect<M, O>[]): void {
    const all = [...this.held.entries()].sort((a, b) => a[0] - b[0]).map(([, h]) => h);
    this.held.clear();
    this.wal.rewindToDurable();
    fx.push({ type: 'mark', name: this.fsyncFailedMark });
    this.write(
      all.flatMap((h) => h.records),
      all.flatMap((h) => h.after),
      fx,
    );
  }
}
