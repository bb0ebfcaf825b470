/**
 * The LSM storage engine (after LevelDB's DBImpl), sans-IO: every call that changes the disk
 * pushes effects (`diskWrite`, `diskSync`, `diskRename`, `diskSyncDir`, `diskDelete`) onto the
 * caller's list, and the engine advances only when the host hands the completions back through
 * `onDiskDone`. So every crash window of a write, a flush or a manifest swap is one the
 * simulator can strike. Reads are served from the memtables and the tables, whose data blocks
 * are read through the host's `DiskReader` and verified on every read.
 *
 * - A write gets the next sequence number, goes into the memtable and the WAL, and is durable
 *   once `durableSeq` reaches it (write-ahead-log.ts: group commit, sync policy).
 * - A flush turns the memtable into an immutable one, rotates the WAL, writes it as an SSTable
 *   published write → fsync → rename → fsync dir, then replaces the manifest the same way, and
 *   only then deletes the WAL segments the table covers (Pebble #247 is the bug otherwise).
 * - Recovery (recovery.ts) reads the manifest, opens its tables and replays the WAL after it.
 *
 * Left out of this slice: compaction (every table stays in level 0, newest first), snapshots,
 * checkpoints and backups.
 */
import { assert } from '../../core/assert.js';
import type { DiskCompletion, DiskReader, Effect } from '../../core/protocol.js';
import { MANIFEST, MANIFEST_TMP, tableFile, tableTmpFile, walFile } from './file-names.js';
import { mutated, type LsmOptions } from './lsm-options.js';
import { encodeManifest, type Manifest } from './manifest.js';
import { Memtable, type Entry } from './memtable.js';
import { encodeTable, TableReader, type Corruption, type TableMeta } from './sstable.js';
import { recover, type RecoveredState, type Recovery } from './recovery.js';
import { WriteAheadLog } from './write-ahead-log.js';

export type GetResult =
  | { readonly kind: 'found'; readonly value: string }
  | { readonly kind: 'absent' }
  | Corruption;

/** Counters for the run's metrics: read amplification and the bloom filter's worth. */
export interface LsmStats {
  writes: number;
  gets: number;
  /** Data blocks read by gets (read amplification is this over `gets`). */
  tablesProbed: number;
  /** Tables a bloom filter ruled out without a read. */
  bloomNegatives: number;
  /** Probes the filter allowed that found nothing. */
  bloomFalsePositives: number;
  flushes: number;
  /** Bytes of tables written: with WAL bytes, the numerator of write amplification. */
  tableBytesWritten: number;
}

type FlushStage = 'rotate' | 'table-sync' | 'table-dir' | 'manifest-sync' | 'manifest-dir';

interface FlushJob {
  stage: FlushStage;
  readonly imm: Memtable;
  readonly walNumber: number;
  readonly tableNumber: number;
  table?: { readonly data: Uint8Array; readonly meta: TableMeta };
  manifest?: Manifest;
}

export class LsmEngine {
  private mem: Memtable;
  private flushJob: FlushJob | undefined;
  private manifest: Manifest;
  private tables: TableReader[];
  private lastSeq: number;
  private nextFile: number;
  private segments: number[];
  private readonly wal: WriteAheadLog;
  /** Tags of ours in flight: a flush stage, or a completion we only need to recognise. */
  private readonly tags = new Map<number, FlushStage | 'ignore'>();
  private tagNext: number;
  readonly stats: LsmStats = {
    writes: 0,
    gets: 0,
    tablesProbed: 0,
    bloomNegatives: 0,
    bloomFalsePositives: 0,
    flushes: 0,
    tableBytesWritten: 0,
  };

  /** `tagBase` keeps the engine's disk tags apart from the embedding protocol's own. */
  constructor(
    readonly options: LsmOptions,
    from: RecoveredState,
    tagBase = 1,
  ) {
    this.manifest = from.manifest;
    this.tables = [...from.tables];
    this.mem = from.memtable;
    this.lastSeq = from.lastSeq;
    this.nextFile = from.nextFile + 1;
    this.segments = [...from.segments, from.nextFile];
    this.tagNext = tagBase;
    const next = () => this.tagNext++;
    this.wal = new WriteAheadLog(
      options.sync,
      from.nextFile,
      from.lastSeq,
      next,
      options.mutations,
    );
  }

  /**
   * Opens the engine on `disk`: recovery, then a fresh WAL segment (LevelDB starts a new log
   * after recovery too, so nothing is ever appended after a torn tail). An empty disk is a first
   * boot. A corruption is returned for the embedding node to report and refuse service on.
   */
  static open<M, O>(
    options: LsmOptions,
    disk: DiskReader,
    fx: Effect<M, O>[],
    tagBase = 1,
  ): { readonly engine: LsmEngine; readonly recovery: Recovery } | Corruption {
    let tag = tagBase;
    const stopAtBad = mutated(options, 'replay-stops-at-bad-checksum');
    const recovery = recover(disk, fx, () => tag++, stopAtBad);
    if (recovery.kind === 'corruption') return recovery;
    const engine = new LsmEngine(options, recovery.state, tag);
    // Recovery's deletes of leftovers complete later: the engine must know their tags.
    for (let t = tagBase; t < tag; t++) engine.tags.set(t, 'ignore');
    return { engine, recovery };
  }

