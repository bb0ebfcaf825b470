/**
 * The storage engine's knobs, bounded: the WAL sync policy (RocksDB's `sync` write option and
 * its background-sync period, and LevelDB's unsynced default), the memtable's flush threshold
 * (`write_buffer_size`), the SSTable data block size (`block_size`), the bloom filter's bits
 * per key (`NewBloomFilterPolicy(bits)`), and leveled compaction's shape: the level fan-out
 * (RocksDB's `max_bytes_for_level_multiplier`), level 1's target size
 * (`max_bytes_for_level_base`), the L0 file count that triggers a compaction
 * (`level0_file_num_compaction_trigger`) and the size at which a compaction output table is
 * cut (`target_file_size_base`).
 *
 * Every option has a range, checked by `lsmOptionProblems` with a field path, so a scenario
 * that embeds the engine reports a bad value at its line (DESIGN §6) instead of tripping an
 * assert deep in a flush.
 */
import type { ScenarioProblem } from '../../options/problem.js';

/**
 * When the WAL is fsynced, and so when a write is acknowledged as durable:
 * - `always`: every write, with group commit (writes arriving during an fsync share the next);
 * - `interval`: every `everyMs` of the host's clock (`tick`); a power loss loses at most that;
 * - `none`: never on its own (only a flush makes data durable): for teaching what it loses.
 */
export type SyncPolicy =
  | { readonly kind: 'always' }
  | { readonly kind: 'interval'; readonly everyMs: number }
  | { readonly kind: 'none' };

/**
 * A known storage bug switched on deliberately (test the tester): each names the research
 * catalogue's item (`../shared/research/bugs-and-fault-models.md` part B) it reproduces. The
 * correct engine runs with none.
 */
export type LsmMutation =
  /** 25: a compaction drops a tombstone without LevelDB's base-level check (leveldb#184). */
  | 'tombstone-dropped-early'
  /** 23: a write is acknowledged before its WAL fsync completes. */
  | 'ack-before-fsync'
  /** WAL replay ends at the first bad record, dropping synced records after it as a torn tail. */
  | 'replay-stops-at-bad-checksum'
  /** 29: after a failed WAL fsync, fsync again and trust it (fsyncgate). */
  | 'retry-fsync'
  /** 27: WAL segments deleted once the table is renamed, before the manifest is durable. */
  | 'wal-deleted-before-flush-durable'
  /** 30: table and manifest published by rename without fsync before it or a dir fsync after. */
  | 'rename-without-fsync'
  /** A restore that copies the base backup's tables and skips the WAL replay after them. */
  | 'restore-skips-wal-replay';

/** Whether `m` is switched on. */
export const mutated = (o: LsmOptions, m: LsmMutation): boolean => o.mutations?.has(m) === true;

export interface LsmOptions {
  readonly sync: SyncPolicy;
  /** Deliberate bugs to switch on; absent or empty for the correct engine. */
  readonly mutations?: ReadonlySet<LsmMutation>;
  /** Encoded bytes of keys and values in the memtable that make `needsFlush` true. */
  readonly memtableBytesMax: number;
  /** Target size of an SSTable data block; a block closes at the first entry past it. */
  readonly blockBytes: number;
  /** Bloom filter bits per key; 10 gives about a 1% false-positive rate. 0 turns it off. */
  readonly bloomBitsPerKey: number;
  /** Size ratio between adjacent levels: level n+1's target is `levelFanout` × level n's. */
  readonly levelFanout: number;
  /** Target bytes of level 1; deeper levels multiply it by the fan-out. */
  readonly level1BytesMax: number;
  /** Level-0 tables that make a level-0 compaction due (its score reaches 1). */
  readonly level0CompactionTrigger: number;
  /** A compaction's output table is closed at the first key boundary past this many bytes. */
  readonly tableBytesMax: number;
}

export const DEFAULT_LSM_OPTIONS: LsmOptions = Object.freeze({
  sync: Object.freeze({ kind: 'always' as const }),
  memtableBytesMax: 64 * 1024,
  blockBytes: 4096,
  bloomBitsPerKey: 10,
  levelFanout: 10,
  level1BytesMax: 256 * 1024,
  level0CompactionTrigger: 4,
  tableBytesMax: 64 * 1024,
});

/**
 * Inclusive ranges: a block holds at least an entry; past 32 bits/key a filter is waste; a
 * fan-out below 2 is no tree, and past 100 a level-n compaction rewrites 100 tables per input.
 */
const LSM_OPTION_RANGES = Object.freeze({
  memtableBytesMax: [256, 64 * 1024 * 1024],
  blockBytes: [64, 1024 * 1024],
  bloomBitsPerKey: [0, 32],
  levelFanout: [2, 100],
  level1BytesMax: [1024, 1024 * 1024 * 1024],
  level0CompactionTrigger: [1, 64],
  tableBytesMax: [256, 256 * 1024 * 1024],
  everyMs: [1, 60_000],
} as const);

function outOfRange(value: number, [min, max]: readonly [number, number]): string | undefined {
  return Number.isSafeInteger(value) && value >= min && value <= max
    ? undefined
    : `expected a whole number from ${min} to ${max}, got ${value}`;
}

/** Every out-of-range option, with its field path; empty when the options are usable. */
export function lsmOptionProblems(o: LsmOptions): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  const keys = [
    'memtableBytesMax',
    'blockBytes',
    'bloomBitsPerKey',
    'levelFanout',
    'level1BytesMax',
    'level0CompactionTrigger',
    'tableBytesMax',
  ] as const;
  for (const key of keys) {
    const message = outOfRange(o[key], LSM_OPTION_RANGES[key]);
    if (message !== undefined) problems.push({ path: [key], message });
  }
  if (o.sync.kind === 'interval') {
    const message = outOfRange(o.sync.everyMs, LSM_OPTION_RANGES.everyMs);
    if (message !== undefined) problems.push({ path: ['sync', 'everyMs'], message });
  }
  return problems;
}
