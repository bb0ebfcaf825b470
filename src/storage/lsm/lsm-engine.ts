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
 * - Compaction (compaction.ts, compaction-job.ts) merges a level's tables into the next one,
 *   leveled as in LevelDB, and publishes its outputs and manifest edit the same way; a flush's
 *   manifest and a compaction's take turns. Replaced tables are deleted once the edit is durable
 *   and no version in use names them (version.ts).
 * - Snapshots (snapshots.ts) pin a sequence number for gets and scans; iterators
 *   (merging-iterator.ts) pin a snapshot and a version, so their view holds while flushes and
 *   compactions go on; both are given back by `release`.
 */
import { assert } from '../../core/assert.js';
import type { DiskCompletion, DiskReader, Effect } from '../../core/protocol.js';
import { captureCheckpoint, type CheckpointImage } from './checkpoint.js';
import { CompactionJob, type JobProgress } from './compaction-job.js';
import { keepEntries, levelToCompact, planCompaction } from './compaction.js';
import { MANIFEST, MANIFEST_TMP, tableFile, tableTmpFile, walFile } from './file-names.js';
import { mutated, type LsmOptions } from './lsm-options.js';
import { encodeManifest, type Manifest } from './manifest.js';
import { Memtable, type Entry } from './memtable.js';
import { LsmIterator } from './merging-iterator.js';
import { SnapshotList, type Snapshot } from './snapshots.js';
import { encodeTable, TableReader, type Corruption, type TableMeta } from './sstable.js';
import { recover, type RecoveredState, type Recovery } from './recovery.js';
import { Version, VersionRefs } from './version.js';
import { type BatchRecordOp, WriteAheadLog } from './write-ahead-log.js';

/** One write of a batch: a put, or a delete when `value` is undefined. */
export interface BatchOp {
  readonly key: string;
  readonly value: string | undefined;
}

export type GetResult =
  | { readonly kind: 'found'; readonly value: string }
  | { readonly kind: 'absent' }
  | Corruption;

/** Counters for the run's metrics: read and write amplification, the bloom filter's worth. */
export interface LsmStats {
  writes: number;
  /** Bytes of keys and values written by the user: write amplification's denominator. */
  userBytes: number;
  gets: number;
  /** Data blocks read by gets (read amplification is this over `gets`). */
  tablesProbed: number;
  /** Tables a bloom filter ruled out without a read. */
  bloomNegatives: number;
  /** Probes the filter allowed that found nothing. */
  bloomFalsePositives: number;
  flushes: number;
  /** Bytes of tables written by flushes. */
  tableBytesWritten: number;
  compactions: number;
  /** Bytes of input tables a compaction read. */
  compactionBytesRead: number;
  /** Bytes of output tables compactions wrote (with flush bytes: what the user's bytes cost). */
  compactionBytesWritten: number;
}

