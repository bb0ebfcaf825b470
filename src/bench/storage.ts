/**
 * Storage benchmark cases (issue 13): puts per second through the LSM engine with its WAL on
 * (sync policy `always`, group commit, 100-byte values) on the simulated disk, and the recovery
 * of a 100,000-entry WAL (real time; virtual time is nil, as the disk model charges no time for
 * reads). The engine is driven here the way a host would: effects applied to a SimDisk, disk
 * completions handed back after each group of writes. Each figure is the median of `runs` runs.
 * `npm run bench:storage` prints them alone; `npm run bench` includes them.
 */
import { fileURLToPath } from 'node:url';
import { Prng } from '../core/prng.js';
import type { DiskCompletion, Effect } from '../core/protocol.js';
import { DEFAULT_CRASH_MODEL, SimDisk } from '../disk/index.js';
import { LsmEngine } from '../storage/lsm/lsm-engine.js';
import { DEFAULT_LSM_OPTIONS, type LsmOptions } from '../storage/lsm/lsm-options.js';

type Fx = Effect<never, never>[];

/** Applies effects to the disk at once and keeps their completions until `drain`. */
class BenchHost {
  readonly disk = new SimDisk(
    { sectorBytes: 512, crash: DEFAULT_CRASH_MODEL, faults: undefined },
    Prng.root(1).fork('disk:n1'),
  );
  private pending: DiskCompletion[] = [];

  apply(fx: Fx): void {
    for (const e of fx) {
      if (e.type === 'diskWrite') {
        this.disk.write(e.file, e.offset, e.data);
        if (e.quiet !== true)
          this.pending.push({ op: 'write', file: e.file, tag: e.tag, ok: true });
      } else if (e.type === 'diskSync') {
        this.pending.push({ op: 'sync', file: e.file, tag: e.tag, ok: true });
      } else if (e.type === 'diskSyncDir') {
        this.pending.push({ op: 'syncDir', file: '', tag: e.tag, ok: true });
      } else if (e.type === 'diskRename') {
        this.disk.rename(e.from, e.to);
        this.pending.push({ op: 'rename', file: e.from, tag: e.tag, ok: true });
      } else if (e.type === 'diskDelete') {
        this.disk.delete(e.file);
        this.pending.push({ op: 'delete', file: e.file, tag: e.tag, ok: true });
      }
    }
  }

  /** Delivers every completion, performing fsyncs, until the engine asks for nothing more. */
  drain(engine: LsmEngine): void {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      for (const done of batch) {
        if (done.op === 'sync') this.disk.sync(done.file);
        else if (done.op === 'syncDir') this.disk.syncDir();
        const fx: Fx = [];
        engine.onDiskDone(done, fx);
        this.apply(fx);
      }
    }
  }

  open(options: LsmOptions): LsmEngine {
    const fx: Fx = [];
    const r = LsmEngine.open(options, this.disk, fx);
    if (!('engine' in r)) throw new Error(`bench: recovery failed: ${r.reason}`);
    this.apply(fx);
    return r.engine;
  }
}

const VALUE = 'v'.repeat(100);
/** Puts issued between two deliveries of completions: one group commit's worth. */
const GROUP = 64;

export interface StorageFigures {
  readonly putsPerSec: number;
  readonly puts: number;
  readonly recoveryEntries: number;
  readonly recoveryRealMs: number;
  readonly recoveryVirtualMs: number;
}

/** `puts` 100-byte puts on 10,000 keys under sync `always`, flushing as the memtable fills. */
function putRate(puts: number): number {
  const host = new BenchHost();
  const engine = host.open({ ...DEFAULT_LSM_OPTIONS, memtableBytesMax: 4 * 1024 * 1024 });
  const start = performance.now();
  for (let i = 0; i < puts; i++) {
    const fx: Fx = [];
    engine.put(`k${i % 10_000}`, VALUE, fx);
    if (engine.needsFlush) engine.flush(fx);
    host.apply(fx);
    if (i % GROUP === GROUP - 1) host.drain(engine);
  }
  host.drain(engine);
  const ms = performance.now() - start;
  if (engine.durableSeq !== puts) throw new Error('bench: not every put became durable');
  return (puts / ms) * 1000;
}

/** Writes `entries` puts into the WAL alone (no flush), then times opening the engine on it. */
function recoveryMs(entries: number): number {
  const host = new BenchHost();
  const options = { ...DEFAULT_LSM_OPTIONS, memtableBytesMax: 64 * 1024 * 1024 };
  const engine = host.open(options);
  for (let i = 0; i < entries; i++) {
    const fx: Fx = [];
    engine.put(`k${i}`, VALUE, fx);
    host.apply(fx);
    if (i % GROUP === GROUP - 1) host.drain(engine);
  }
  host.drain(engine);
  const start = performance.now();
  const fx: Fx = [];
  const r = LsmEngine.open(options, host.disk, fx);
  const ms = performance.now() - start;
  if (!('engine' in r) || r.recovery.replayedRecords !== entries) {
    throw new Error('bench: recovery did not replay every entry');
  }
  return ms;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

export function storageFigures(runs: number, puts = 200_000, entries = 100_000): StorageFigures {
  putRate(puts / 10);
  const rates = Array.from({ length: runs }, () => putRate(puts));
  const recoveries = Array.from({ length: runs }, () => recoveryMs(entries));
  return {
    putsPerSec: Math.round(median(rates)),
    puts,
    recoveryEntries: entries,
    recoveryRealMs: Math.round(median(recoveries)),
    recoveryVirtualMs: 0,
  };
}

export function storageLines(f: StorageFigures, runs: number): string[] {
  const n = (x: number) => x.toLocaleString('en-US');
  return [
    `lsm: puts/s, sync always, 100-byte values (median of ${runs})${' '.repeat(8)}${n(f.putsPerSec).padStart(12)}  (target 200,000)`,
    `lsm: recovery of ${n(f.recoveryEntries)} WAL entries (median of ${runs})${' '.repeat(9)}${n(f.recoveryRealMs).padStart(9)} ms real, ${f.recoveryVirtualMs} ms virtual`,
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const runs = Number(args[args.indexOf('--runs') + 1] ?? 5) || 5;
  const f = storageFigures(runs);
  if (args.includes('--json')) process.stdout.write(`${JSON.stringify(f, null, 2)}\n`);
  else for (const line of storageLines(f, runs)) process.stdout.write(`${line}\n`);
}
