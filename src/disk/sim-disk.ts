/**
 * One node's simulated disk: a flat directory of named files over inodes, with a page cache in
 * front of durable storage, after ALICE's abstract persistence model (Pillai et al., OSDI'14).
 *
 * - Each inode holds durable bytes and the writes issued since its last fsync, in order. Reads
 *   see the page cache: durable bytes with those writes applied.
 * - `sync(file)` makes a file's writes durable. A failed fsync (EIO) drops them from the durable
 *   path for good, as ext4/XFS do by marking the pages clean (Rebello et al., ATC'20,
 *   "fsyncgate"): they stay readable until a crash, and a later fsync that succeeds does not
 *   bring them back.
 * - Creates, renames and deletes change the directory at once but persist only with
 *   `syncDir()`. A crash keeps a prefix of them, the way a journaling file system commits
 *   metadata in order. Data belongs to the inode: a renamed file keeps its unsynced writes.
 * - `crash()` (power loss) keeps, tears (sector by sector) or loses each unsynced write. It
 *   never invents data: every byte is old durable data, written data or the zero fill of an
 *   extension, unless a corruption fault was configured.
 * - Faults (bit flips, latent sector errors, misdirected writes, fsync errors) strike only when
 *   the config has `faults`, bounded per (file, sector) block by `FaultBudget`.
 *
 * Left out, to keep one model a reader can hold: per-page dirty tracking (a write after a failed
 * fsync dirties only its own bytes, not the whole page), garbage (as opposed to zeros) exposed by
 * a torn append, non-atomic rename (ALICE splits it; we keep it atomic, as ext4 and XFS journal
 * it), hard links, truncate, and ordering between file data and directory operations (either may
 * persist without the other, which is what ALICE allows).
 */
import { assert } from '../core/assert.js';
import { copyBytes } from '../core/byte-arena.js';
import type { Prng } from '../core/prng.js';
import type { DiskReader, DiskReadResult } from '../core/protocol.js';
import { assertDiskConfig, type DiskConfig } from './disk-config.js';
import {
  DISK_FAULT_KINDS,
  FaultBudget,
  type DiskFaultKind,
  type InjectedFault,
} from './fault-budget.js';
import { GrowableBytes } from './growable-bytes.js';
import { insertSorted, removeSorted } from '../core/sorted-strings.js';

export type DiskWriteResult =
  | { readonly ok: true; readonly offset: number }
  | { readonly ok: false; readonly error: string };
export type DiskResult = { readonly ok: true } | { readonly ok: false; readonly error: string };

export interface SimDiskStats {
  writes: number;
  bytesWritten: number;
  reads: number;
  syncs: number;
  syncDirs: number;
  crashes: number;
  /** Unsynced writes a crash kept whole. */
  keptWrites: number;
  /** Unsynced writes a crash tore (some sectors persisted, maybe none or all). */
  tornWrites: number;
  /** Unsynced writes a crash lost entirely, including those of files whose name did not survive. */
  lostWrites: number;
  /** Unsynced directory operations a crash lost. */
  dirOpsLost: number;
  /** Fault events by kind (one per fault, however many blocks it hit). */
  faultsInjected: Record<DiskFaultKind, number>;
}

/** One write issued since the inode's last fsync, at the offset where it really landed. */
interface UnsyncedWrite {
  readonly offset: number;
  readonly data: Uint8Array;
  /** The file size the write implies; past `offset + data.length` only for a misdirected append. */
  readonly extendTo: number;
}

interface Inode {
  readonly id: number;
  /** The page cache: what reads see. */
  visible: GrowableBytes;
  /** What survives a crash that keeps nothing unsynced. */
  readonly durable: GrowableBytes;
  unsynced: UnsyncedWrite[];
  /** Sectors with a latent sector error. They live on the medium, so they outlast crashes. */
  readonly unreadable: Set<number>;
}

type DirOp =
  | { readonly kind: 'create'; readonly name: string; readonly inode: number }
  | { readonly kind: 'rename'; readonly from: string; readonly to: string }
  | { readonly kind: 'delete'; readonly name: string };

const ENOENT = 'ENOENT';
const EIO = 'EIO';
const EINVAL = 'EINVAL';

