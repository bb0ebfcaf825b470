/**
 * `storage: lsm`: the replicated kv store kept in the LSM engine on the node's disk
 * (storage/lsm/replicated-kv.ts) beside the `meta` and `wal` files, instead of in memory and
 * rebuilt from the log after every restart.
 *
 * - Applying entry i writes the command's effect and the applied mark (i and its epoch) in one
 *   engine write batch, so the mark is durable exactly when the data it describes is.
 * - Recovery opens the engine and, when the recovered log holds the mark's entry (same index,
 *   same epoch), starts applied and commitIndex there: only entries past it are applied again,
 *   as the primary's commit point is learned again. An engine ahead of the log (a backup applies
 *   what the primary committed before its own WAL fsync, and a power loss took the WAL's tail),
 *   or one that disagrees with it, is emptied and the store is rebuilt from the log, as in memory.
 * - An async rollback of committed entries empties the engine and applies the surviving prefix.
 */
import type { KvOutput } from '../../core/history.js';
import type { NodeContext } from '../../core/protocol.js';
import { ReplicatedKv } from '../../storage/lsm/replicated-kv.js';
import type { Entry } from './messages.js';
import type { PbConfig } from './pb-config.js';
import { epochAt, type PbEffect, type PbState } from './pb-state.js';

export const LSM_SYNC_TIMER = 'lsm-sync';
const EMPTY = { kv: [], sessions: [] };
const ZERO = { index: 0, term: 0, chain: 0 };

/** Opens the engine (first boot and restart); false when its image cannot be recovered. */
export function openStore(cfg: PbConfig, s: PbState, ctx: NodeContext, fx: PbEffect[]): boolean {
  if (cfg.lsm === undefined) return true;
  const opened = ReplicatedKv.open(cfg.lsm, ctx.disk, fx);
  if (!('kv' in opened)) {
    fx.push({ type: 'mark', name: 'pb.storage-unrecoverable' });
    return false;
  }
  s.store = opened.kv;
  armSync(cfg, fx);
  return true;
}

function armSync(cfg: PbConfig, fx: PbEffect[]): void {
  const sync = cfg.lsm?.sync;
  if (sync?.kind === 'interval')
    fx.push({ type: 'setTimer', name: LSM_SYNC_TIMER, afterUs: sync.everyMs * 1000 });
}

/** The `interval` sync policy's timer: fsync the engine's WAL, and arm it again. */
export function onSyncTimer(cfg: PbConfig, s: PbState, fx: PbEffect[]): void {
  s.store?.tick(fx);
  armSync(cfg, fx);
}

/** After the WAL replay: start from the engine's mark when the log holds its entry. */
export function resumeFromStore(s: PbState, fx: PbEffect[]): void {
  const store = s.store;
  if (store === undefined) return;
  const a = store.applied;
  if (a.index <= s.log.length && epochAt(s, a.index) === a.term) {
    s.commitIndex = s.applied = a.index;
    return;
  }
  fx.push({ type: 'mark', name: 'pb.store-rebuilt' });
  store.install(EMPTY, ZERO, fx);
}

/** Applies one committed entry to whichever store the node has. */
export function applyEntry(s: PbState, e: Entry, fx: PbEffect[]): KvOutput {
  if (s.store === undefined) return s.kv.apply(e.cmd);
  return s.store.apply(e.cmd, undefined, { index: e.index, term: e.epoch, chain: 0 }, fx);
}

export const readKey = (s: PbState, key: string): KvOutput =>
  s.store === undefined ? s.kv.get(key) : s.store.get(key);

/** Empties the engine before an async rollback re-applies the surviving prefix. */
export function emptyStore(s: PbState, fx: PbEffect[]): void {
  s.store?.install(EMPTY, ZERO, fx);
}