type FlushStage =
  | 'rotate'
  | 'table-sync'
  | 'table-dir'
  | 'manifest-wait'
  | 'manifest-sync'
  | 'manifest-dir';

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
  private version: Version;
  private readonly refs = new VersionRefs();
  private readonly snapshots = new SnapshotList();
  private compaction: CompactionJob | undefined;
  /** Per level, the largest key last compacted there (LevelDB's compact pointer). */
  private readonly compactPointers: (string | undefined)[] = [];
  private lastSeq: number;
  private nextFile: number;
  private segments: number[];
  private readonly wal: WriteAheadLog;
  /** Tags of ours in flight: a flush stage, or a completion we only need to recognise. */
  private readonly tags = new Map<number, FlushStage | 'ignore'>();
  private tagNext: number;
  readonly stats: LsmStats = {
    writes: 0,
    userBytes: 0,
    gets: 0,
    tablesProbed: 0,
    bloomNegatives: 0,
    bloomFalsePositives: 0,
    flushes: 0,
    tableBytesWritten: 0,
    compactions: 0,
    compactionBytesRead: 0,
    compactionBytesWritten: 0,
  };

  /** `tagBase` keeps the engine's disk tags apart from the embedding protocol's own. */
  constructor(
    readonly options: LsmOptions,
    from: RecoveredState,
    tagBase = 1,
  ) {
    this.manifest = from.manifest;
    this.version = new Version(from.levels);
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
    return this.version.tableCount;
  }

  /** Table count per level, level 0 first. */
  get levelShape(): number[] {
    return this.version.levels.map((l) => l.length);
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

  /**
   * Writes `ops` atomically: one WAL record, so recovery finds all of them or none (a torn tail
   * drops the whole record). Returns the last write's sequence number.
   */
  writeBatch<M, O>(ops: readonly BatchOp[], fx: Effect<M, O>[]): number {
    assert(ops.length > 0, () => 'an empty write batch');
    const b: BatchRecordOp[] = [];
    for (const op of ops) {
      const seq = ++this.lastSeq;
      this.stats.writes++;
      this.stats.userBytes += op.key.length + (op.value?.length ?? 0);
      this.mem.apply({ key: op.key, seq, value: op.value }, this.keepOlderVersions);
      b.push(op.value === undefined ? [op.key] : [op.key, op.value]);
    }
    this.wal.append({ s: this.lastSeq, k: '', b }, fx);
    return this.lastSeq;
  }

  private write<M, O>(key: string, value: string | undefined, fx: Effect<M, O>[]): number {
    const seq = ++this.lastSeq;
    this.stats.writes++;
    this.stats.userBytes += key.length + (value?.length ?? 0);
    this.mem.apply({ key, seq, value }, this.keepOlderVersions);
    this.wal.append(value === undefined ? { s: seq, k: key } : { s: seq, k: key, v: value }, fx);
    return seq;
  }

  /**
   * The key's value, now or at snapshot `at`: memtables first, then the tables level by level
   * (version.ts counts the probes).
   */
  get(key: string, disk: DiskReader, at?: Snapshot): GetResult {
    this.stats.gets++;
    const seq = at?.seq ?? Number.POSITIVE_INFINITY;
    const hit = this.mem.get(key, seq) ?? this.flushJob?.imm.get(key, seq);
    if (hit !== undefined) return found(hit);
    const e = this.version.get(key, seq, disk, this.stats);
    if (e === undefined) return { kind: 'absent' };
    return 'kind' in e ? e : found(e);
  }

  /**
   * Live entries with `from <= key < to`, in key order, now or at snapshot `at`: the newest
   * version of each key across memtables and tables, tombstones left out (a merging iterator
   * run to its end).
   */
  scan(
    from: string,
    to: string | undefined,
    disk: DiskReader,
    at?: Snapshot,
  ): Entry[] | Corruption {
    const snapshot: Snapshot = at ?? { kind: 'snapshot', seq: this.lastSeq };
    return new LsmIterator(snapshot, this.version, this.memVersions(), disk, from, to).rest();
  }

  /** Pins the current sequence number: gets and scans at it see exactly the writes up to it. */
  snapshot(): Snapshot {
    return this.snapshots.acquire(this.lastSeq);
  }

  /**
   * An iterator over `from <= key < to` at snapshot `at` (or now). It holds its snapshot and the
   * tables it reads until `release`d, whatever flushes and compactions do meanwhile.
   */
  iterator(disk: DiskReader, from = '', to?: string, at?: Snapshot): LsmIterator {
    const snapshot = this.snapshots.acquire(at?.seq ?? this.lastSeq);
    this.refs.pin(this.version);
    return new LsmIterator(snapshot, this.version, this.memVersions(), disk, from, to);
  }

  /** Gives back a snapshot or an iterator; tables only it still used are deleted. */
  release<M, O>(held: Snapshot | LsmIterator, fx: Effect<M, O>[]): void {
    if (held.kind === 'snapshot') {
      this.snapshots.release(held);
      return;
    }
    this.snapshots.release(held.snapshot);
    this.refs.unpin(held.version);
    this.deleteObsolete(fx);
  }

  /**
   * A consistent copy of the durable state (checkpoint.ts): the installed manifest, its tables
   * and the WAL after it, trusted up to `durableSeq`; save it with backup.ts.
   */
  checkpoint(disk: DiskReader): CheckpointImage | Corruption {
    return captureCheckpoint(this.manifest, this.segments, this.durableSeq, disk);
  }

  /** Tables kept past their compaction because an iterator still reads them. */
  get tablesKeptForReaders(): number {
    return this.refs.waiting;
  }

  private memVersions(): Entry[][] {
    const imm = this.flushJob?.imm;
    return imm === undefined ? [this.mem.versions()] : [this.mem.versions(), imm.versions()];
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
    return this.wal.owns(tag) || this.tags.has(tag) || this.compaction?.owns(tag) === true;
  }

  onDiskDone<M, O>(done: DiskCompletion, fx: Effect<M, O>[]): void {
    if (this.compaction?.owns(done.tag) === true) {
      this.onCompactionDone(this.compaction.onDiskDone(done, fx), fx);
      return;
    }
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
    // A flush keeps tombstones (every level is below it) and the versions a snapshot needs.
    const entries = keepEntries(job.imm.versions(), {
      smallestSnapshot: this.smallestSnapshot,
      isBaseLevelForKey: () => false,
    });
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
        job.stage = 'manifest-wait';
        this.publishFlushManifest(fx);
        return;
      case 'manifest-sync':
        job.stage = 'manifest-dir';
        this.publish(MANIFEST_TMP, MANIFEST, 'manifest-dir', fx);
        return;
      case 'manifest-dir':
        this.install(job, fx);
        return;
      case 'rotate':
      case 'manifest-wait':
        assert(false, () => `no completion ends ${job.stage}`);
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

  /** Writes the flush's manifest edit, unless a compaction's is being written: then after. */
  private publishFlushManifest<M, O>(fx: Effect<M, O>[]): void {
    const job = this.flushJob;
    if (job?.stage !== 'manifest-wait' || this.compaction?.publishingManifest === true) return;
    job.manifest = this.nextManifest(job);
    job.stage = 'manifest-sync';
    this.writeAndSync(MANIFEST_TMP, encodeManifest(job.manifest), 'manifest-sync', fx);
  }

  private nextManifest(job: FlushJob): Manifest {
    const table = job.table as { meta: TableMeta };
    const [level0 = [], ...deeper] = this.manifest.levels;
    return {
      version: this.manifest.version + 1,
      lastSeq: job.imm.seqMax,
      walNumber: job.walNumber,
      nextFile: this.nextFile,
      levels: [[table.meta, ...level0], ...deeper],
    };
  }

  /** The manifest is durable: the table serves reads and the WAL segments it covers can go. */
  private install<M, O>(job: FlushJob, fx: Effect<M, O>[]): void {
    const { data, meta } = job.table as { data: Uint8Array; meta: TableMeta };
    const reader = TableReader.fromEncoded(meta, data);
    assert(!('kind' in reader), 'a table just encoded must open');
    this.version = this.version.withFlushed(reader);
    this.manifest = job.manifest as Manifest;
    this.flushJob = undefined;
    this.stats.flushes++;
    this.stats.tableBytesWritten += data.length;
    this.dropSegments(job, fx);
  }

  /** Deletes the WAL segments the flushed table covers once the manifest naming it is durable. */
  private dropSegments<M, O>(job: FlushJob, fx: Effect<M, O>[]): void {
    for (const n of this.segments.filter((s) => s < job.walNumber)) {
      fx.push({ type: 'diskDelete', file: walFile(n), tag: this.tag('ignore') });
    }
    this.segments = this.segments.filter((s) => s >= job.walNumber);
    this.publishCompactionManifest(fx);
  }

  /** A compaction is due: some level's score reached 1 and none is running. */
  get needsCompaction(): boolean {
    return (
      this.compaction === undefined && levelToCompact(this.version, this.options) !== undefined
    );
  }

  get compacting(): boolean {
    return this.compaction !== undefined;
  }

  /**
   * Starts a compaction: of the level with the highest score, or of all of `level` into the
   * next one (a manual compaction, LevelDB's CompactRange). False when one is running or there
   * is nothing to do; a corruption when an input table cannot be read.
   */
  compact<M, O>(disk: DiskReader, fx: Effect<M, O>[], level?: number): boolean | Corruption {
    if (this.compaction !== undefined) return false;
    const n = level ?? levelToCompact(this.version, this.options);
    if (n === undefined) return false;
    const plan = planCompaction(
      {
        version: this.version,
        options: this.options,
        pointer: this.compactPointers[n],
        smallestSnapshot: this.smallestSnapshot,
        nextNumber: () => this.nextFile++,
      },
      n,
      level !== undefined,
      disk,
    );
    if (plan === undefined || 'kind' in plan) return plan ?? false;
    this.compactPointers[n] = plan.pointer;
    for (const t of plan.inputs) this.stats.compactionBytesRead += t.meta.bytes;
    const job = new CompactionJob(n, plan.inputs, plan.outputs, () => this.tagNext++);
    this.compaction = job;
    this.onCompactionDone(job.start(fx), fx);
    return true;
  }

  private onCompactionDone<M, O>(progress: JobProgress, fx: Effect<M, O>[]): void {
    if (progress === 'manifest-due') this.publishCompactionManifest(fx);
    else if (progress === 'durable') this.installCompaction(fx);
  }

  /** Writes the compaction's manifest edit, unless a flush's is being written: then after. */
  private publishCompactionManifest<M, O>(fx: Effect<M, O>[]): void {
    const job = this.compaction;
    const flushStage = this.flushJob?.stage;
    if (
      job?.manifestDue !== true ||
      flushStage === 'manifest-sync' ||
      flushStage === 'manifest-dir'
    )
      return;
    const next = this.version.withCompaction(job.level, job.inputFiles, job.readers);
    job.publish(
      {
        version: this.manifest.version + 1,
        lastSeq: this.manifest.lastSeq,
        walNumber: this.manifest.walNumber,
        nextFile: this.nextFile,
        levels: next.metas(),
      },
      fx,
    );
  }

  /** The edit is durable: the outputs serve reads; inputs go once no reader's version has them. */
  private installCompaction<M, O>(fx: Effect<M, O>[]): void {
    const job = this.compaction as CompactionJob;
    this.version = this.version.withCompaction(job.level, job.inputFiles, job.readers);
    this.manifest = job.manifest as Manifest;
    this.compaction = undefined;
    this.stats.compactions++;
    for (const o of job.outputs) this.stats.compactionBytesWritten += o.data.length;
    this.refs.retire(job.inputFiles);
    this.deleteObsolete(fx);
    this.publishFlushManifest(fx);
  }

  private deleteObsolete<M, O>(fx: Effect<M, O>[]): void {
    for (const file of this.refs.deletable(this.version)) {
      fx.push({ type: 'diskDelete', file, tag: this.tag('ignore') });
    }
  }

  /** The oldest sequence number a reader may read at: older versions under it may go. */
  private get smallestSnapshot(): number {
    return this.snapshots.smallest(this.lastSeq);
  }

  /** Whether the memtable must keep a key's older versions (a snapshot may read them). */
  private get keepOlderVersions(): boolean {
    return this.snapshots.size > 0;
  }
}

function found(e: Entry): GetResult {
  return e.value === undefined ? { kind: 'absent' } : { kind: 'found', value: e.value };
}