const OK: DiskResult = Object.freeze({ ok: true });

/** A flat directory: names are non-empty and contain no `/`. */
const isValidName = (name: string): boolean => name.length > 0 && !name.includes('/');

export class SimDisk implements DiskReader {
  private readonly inodes = new Map<number, Inode>();
  private nextInode = 1;
  /** Name → inode as processes see it now. */
  private visibleDir = new Map<string, number>();
  /** `visibleDir`'s names, sorted: built at the first listing, then kept as names come and go. */
  private listed: string[] | undefined;
  /** Name → inode as of the last directory sync (plus what crashes kept). */
  private readonly durableDir = new Map<string, number>();
  /** Directory operations since the last `syncDir`, in issue order. */
  private dirOps: DirOp[] = [];
  private readonly budget: FaultBudget;
  private readonly counters: SimDiskStats;
  readonly config: DiskConfig;
  private readonly rng: Prng;

  constructor(config: DiskConfig, rng: Prng) {
    assertDiskConfig(config);
    this.config = config;
    this.rng = rng;
    this.budget = new FaultBudget(config.faults?.faultsPerBlockMax ?? 0);
    const faultsInjected = {} as Record<DiskFaultKind, number>;
    for (const kind of DISK_FAULT_KINDS) faultsInjected[kind] = 0;
    this.counters = {
      writes: 0,
      bytesWritten: 0,
      reads: 0,
      syncs: 0,
      syncDirs: 0,
      crashes: 0,
      keptWrites: 0,
      tornWrites: 0,
      lostWrites: 0,
      dirOpsLost: 0,
      faultsInjected,
    };
  }

  /** Every (file, sector) block a fault hit, in order. */
  get injected(): readonly InjectedFault[] {
    return this.budget.log;
  }

  stats(): SimDiskStats {
    return { ...this.counters, faultsInjected: { ...this.counters.faultsInjected } };
  }

  // ---- DiskReader -------------------------------------------------------------------------

  list(): string[] {
    this.listed ??= [...this.visibleDir.keys()].sort();
    return this.listed.slice();
  }

  size(file: string): number | undefined {
    return this.lookup(file)?.visible.length;
  }

  read(file: string, offset = 0, length?: number): DiskReadResult {
    assert(
      Number.isSafeInteger(offset) && offset >= 0,
      () => `read(${file}): bad offset ${offset}`,
    );
    assert(
      length === undefined || (Number.isSafeInteger(length) && length >= 0),
      () => `read(${file}): bad length ${length}`,
    );
    const inode = this.lookup(file);
    if (inode === undefined) return { ok: false, error: ENOENT };
    this.counters.reads++;
    const size = inode.visible.length;
    const start = Math.min(offset, size);
    const end = length === undefined ? size : Math.min(size, start + length);
    if (end > start && this.touchesUnreadable(inode, start, end)) return { ok: false, error: EIO };
    const data = inode.visible.slice(start, end);
    const faults = this.config.faults;
    if (faults !== undefined && data.length > 0 && this.rng.chancePpm(faults.bitFlipOnReadPpm)) {
      const bit = this.rng.int(0, data.length * 8 - 1);
      const sectors = [this.sectorOf(start + (bit >>> 3))];
      if (this.budget.allows(file, sectors)) {
        flipBit(data, bit);
        this.inject('bitFlipOnRead', file, sectors);
      }
    }
    return { ok: true, data };
  }

  // ---- file data --------------------------------------------------------------------------

