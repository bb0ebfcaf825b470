/**
 * One compaction's publication, as effects and completions (the sans-IO half of LevelDB's
 * `DoCompactionWork` + `InstallCompactionResults`): every output table is written to
 * `n.sst.tmp` and fsynced, then all are renamed to `n.sst` and the directory fsynced (ALICE:
 * write → fsync → rename → fsync dir); then the manifest naming the outputs in place of the
 * inputs is replaced the same way. Only after that manifest edit is durable may the inputs be
 * deleted: a crash before it leaves the old manifest, whose tables are all still there, and
 * recovery deletes the unnamed outputs. A failed fsync writes the whole file again.
 *
 * The engine owns the manifest: this job says when its manifest is due (`'manifest-due'`) and
 * is handed the manifest to write, because a flush may be publishing its own and the two take
 * turns (each edit is computed from the last installed manifest).
 */
import { assert } from '../../core/assert.js';
import type { DiskCompletion, Effect } from '../../core/protocol.js';
import { MANIFEST, MANIFEST_TMP, tableFile, tableTmpFile } from './file-names.js';
import { encodeManifest, type Manifest } from './manifest.js';
import type { TableMeta, TableReader } from './sstable.js';

export interface CompactionOutput {
  readonly number: number;
  readonly data: Uint8Array;
  readonly meta: TableMeta;
  readonly reader: TableReader;
}

type Stage =
  | 'tables-sync'
  | 'tables-dir'
  | 'manifest-due'
  | 'manifest-sync'
  | 'manifest-dir'
  | 'durable';

/** What a completion moved the job to, for the engine to act on. */
export type JobProgress = 'working' | 'manifest-due' | 'durable';

export class CompactionJob {
  private stage: Stage = 'tables-sync';
  /** Our tags in flight: an output's fsync (by output), a stage's completion, or one to drop. */
  private readonly tags = new Map<number, CompactionOutput | Stage | 'ignore'>();
  private unsynced: number;
  manifest: Manifest | undefined;

  constructor(
    readonly level: number,
    readonly inputs: readonly TableReader[],
    readonly outputs: readonly CompactionOutput[],
    private readonly tagOf: () => number,
  ) {
    this.unsynced = outputs.length;
  }

  /** The input files, which the installed version no longer names. */
  get inputFiles(): Set<string> {
    return new Set(this.inputs.map((t) => t.meta.file));
  }

  get readers(): TableReader[] {
    return this.outputs.map((o) => o.reader);
  }

  get manifestDue(): boolean {
    return this.stage === 'manifest-due';
  }

  /** Its manifest is being written: a flush's manifest must wait its turn. */
  get publishingManifest(): boolean {
    return this.stage === 'manifest-sync' || this.stage === 'manifest-dir';
  }

  owns(tag: number): boolean {
    return this.tags.has(tag);
  }

  /** Writes and fsyncs every output (their completions may arrive in any order). */
  start<M, O>(fx: Effect<M, O>[]): JobProgress {
    if (this.outputs.length === 0) return this.renamed(fx);
    for (const out of this.outputs) this.writeTable(out, fx);
    return 'working';
  }

  publish<M, O>(manifest: Manifest, fx: Effect<M, O>[]): void {
    assert(this.stage === 'manifest-due', () => `compaction manifest at ${this.stage}`);
    this.manifest = manifest;
    this.stage = 'manifest-sync';
    this.writeAndSync(MANIFEST_TMP, encodeManifest(manifest), 'manifest-sync', fx);
  }

  onDiskDone<M, O>(done: DiskCompletion, fx: Effect<M, O>[]): JobProgress {
    const what = this.tags.get(done.tag);
    this.tags.delete(done.tag);
    assert(what !== undefined, () => `compaction completion with a foreign tag ${done.tag}`);
    if (what === 'ignore') return 'working';
    if (typeof what === 'object') return this.tableSynced(what, done.ok, fx);
    assert(what === this.stage, () => `compaction completion ${what} at ${this.stage}`);
    if (!done.ok) {
      assert(what === 'manifest-sync', () => `${what} cannot fail`);
      this.writeAndSync(MANIFEST_TMP, encodeManifest(this.manifest as Manifest), what, fx);
      return 'working';
    }
    return this.advance(fx);
  }

  private tableSynced<M, O>(out: CompactionOutput, ok: boolean, fx: Effect<M, O>[]): JobProgress {
    // A failed fsync loses the file's pages for good: write the whole table again.
    if (!ok) {
      this.writeTable(out, fx);
      return 'working';
    }
    this.unsynced--;
    if (this.unsynced > 0) return 'working';
    for (const o of this.outputs) this.rename(tableTmpFile(o.number), tableFile(o.number), fx);
    return this.renamed(fx);
  }

  private renamed<M, O>(fx: Effect<M, O>[]): JobProgress {
    this.stage = 'tables-dir';
    fx.push({ type: 'diskSyncDir', tag: this.tag('tables-dir') });
    return 'working';
  }

  private advance<M, O>(fx: Effect<M, O>[]): JobProgress {
    switch (this.stage) {
      case 'tables-dir':
        this.stage = 'manifest-due';
        return 'manifest-due';
      case 'manifest-sync':
        this.rename(MANIFEST_TMP, MANIFEST, fx);
        this.stage = 'manifest-dir';
        fx.push({ type: 'diskSyncDir', tag: this.tag('manifest-dir') });
        return 'working';
      case 'manifest-dir':
        this.stage = 'durable';
        return 'durable';
      default:
        assert(false, () => `compaction completion at ${this.stage}`);
    }
  }

  private writeTable<M, O>(out: CompactionOutput, fx: Effect<M, O>[]): void {
    const file = tableTmpFile(out.number);
    fx.push({ type: 'diskWrite', file, offset: 0, data: out.data, tag: this.tagOf(), quiet: true });
    const t = this.tagOf();
    this.tags.set(t, out);
    fx.push({ type: 'diskSync', file, tag: t });
  }

  private writeAndSync<M, O>(file: string, data: Uint8Array, stage: Stage, fx: Effect<M, O>[]) {
    fx.push({ type: 'diskWrite', file, offset: 0, data, tag: this.tagOf(), quiet: true });
    fx.push({ type: 'diskSync', file, tag: this.tag(stage) });
  }

  private rename<M, O>(from: string, to: string, fx: Effect<M, O>[]): void {
    fx.push({ type: 'diskRename', from, to, tag: this.tag('ignore') });
  }

  private tag(what: Stage | 'ignore'): number {
    const t = this.tagOf();
    this.tags.set(t, what);
    return t;
  }
}