  /** Everything with a sequence number up to this survives a power loss. */
  get durableSeq(): number {
    return Math.max(this.wal.durableSeq, this.manifest.lastSeq);
  }

  /** The sequence number of the latest write accepted. */
  get latestSeq(): number {
    return this.lastSeq;
  }

  get walSyncFailures(): number {
    return this.wal.syncFailures;
  }

  get tableCount(): number {
    return this.tables.length;
  }

  /** The memtable has reached `memtableBytesMax` and no flush is running. */
  get needsFlush(): boolean {
    return this.flushJob === undefined && this.mem.bytes >= this.options.memtableBytesMax;
  }

  get flushing(): boolean {
    return this.flushJob !== undefined;
  }

  put<M, O>(key: string, value: string, fx: Effect<M, O>[]): number {
    return this.write(key, value, fx);
  }

  delete<M, O>(key: string, fx: Effect<M, O>[]): number {
    return this.write(key, undefined, fx);
  }

  private write<M, O>(key: string, value: string | undefined, fx: Effect<M, O>[]): number {
    const seq = ++this.lastSeq;
    this.stats.writes++;
    this.mem.apply({ key, seq, value });
    this.wal.append(value === undefined ? { s: seq, k: key } : { s: seq, k: key, v: value }, fx);
    return seq;
  }

  get(key: string, disk: DiskReader): GetResult {
    this.stats.gets++;
    const hit = this.mem.get(key) ?? this.flushJob?.imm.get(key);
    if (hit !== undefined) return found(hit);
    for (const t of this.tables) {
      if (key < t.meta.smallest || key > t.meta.largest) continue;
      if (!t.mayContain(key)) {
        this.stats.bloomNegatives++;
        continue;
      }
      this.stats.tablesProbed++;
      const e = t.get(key, disk);
      if (e === undefined) this.stats.bloomFalsePositives++;
      else return 'kind' in e ? e : found(e);
    }
    return { kind: 'absent' };
  }

  /**
   * Live entries with `from <= key < to`, in key order: the newest version of each key across
   * tables and memtables, tombstones left out. A merge by rebuilding, plenty at these sizes;
   * LevelDB's merging iterator is the way once ranges grow.
   */
  scan(from: string, to: string | undefined, disk: DiskReader): Entry[] | Corruption {
    const newest = new Map<string, Entry>();
    for (let i = this.tables.length - 1; i >= 0; i--) {
      const entries = (this.tables[i] as TableReader).entries(disk);
      if ('kind' in entries) return entries;
      for (const e of entries)
        if (e.key >= from && (to === undefined || e.key < to)) newest.set(e.key, e);
    }
    for (const m of [this.flushJob?.imm, this.mem]) {
      if (m !== undefined) for (const e of m.range(from, to)) newest.set(e.key, e);
    }
    return [...newest.keys()]
      .sort()
      .map((k) => newest.get(k) as Entry)
      .filter((e) => e.value !== undefined);
  }

  /** The `interval` sync policy's periodic fsync: call every `everyMs`. */
  tick<M, O>(fx: Effect<M, O>[]): void {
    this.wal.tick(fx);
  }

  /** Starts flushing the memtable; false when it is empty or a flush is already running. */
  flush<M, O>(fx: Effect<M, O>[]): boolean {
    if (this.flushJob !== undefined || this.mem.size === 0) return false;
    const walNumber = this.nextFile++;
    this.flushJob = { stage: 'rotate', imm: this.mem, walNumber, tableNumber: this.nextFile++ };
    this.mem = new Memtable();
    this.segments.push(walNumber);
    this.wal.rotate(walNumber, fx);
    this.advanceFlush(fx);
    return true;
  }

  owns(tag: number): boolean {
    return this.wal.owns(tag) || this.tags.has(tag);
  }

  onDiskDone<M, O>(done: DiskCompletion, fx: Effect<M, O>[]): void {
    if (this.wal.owns(done.tag)) {
      this.wal.onSync(done.tag, done.ok, fx);
      this.advanceFlush(fx);
      return;
    }
    const stage = this.tags.get(done.tag);
    this.tags.delete(done.tag);
    assert(stage !== undefined, () => `disk completion with a foreign tag ${done.tag}`);
    if (stage === 'ignore') return;
    const job = this.flushJob;
    assert(job !== undefined && job.stage === stage, () => `flush completion ${stage} out of turn`);
    if (!done.ok) {
      // A failed fsync loses the file's pages for good: write the whole file again.
      this.restartStage(job, fx);
      return;
    }
    this.nextStage(job, fx);
  }