  /**
   * Writes `data` at `offset` (or at the end with `append`) into the page cache, creating the file
   * if needed. The result names the offset the caller asked for: a misdirected write is silent.
   */
  write(file: string, offset: number | 'append', data: Uint8Array): DiskWriteResult {
    if (!isValidName(file)) return { ok: false, error: EINVAL };
    assert(
      offset === 'append' || (Number.isSafeInteger(offset) && offset >= 0),
      () => `write(${file}): bad offset ${offset}`,
    );
    const inode = this.lookup(file) ?? this.create(file);
    const sizeBefore = inode.visible.length;
    const target = offset === 'append' ? sizeBefore : offset;
    this.counters.writes++;
    this.counters.bytesWritten += data.length;
    // POSIX: a zero-byte write changes nothing (it does not extend the file).
    if (data.length === 0) return { ok: true, offset: target };

    const stored = copyBytes(data);
    let landing = target;
    let extendTo = target + data.length;
    const faults = this.config.faults;
    if (faults !== undefined) {
      if (this.rng.chancePpm(faults.misdirectedWritePpm)) {
        // The file system grows the file as asked (its metadata is right); the data goes elsewhere.
        const sizeAfter = Math.max(sizeBefore, extendTo);
        const other = this.pickMisdirection(sizeBefore, sizeAfter, target, data.length);
        if (other !== undefined) {
          const sectors = unionSorted(
            this.sectorsOf(target, data.length),
            this.sectorsOf(other, data.length),
          );
          if (this.budget.allows(file, sectors)) {
            landing = other;
            extendTo = sizeAfter;
            this.inject('misdirectedWrite', file, sectors);
          }
        }
      }
      if (this.rng.chancePpm(faults.bitFlipOnWritePpm)) {
        const bit = this.rng.int(0, stored.length * 8 - 1);
        const sectors = [this.sectorOf(landing + (bit >>> 3))];
        if (this.budget.allows(file, sectors)) {
          flipBit(stored, bit);
          this.inject('bitFlipOnWrite', file, sectors);
        }
      }
    }
    // Rewriting a sector remaps it: a latent error there is gone.
    this.clearUnreadable(inode, landing, landing + stored.length);
    if (faults !== undefined && this.rng.chancePpm(faults.latentSectorErrorPpm)) {
      const sectors = [
        this.rng.int(this.sectorOf(landing), this.sectorOf(landing + stored.length - 1)),
      ];
      if (this.budget.allows(file, sectors)) {
        inode.unreadable.add(sectors[0] as number);
        this.inject('latentSectorError', file, sectors);
      }
    }
    const write: UnsyncedWrite = { offset: landing, data: stored, extendTo };
    applyWrite(inode.visible, write);
    inode.unsynced.push(write);
    return { ok: true, offset: target };
  }

  /** fsync(file): makes the file's unsynced writes durable, or fails with EIO and drops them. */
  sync(file: string): DiskResult {
    const inode = this.lookup(file);
    if (inode === undefined) return { ok: false, error: ENOENT };
    this.counters.syncs++;
    if (inode.unsynced.length === 0) return OK;
    const faults = this.config.faults;
    if (faults !== undefined && this.rng.chancePpm(faults.fsyncFailPpm)) {
      const sectors = this.sectorsOfWrites(inode.unsynced);
      if (this.budget.allows(file, sectors)) {
        // fsyncgate: the pages are marked clean. The bytes stay in the page cache (so reads
        // still see them) but are gone from the durable path; a retry will report success.
        inode.unsynced = [];
        this.inject('fsyncFail', file, sectors);
        return { ok: false, error: EIO };
      }
    }
    for (const write of inode.unsynced) applyWrite(inode.durable, write);
    inode.unsynced = [];
    return OK;
  }

  // ---- directory --------------------------------------------------------------------------

  /** Atomically points `to` at `from`'s file (replacing any file called `to`) and removes `from`. */
  rename(from: string, to: string): DiskResult {
    if (!isValidName(from) || !isValidName(to)) return { ok: false, error: EINVAL };
    const inode = this.visibleDir.get(from);
    if (inode === undefined) return { ok: false, error: ENOENT };
    if (from === to) return OK;
    this.visibleDir.delete(from);
    this.visibleDir.set(to, inode);
    if (this.listed !== undefined) {
      removeSorted(this.listed, from);
      insertSorted(this.listed, to);
    }
    this.dirOps.push({ kind: 'rename', from, to });
    return OK;
  }

  /** Unlinks `file`. Its data stays reachable by a crash until the delete is synced. */
  delete(file: string): DiskResult {
    if (!isValidName(file)) return { ok: false, error: EINVAL };
    if (!this.visibleDir.delete(file)) return { ok: false, error: ENOENT };
    if (this.listed !== undefined) removeSorted(this.listed, file);
    this.dirOps.push({ kind: 'delete', name: file });
    return OK;
  }

