/**
 * Storage benchmark cases (issue 13): puts per second through the LSM engine with its WAL on
 * (sync policy `always`, group commit, 100-byte values) on the simulated disk; the recovery of a
 * 100,000-entry WAL (real time; virtual time is nil, as the disk model charges no time for
 * reads); and a leveled tree grown by 200,000 puts over 20,000 keys, uniform or skewed (80% of
 * the puts on 20% of the keys), compacted as it goes: its write amplification (table bytes
 * written by flushes and compactions over user bytes), then gets per second over every key of
 * the settled tree and the tables each get probed (read amplification). The engine is driven here the way a host would: effects applied to a SimDisk, disk
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

/** A tree grown by one key distribution: its amplification and how fast it serves gets. */
interface TreeFigures {
  readonly keys: 'uniform' | 'skewed';
  readonly writeAmplification: number;
  readonly tablesPerGet: number;
  readonly getsPerSec: number;
  /** Tables per level, 0 first. */
  readonly levelShape: readonly number[];
}

export interface StorageFigures {
  readonly putsPerSec: number;
  readonly puts: number;
  readonly recoveryEntries: number;
  readonly recoveryRealMs: number;
  readonly recoveryVirtualMs: number;
  readonly trees: readonly TreeFigures[];
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

const TREE_PUTS = 200_000;
const TREE_KEYS = 20_000;
/** Small levels, so 200,000 puts over 20,000 keys build a tree four levels deep. */
const TREE_OPTIONS: LsmOptions = {
  ...DEFAULT_LSM_OPTIONS,
  memtableBytesMax: 32 * 1024,
  level1BytesMax: 32 * 1024,
  tableBytesMax: 16 * 1024,
};
const treeKey = (i: number) => `k${String(i).padStart(5, '0')}`;

/** The i-th put's key: uniform over all keys, or 80% of puts on the first 20% of them. */
function pickKey(prng: Prng, keys: TreeFigures['keys']): string {
  if (keys === 'uniform') return treeKey(prng.int(0, TREE_KEYS - 1));
  const hot = TREE_KEYS / 5;
  return treeKey(prng.chance(4, 5) ? prng.int(0, hot - 1) : prng.int(hot, TREE_KEYS - 1));
}

/** Grows the tree, compacting whenever a level is over its target, and settles it. */
function growTree(host: BenchHost, keys: TreeFigures['keys']): LsmEngine {
  const engine = host.open(TREE_OPTIONS);
  const prng = Prng.root(1).fork(`bench:tree:${keys}`);
  for (let i = 0; i < TREE_PUTS; i++) {
    const fx: Fx = [];
    engine.put(pickKey(prng, keys), VALUE, fx);
    if (engine.needsFlush) engine.flush(fx);
    host.apply(fx);
    if (i % GROUP === GROUP - 1 || engine.flushing) host.drain(engine);
    compactAll(host, engine);
  }
  host.drain(engine);
  compactAll(host, engine);
  return engine;
}

function compactAll(host: BenchHost, engine: LsmEngine): void {
  while (engine.needsCompaction && !engine.compacting && !engine.flushing) {
    const fx: Fx = [];
    const r = engine.compact(host.disk, fx);
    if (typeof r !== 'boolean') throw new Error(`bench: compaction read corruption: ${r.reason}`);
    host.apply(fx);
    host.drain(engine);
    if (!r) break;
  }
}

/** Level counts down to the deepest level holding a table. */
function deepestUsed(shape: readonly number[]): number[] {
  let end = shape.length;
  while (end > 1 && shape[end - 1] === 0) end--;
  return shape.slice(0, end);
}

function treeFigures(keys: TreeFigures['keys']): TreeFigures {
  const host = new BenchHost();
  const engine = growTree(host, keys);
  const s = engine.stats;
  const writeAmplification = (s.tableBytesWritten + s.compactionBytesWritten) / s.userBytes;
  const [gets0, probed0] = [s.gets, s.tablesProbed];
  const start = performance.now();
  for (let i = 0; i < TREE_KEYS; i++) {
    const r = engine.get(treeKey((i * 7919) % TREE_KEYS), host.disk);
    if (r.kind === 'corruption') throw new Error(`bench: get read corruption: ${r.reason}`);
  }
  const ms = performance.now() - start;
  const gets = s.gets - gets0;
  return {
    keys,
    writeAmplification: Math.round(writeAmplification * 10) / 10,
    tablesPerGet: Math.round(((s.tablesProbed - probed0) / gets) * 100) / 100,
    getsPerSec: Math.round((gets / ms) * 1000),
    levelShape: deepestUsed(engine.levelShape),
  };
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
    trees: (['uniform', 'skewed'] as const).map(treeFigures),
  };
}

export function storageLines(f: StorageFigures, runs: number): string[] {
  const n = (x: number) => x.toLocaleString('en-US');
  return [
    `lsm: puts/s, sync always, 100-byte values (median of ${runs})${' '.repeat(8)}${n(f.putsPerSec).padStart(12)}  (target 200,000)`,
    `lsm: recovery of ${n(f.recoveryEntries)} WAL entries (median of ${runs})${' '.repeat(9)}${n(f.recoveryRealMs).padStart(9)} ms real, ${f.recoveryVirtualMs} ms virtual`,
    ...f.trees.map(
      (t) =>
        `lsm: ${t.keys.padEnd(7)} keys, levels ${t.levelShape.join('/')}: write amplification ${t.writeAmplification}, ${t.tablesPerGet} tables/get, ${n(t.getsPerSec)} gets/s`,
    ),
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const runs = Number(args[args.indexOf('--runs') + 1] ?? 5) || 5;
  const f = storageFigures(runs);
  if (args.includes('--json')) process.stdout.write(`${JSON.stringify(f, null, 2)}\n`);
  else for (const line of storageLines(f, runs)) process.stdout.write(`${line}\n`);
}
