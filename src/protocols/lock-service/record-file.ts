/**
 * The durable file the lock server and the store each keep: chained, checksummed records
 * (shared/record-log.ts) appended through the shared WalWriter, each write followed by its
 * fsync, with what must wait for that fsync (a grant, an acknowledgement) held under the write's
 * tag until it completes. The server must not hand out a fencing token before it is durable, or
 * a restart would hand it out again; the store must not acknowledge a write, nor the highest
 * token it has taken, before it is durable, or a restart would take a stale token.
 *
 * First boot creates the file and is ready once the directory fsync makes its name durable.
 * Recovery reads the valid prefix and zeroes a torn tail before the node answers anyone (as
 * two-phase commit's log does, for the same reason: a torn record can come back). A failed fsync
 * rewinds to the last durable record and writes everything still held again (fsyncgate).
 * Left out: compaction (a run is seconds long).
 */
import type { DiskCompletion, Effect, NodeContext } from '../../core/protocol.js';
import { decodeRecords } from '../shared/record-log.js';
import { WalWriter } from '../shared/wal-writer.js';

const FILE = 'log';
/** The tag of first boot's creation and directory fsync (record tags count up from 1). */
const INIT_TAG = 0;
/** The tag of the write and fsync that erase a torn tail after recovery. */
const ERASE_TAG = -1;

interface Held<A> {
  readonly records: readonly unknown[];
  readonly after: readonly A[];
}

export class RecordFile<A> {
  private readonly wal = new WalWriter(FILE);
  /** False until first boot's directory fsync, or recovery's erasure of a torn tail, completes. */
  ready = false;
  private readonly held = new Map<number, Held<A>>();
  private nextTag = 1;
  private erasing: { readonly from: number; readonly length: number } | undefined;

  /** Creates the empty file on first boot; `ready` once the directory fsync completes. */
  create<M, O>(fx: Effect<M, O>[]): void {
    fx.push({ type: 'diskWrite', file: FILE, offset: 0, data: new Uint8Array(0), tag: INIT_TAG });
    fx.push({ type: 'diskSyncDir', tag: INIT_TAG });
  }

  /**
   * The records that survived a crash, the file then ready to append after them (once a torn
   * tail is erased); undefined when there is no file (a crash during first boot).
   */
  recover<M, O>(ctx: NodeContext, fx: Effect<M, O>[]): unknown[] | undefined {
    const size = ctx.disk.size(FILE);
    if (size === undefined) return undefined;
    const read = ctx.disk.read(FILE);
    const decoded = decodeRecords<unknown>(read.ok ? read.data : new Uint8Array(0));
    this.wal.reset(decoded.validBytes, decoded.lastCrc);
    this.ready = true;
    if (decoded.tornTail) {
      fx.push({ type: 'mark', name: 'lock.torn-tail-erased' });
      this.eraseTail(decoded.validBytes, size - decoded.validBytes, fx);
    }
    return decoded.records;
  }

  /** Appends and fsyncs `records`; `after` is returned by `synced` once they are durable. */
  write<M, O>(records: readonly unknown[], after: readonly A[], fx: Effect<M, O>[]): void {
    const tag = this.nextTag++;
    this.wal.write(records, tag, tag, fx);
    this.held.set(tag, { records, after });
  }

  /** A disk completion: what its fsync released (empty unless a record fsync made it durable). */
  synced<M, O>(done: DiskCompletion, fx: Effect<M, O>[]): readonly A[] {
    if (done.tag === ERASE_TAG) return this.erased(done, fx);
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

  private eraseTail<M, O>(from: number, length: number, fx: Effect<M, O>[]): void {
    this.ready = false;
    const data = new Uint8Array(length);
    fx.push({ type: 'diskWrite', file: FILE, offset: from, data, tag: ERASE_TAG, quiet: true });
    fx.push({ type: 'diskSync', file: FILE, tag: ERASE_TAG });
    this.erasing = { from, length };
  }

  private erased<M, O>(done: DiskCompletion, fx: Effect<M, O>[]): readonly A[] {
    const e = this.erasing;
    if (done.op !== 'sync' || e === undefined) return [];
    if (done.ok) {
      this.ready = true;
      this.erasing = undefined;
    } else this.eraseTail(e.from, e.length, fx);
    return [];
  }

  /** After a failed fsync: writes again, at the durable end, everything still held. */
  private rewrite<M, O>(fx: Effect<M, O>[]): void {
    const all = [...this.held.entries()].sort((a, b) => a[0] - b[0]).map(([, h]) => h);
    this.held.clear();
    this.wal.rewindToDurable();
    this.write(
      all.flatMap((h) => h.records),
      all.flatMap((h) => h.after),
      fx,
    );
  }
}