  /** fsync of the directory: makes every create, rename and delete so far durable. */
  syncDir(): DiskResult {
    this.counters.syncDirs++;
    // After a directory sync nothing can bring back an inode without a durable name. Every inode
    // had one (or a pending create) before, and an inode has at most one name, so the orphans
    // are exactly the inodes these operations took a name from.
    for (const op of this.dirOps) {
      const unnamed = applyDirOp(this.durableDir, op);
      if (unnamed !== undefined) this.inodes.delete(unnamed);
    }
    this.dirOps = [];
    return OK;
  }

  // ---- power loss -------------------------------------------------------------------------

  /**
   * Power loss. A prefix of the unsynced directory operations survives; then, for each file that
   * still has a name, each unsynced write in issue order is kept whole, torn (each sector it
   * touches persists or not, with even odds) or lost. Afterwards the page cache is the durable
   * state.
   */
  crash(): void {
    this.counters.crashes++;
    const crash = this.config.crash;
    let kept = 0;
    while (kept < this.dirOps.length && this.rng.chancePpm(crash.dirOpsKeepPpm)) {
      applyDirOp(this.durableDir, this.dirOps[kept] as DirOp);
      kept++;
    }
    this.counters.dirOpsLost += this.dirOps.length - kept;
    this.dirOps = [];

    const named = new Set(this.durableDir.values());
    // Map iteration follows insertion, which is inode number order: stable across runs.
    for (const inode of this.inodes.values()) {
      if (!named.has(inode.id)) {
        this.counters.lostWrites += inode.unsynced.length;
        this.inodes.delete(inode.id);
        continue;
      }
      for (const write of inode.unsynced) {
        if (this.rng.chancePpm(crash.keepUnsyncedPpm)) {
          this.counters.keptWrites++;
          applyWrite(inode.durable, write);
        } else if (this.rng.chancePpm(crash.tornPpm)) {
          this.counters.tornWrites++;
          this.tear(inode.durable, write);
        } else {
          this.counters.lostWrites++;
        }
      }
      inode.unsynced = [];
      inode.visible = inode.durable.clone();
    }
    this.visibleDir = new Map(this.durableDir);
    this.listed = undefined;
  }

  /**
   * The disk is lost (a dead drive, a destroyed volume) and a blank one of the same model takes
   * its place: every file, synced or not, and every pending directory operation is gone. The
   * node must already be down (a crash first); what it held is only what backups copied.
   */
  lose(): void {
    this.inodes.clear();
    this.visibleDir = new Map();
    this.listed = undefined;
    this.durableDir.clear();
    this.dirOps = [];
  }

  /**
   * What a crash that keeps nothing unsynced would leave: the synced names with their synced
   * bytes, as copies. For durability oracles; a protocol sees the disk only through `read`.
   */
  durableImage(): Map<string, Uint8Array> {
    const image = new Map<string, Uint8Array>();
    for (const name of [...this.durableDir.keys()].sort()) {
      const inode = this.inodes.get(this.durableDir.get(name) as number) as Inode;
      image.set(name, inode.durable.slice(0, inode.durable.length));
    }
    return image;
  }

  // ---- internals --------------------------------------------------------------------------

  private lookup(file: string): Inode | undefined {
    const id = this.visibleDir.get(file);
    return id === undefined ? undefined : this.inodes.get(id);
  }

  private create(file: string): Inode {
    const inode: Inode = {
      id: this.nextInode++,
      visible: new GrowableBytes(),
      durable: new GrowableBytes(),
      unsynced: [],
      unreadable: new Set(),
    };
    this.inodes.set(inode.id, inode);
    this.visibleDir.set(file, inode.id);
    if (this.listed !== undefined) insertSorted(this.listed, file);
    this.dirOps.push({ kind: 'create', name: file, inode: inode.id });
    return inode;
  }

