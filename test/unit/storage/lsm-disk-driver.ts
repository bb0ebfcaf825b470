/**
 * A tiny host for the LSM engine in tests: it hands the engine's effects to a SimDisk the way
 * src/sim/world.ts does (writes, renames and deletes land at once; an fsync happens when its
 * completion is delivered) and hands completions back one at a time, in issue order, so a test
 * can crash the disk between any two of them.
 */
import type { DiskCompletion, Effect } from '../../../src/core/protocol.js';
import { Prng } from '../../../src/core/prng.js';
import {
  DEFAULT_CRASH_MODEL,
  SimDisk,
  type CrashModel,
  type DiskFaults,
} from '../../../src/disk/index.js';
import { LsmEngine } from '../../../src/storage/lsm/lsm-engine.js';
import { DEFAULT_LSM_OPTIONS, type LsmOptions } from '../../../src/storage/lsm/lsm-options.js';
import type { Recovery } from '../../../src/storage/lsm/recovery.js';
import type { Corruption } from '../../../src/storage/lsm/sstable.js';

export type Fx = Effect<never, never>[];

export class LsmDiskDriver {
  readonly disk: SimDisk;
  private pending: (DiskCompletion & { readonly sync?: boolean })[] = [];
  engine: LsmEngine | undefined;
  lastRecovery: Recovery | Corruption | undefined;

  constructor(
    readonly options: LsmOptions,
    seed: number,
    crash: Partial<CrashModel> = {},
    faults?: DiskFaults,
    /** A disk to open on (a restored image, say) instead of a fresh one. */
    disk?: SimDisk,
  ) {
    this.disk =
      disk ??
      new SimDisk(
        { sectorBytes: 512, crash: { ...DEFAULT_CRASH_MODEL, ...crash }, faults },
        Prng.root(seed).fork('disk:n1'),
      );
  }

  get live(): LsmEngine {
    if (this.engine === undefined) throw new Error('engine not open');
    return this.engine;
  }

  /** Opens (recovers) the engine on the disk; undefined engine when recovery found corruption. */
  open(): Recovery | Corruption {
    const fx: Fx = [];
    const r = LsmEngine.open(this.options, this.disk, fx);
    this.engine = 'engine' in r ? r.engine : undefined;
    this.lastRecovery = 'engine' in r ? r.recovery : r;
    this.apply(fx);
    return this.lastRecovery;
  }

  /** Runs `f` with a fresh effect list and applies what it pushed. */
  run<T>(f: (e: LsmEngine, fx: Fx) => T): T {
    const fx: Fx = [];
    const out = f(this.live, fx);
    this.apply(fx);
    return out;
  }

  apply(fx: Fx): void {
    for (const e of fx) {
      switch (e.type) {
        case 'diskWrite': {
          const r = this.disk.write(e.file, e.offset, e.data);
          if (!(r.ok && e.quiet === true))
            this.pending.push({ op: 'write', file: e.file, tag: e.tag, ok: r.ok });
          break;
        }
        case 'diskSync':
          this.pending.push({ op: 'sync', file: e.file, tag: e.tag, ok: true, sync: true });
          break;
        case 'diskSyncDir':
          this.pending.push({ op: 'syncDir', file: '', tag: e.tag, ok: true });
          break;
        case 'diskRename':
          this.pending.push({
            op: 'rename',
            file: e.from,
            tag: e.tag,
            ok: this.disk.rename(e.from, e.to).ok,
          });
          break;
        case 'diskDelete':
          this.pending.push({
            op: 'delete',
            file: e.file,
            tag: e.tag,
            ok: this.disk.delete(e.file).ok,
          });
          break;
        default:
          throw new Error(`unexpected effect ${e.type}`);
      }
    }
  }

  get inFlight(): number {
    return this.pending.length;
  }

  /** Delivers the oldest completion (performing its fsync); false when none is pending. */
  step(): boolean {
    const next = this.pending.shift();
    if (next === undefined) return false;
    let done: DiskCompletion = next;
    if (next.op === 'sync') {
      const r = this.disk.sync(next.file);
      done = { op: 'sync', file: next.file, tag: next.tag, ok: r.ok };
    } else if (next.op === 'syncDir') this.disk.syncDir();
    this.run((e, fx) => e.onDiskDone(done, fx));
    return true;
  }

  /** Delivers completions until none is pending (bounded: a loop here is a bug). */
  settle(stepsMax = 10_000): void {
    for (let i = 0; i < stepsMax; i++) if (!this.step()) return;
    throw new Error('the engine did not settle');
  }

  /** Power loss: in-flight completions vanish with the process. */
  crash(): void {
    this.pending = [];
    this.engine = undefined;
    this.disk.crash();
  }
}

/** The default options with some replaced. */
export const opts = (o: Partial<LsmOptions> = {}): LsmOptions => ({ ...DEFAULT_LSM_OPTIONS, ...o });

/** A crash that keeps no unsynced write: what survives is exactly what was made durable. */
export const LOSE_ALL = { keepUnsyncedPpm: 0, tornPpm: 0, dirOpsKeepPpm: 0 };

/** A driver over a fresh disk, its engine opened. */
export function openDriver(o: Partial<LsmOptions> = {}, seed = 1, crash = LOSE_ALL): LsmDiskDriver {
  const d = new LsmDiskDriver(opts(o), seed, crash);
  d.open();
  return d;
}

/** A get on the live engine through the driver's disk. */
export const get = (d: LsmDiskDriver, key: string) => d.live.get(key, d.disk);