  private tag(stage: FlushStage | 'ignore'): number {
    const t = this.tagNext++;
    this.tags.set(t, stage);
    return t;
  }

  /** The rotation stage ends once the WAL has moved to the new segment. */
  private advanceFlush<M, O>(fx: Effect<M, O>[]): void {
    const job = this.flushJob;
    if (job === undefined || job.stage !== 'rotate' || this.wal.rotating) return;
    const entries = [...job.imm.range()];
    job.table = encodeTable(
      tableFile(job.tableNumber),
      entries,
      this.options.blockBytes,
      this.options.bloomBitsPerKey,
    );
    job.stage = 'table-sync';
    this.writeAndSync(tableTmpFile(job.tableNumber), job.table.data, 'table-sync', fx);
  }

  private writeAndSync<M, O>(
    file: string,
    data: Uint8Array,
    stage: FlushStage,
    fx: Effect<M, O>[],
  ): void {
    if (mutated(this.options, 'rename-without-fsync')) {
      // The named bug: no fsync before the rename, so the write's own completion moves on.
      fx.push({ type: 'diskWrite', file, offset: 0, data, tag: this.tag(stage) });
      return;
    }
    // A quiet write completes without an event: only its fsync's completion comes back.
    fx.push({ type: 'diskWrite', file, offset: 0, data, tag: this.tagNext++, quiet: true });
    fx.push({ type: 'diskSync', file, tag: this.tag(stage) });
  }

  private restartStage<M, O>(job: FlushJob, fx: Effect<M, O>[]): void {
    if (job.stage === 'table-sync' && job.table !== undefined) {
      this.writeAndSync(tableTmpFile(job.tableNumber), job.table.data, job.stage, fx);
    } else if (job.stage === 'manifest-sync' && job.manifest !== undefined) {
      this.writeAndSync(MANIFEST_TMP, encodeManifest(job.manifest), job.stage, fx);
    } else {
      assert(false, () => `${job.stage} cannot fail`);
    }
  }

  private nextStage<M, O>(job: FlushJob, fx: Effect<M, O>[]): void {
    switch (job.stage) {
      case 'table-sync':
        job.stage = 'table-dir';
        if (mutated(this.options, 'wal-deleted-before-flush-durable')) this.dropSegments(job, fx);
        this.publish(tableTmpFile(job.tableNumber), tableFile(job.tableNumber), 'table-dir', fx);
        return;
      case 'table-dir':
        job.manifest = this.nextManifest(job);
        job.stage = 'manifest-sync';
        this.writeAndSync(MANIFEST_TMP, encodeManifest(job.manifest), 'manifest-sync', fx);
        return;
      case 'manifest-sync':
        job.stage = 'manifest-dir';
        this.publish(MANIFEST_TMP, MANIFEST, 'manifest-dir', fx);
        return;
      case 'manifest-dir':
        this.install(job, fx);
        return;
      case 'rotate':
        assert(false, 'rotation ends by a WAL sync');
    }
  }

  /** Renames `from` to `to` and fsyncs the directory; `next` is the stage that fsync ends. */
  private publish<M, O>(from: string, to: string, next: FlushStage, fx: Effect<M, O>[]): void {
    if (mutated(this.options, 'rename-without-fsync')) {
      fx.push({ type: 'diskRename', from, to, tag: this.tag(next) });
      return;
    }
    fx.push({ type: 'diskRename', from, to, tag: this.tag('ignore') });
    fx.push({ type: 'diskSyncDir', tag: this.tag(next) });
  }

  private nextManifest(job: FlushJob): Manifest {
    const table = job.table as { meta: TableMeta };
    return {
      version: this.manifest.version + 1,
      lastSeq: job.imm.seqMax,
      walNumber: job.walNumber,
      nextFile: this.nextFile,
      tables: [table.meta, ...this.manifest.tables],
    };
  }

  /** The manifest is durable: the table serves reads and the WAL segments it covers can go. */
  private install<M, O>(job: FlushJob, fx: Effect<M, O>[]): void {
    const { data, meta } = job.table as { data: Uint8Array; meta: TableMeta };
    const reader = TableReader.fromEncoded(meta, data);
    assert(!('kind' in reader), 'a table just encoded must open');
    this.tables.unshift(reader);
    this.manifest = job.manifest as Manifest;
    this.flushJob = undefined;
    this.stats.flushes++;
    this.stats.tableBytesWritten += data.length;
    this.dropSegments(job, fx);
  }

  /** Deletes the WAL segments the flushed table covers (correctly: once the manifest is durable). */
  private dropSegments<M, O>(job: FlushJob, fx: Effect<M, O>[]): void {
    for (const n of this.segments.filter((s) => s < job.walNumber)) {
      fx.push({ type: 'diskDelete', file: walFile(n), tag: this.tag('ignore') });
    }
    this.segments = this.segments.filter((s) => s >= job.walNumber);
  }
}

function found(e: Entry): GetResult {
  return e.value === undefined ? { kind: 'absent' } : { kind: 'found', value: e.value };
}
