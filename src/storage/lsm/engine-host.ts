/**
 * What every protocol that embeds the engine does the same way: open it on the node's disk,
 * trying again when the read looks corrupt (a read fault does not repeat; corruption on the
 * platter does), read a key the same way, and start the background work that is due after each
 * request and completion. The kv-store protocol and the replicated state machines (primary/backup,
 * Raft: replicated-kv.ts) share these, so a routing fix lands once.
 *
 * The engine's disk tags start at `tagBase`, which the host picks far above its own counter, so
 * `engine.owns(tag)` tells the engine's completions from the protocol's without a table.
 */
import type { DiskReader, Effect } from '../../core/protocol.js';
import { type GetResult, LsmEngine } from './lsm-engine.js';
import type { LsmOptions } from './lsm-options.js';
import type { Recovery } from './recovery.js';
import type { Corruption } from './sstable.js';

/** Whole opens tried before the image is believed unrecoverable. */
const OPENS_MAX = 3;
/** Reads of a get tried in all before corruption is believed (engine recovery re-reads too). */
const READS_MAX = 10;

/** Tags far above a protocol's own counter: the engine's completions are told apart by range. */
export const ENGINE_TAG_BASE = 2 ** 40;

export type Opened = { readonly engine: LsmEngine; readonly recovery: Recovery } | Corruption;

/** Opens the engine on `disk`, up to `OPENS_MAX` times while it reads corrupt; effects on `fx`. */
export function openEngine<M, O>(
  options: LsmOptions,
  disk: DiskReader,
  fx: Effect<M, O>[],
  tagBase = 1,
): Opened {
  let tried: Effect<M, O>[] = [];
  let opened: Opened | undefined;
  for (let i = 0; i < OPENS_MAX; i++) {
    tried = [];
    opened = LsmEngine.open(options, disk, tried, tagBase);
    if ('engine' in opened) break;
  }
  fx.push(...tried);
  return opened as Opened;
}

/** A get, read again while the engine finds corruption; `onRetry` runs before each retry. */
export function readRetrying(
  engine: LsmEngine,
  key: string,
  disk: DiskReader,
  onRetry: () => void = () => {},
): GetResult {
  let r = engine.get(key, disk);
  for (let i = 1; i < READS_MAX && r.kind === 'corruption'; i++) {
    onRetry();
    r = engine.get(key, disk);
  }
  return r;
}

/**
 * Starts the background work that is due: a flush of a full memtable, a compaction of a level
 * whose score reached 1. A compaction whose input reads corrupt is not started (a read fault
 * does not repeat: the next completion tries again).
 */
export function maintain<M, O>(engine: LsmEngine, disk: DiskReader, fx: Effect<M, O>[]): void {
  if (engine.needsFlush) engine.flush(fx);
  if (engine.needsCompaction) engine.compact(disk, fx);
}