  /** Persists the part of `write` inside each sector it touches, each with even odds. */
  private tear(durable: GrowableBytes, write: UnsyncedWrite): void {
    const sectorBytes = this.config.sectorBytes;
    const end = write.offset + write.data.length;
    const last = this.sectorOf(end - 1);
    for (let sector = this.sectorOf(write.offset); sector <= last; sector++) {
      if (!this.rng.chance(1, 2)) continue;
      const lo = Math.max(write.offset, sector * sectorBytes);
      const hi = Math.min(end, (sector + 1) * sectorBytes);
      durable.write(lo, write.data.subarray(lo - write.offset, hi - write.offset));
    }
  }

  /**
   * A sector-aligned offset other than `target`, starting within the file's current size, where
   * a write of `length` bytes still fits in the size the file will have; undefined if none.
   */
  private pickMisdirection(
    sizeBefore: number,
    sizeAfter: number,
    target: number,
    length: number,
  ): number | undefined {
    const sectorBytes = this.config.sectorBytes;
    if (sizeBefore === 0 || length > sizeAfter) return undefined;
    const kMax = Math.min(
      Math.floor((sizeAfter - length) / sectorBytes),
      Math.ceil(sizeBefore / sectorBytes) - 1,
    );
    const excluded =
      target % sectorBytes === 0 && target / sectorBytes <= kMax ? target / sectorBytes : -1;
    const choices = kMax + 1 - (excluded >= 0 ? 1 : 0);
    if (choices <= 0) return undefined;
    let k = this.rng.int(0, choices - 1);
    if (excluded >= 0 && k >= excluded) k++;
    return k * sectorBytes;
  }

  private touchesUnreadable(inode: Inode, start: number, end: number): boolean {
    if (inode.unreadable.size === 0) return false;
    const first = this.sectorOf(start);
    const last = this.sectorOf(end - 1);
    for (const sector of inode.unreadable) if (sector >= first && sector <= last) return true;
    return false;
  }

  private clearUnreadable(inode: Inode, start: number, end: number): void {
    if (inode.unreadable.size === 0) return;
    const first = this.sectorOf(start);
    const last = this.sectorOf(end - 1);
    for (const sector of [...inode.unreadable])
      if (sector >= first && sector <= last) inode.unreadable.delete(sector);
  }

  private sectorOf(byte: number): number {
    return Math.floor(byte / this.config.sectorBytes);
  }

  private sectorsOf(offset: number, length: number): number[] {
    const sectors: number[] = [];
    const last = this.sectorOf(offset + length - 1);
    for (let s = this.sectorOf(offset); s <= last; s++) sectors.push(s);
    return sectors;
  }

  private sectorsOfWrites(writes: readonly UnsyncedWrite[]): number[] {
    const seen = new Set<number>();
    for (const w of writes) for (const s of this.sectorsOf(w.offset, w.data.length)) seen.add(s);
    return [...seen].sort((a, b) => a - b);
  }

  private inject(kind: DiskFaultKind, file: string, sectors: readonly number[]): void {
    this.counters.faultsInjected[kind]++;
    this.budget.charge(kind, file, sectors);
  }
}

function applyWrite(bytes: GrowableBytes, write: UnsyncedWrite): void {
  bytes.write(write.offset, write.data);
  bytes.extendTo(write.extendTo);
}

/** Applies `op` to a directory; returns the inode it took a name from (now nameless), if any. */
function applyDirOp(dir: Map<string, number>, op: DirOp): number | undefined {
  switch (op.kind) {
    case 'create': {
      const replaced = dir.get(op.name);
      dir.set(op.name, op.inode);
      return replaced;
    }
    case 'rename': {
      const inode = dir.get(op.from);
      // The durable directory plus the pending operations always equals the visible one.
      assert(inode !== undefined, () => `durable rename of missing ${op.from}`);
      const replaced = dir.get(op.to);
      dir.delete(op.from);
      dir.set(op.to, inode);
      return replaced;
    }
    case 'delete': {
      const removed = dir.get(op.name);
      dir.delete(op.name);
      return removed;
    }
  }
}

function flipBit(data: Uint8Array, bit: number): void {
  const index = bit >>> 3;
  data[index] = (data[index] as number) ^ (1 << (bit & 7));
}

function unionSorted(a: readonly number[], b: readonly number[]): number[] {
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}
