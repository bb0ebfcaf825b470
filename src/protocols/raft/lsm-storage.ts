/**
 * `storage: lsm`: Raft's state machine (the kv store and the client sessions) kept in the LSM
 * engine on the node's disk (storage/lsm/replicated-kv.ts) instead of in memory, beside the
 * `meta` and `wal` files (the engine's names — MANIFEST, wal-NNNNNN.log, NNNNNN.sst — never
 * collide with them).
 *
 * - Applying entry i writes, in one engine batch, the command's effect, its session record and
 *   the applied mark (i, its term, the log's chain digest at i). Recovery opens the engine and
 *   takes the durable mark as lastApplied and commitIndex: only the entries past it are applied
 *   again, as they commit again.
 * - The engine is the snapshot. A log compaction (snapshots.ts) cuts the log at the engine's
 *   *durable* applied index, never past it, and writes only the log base (index, term, chain)
 *   into the rewritten WAL. If the engine is ahead of the log after a crash (a follower applies
 *   entries its own WAL had not made durable, or an installed snapshot), the log is matched
 *   against the mark, and reset to it when it does not hold it (its rewrite starts at once).
 * - InstallSnapshot carries the engine's checkpoint at lastApplied (user keys and sessions, read
 *   in one step); installing it replaces the engine's state in one batch, and the WAL rewrite
 *   that moves the log base past the old state starts only once that batch is durable, so no
 *   crash finds a log base the engine has not reached.
 *
 * The named bug `raft.applied-index-apart` writes the data and the mark (with the sessions) in
 * two batches (etcd #13766): a crash between them replays an entry already in the data.
 */
import { assert } from '../../core/assert.js';
import type { KvOutput } from '../../core/history.js';
import type { NodeContext } from '../../core/protocol.js';
import type { AppliedMark } from '../../storage/lsm/replicated-kv.js';
import { ReplicatedKv } from '../../storage/lsm/replicated-kv.js';
import type { Entry, RaftEffect, Snapshot } from './messages.js';
import type { RaftConfig } from './raft-config.js';
import type { RaftState } from './raft-state.js';

export const LSM_SYNC_TIMER = 'lsm-sync';

/**
 * Opens the engine on the node's disk (at first boot and recovery). False when the image cannot
 * be recovered: the node then takes no part, and says why with a mark.
 */
export function openStore(
  cfg: RaftConfig,
  s: RaftState,
  ctx: NodeContext,
  fx: RaftEffect[],
): boolean {
  if (cfg.lsm === undefined) return true;
  const opened = ReplicatedKv.open(cfg.lsm, ctx.disk, fx, cfg.bugs.appliedIndexApart);
  if (!('kv' in opened)) {
    fx.push({ type: 'mark', name: 'raft.storage-unrecoverable' });
    return false;
  }
  s.store = opened.kv;
  armSync(cfg, fx);
  return true;
}

function armSync(cfg: RaftConfig, fx: RaftEffect[]): void {
  const sync = cfg.lsm?.sync;
  if (sync?.kind === 'interval')
    fx.push({ type: 'setTimer', name: LSM_SYNC_TIMER, afterUs: sync.everyMs * 1000 });
}

/** The `interval` sync policy's timer: fsync the engine's WAL, and arm it again. */
export function onSyncTimer(cfg: RaftConfig, s: RaftState, fx: RaftEffect[]): void {
  s.store?.tick(fx);
  armSync(cfg, fx);
}

/**
 * After the WAL replay of a recovery: lastApplied and commitIndex from the engine's durable
 * mark, and the log matched against it (reset to it, and rewritten, when it does not hold it).
 */
export function reconcileWithStore(s: RaftState): Snapshot | undefined {
  const store = s.store;
  if (store === undefined) return undefined;
  const a = store.applied;
  assert(
    a.index >= s.log.snapshotIndex,
    () => `${s.id}: engine applied ${a.index} behind the log base ${s.log.snapshotIndex}`,
  );
  if (a.index === 0 || a.index === s.log.snapshotIndex) {
    s.commitIndex = s.lastApplied = a.index;
    return undefined;
  }
  s.commitIndex = s.lastApplied = a.index;
  if (s.log.termAt(a.index) === a.term && s.log.chainAt(a.index) === a.chain) return undefined;
  s.log.resetTo(a.index, a.term, a.chain);
  s.snapshot = logBase(a);
  return s.snapshot;
}

/** A snapshot record that only moves the log base: the engine holds the state. */
export const logBase = (m: AppliedMark): Snapshot => ({
  index: m.index,
  term: m.term,
  chain: m.chain,
  kv: [],
  sessions: [],
});

/** Applies a committed entry to whichever state machine the node has. */
export function applyEntry(s: RaftState, e: Entry, fx: RaftEffect[]): KvOutput {
  if (s.store === undefined) return s.sm.apply(e);
  const session =
    e.client !== undefined && e.seq !== undefined ? { client: e.client, seq: e.seq } : undefined;
  const chain = s.log.chainAt(e.index) as number;
  return s.store.apply(e.cmd, session, { index: e.index, term: e.term, chain }, fx);
}

export const readKey = (s: RaftState, key: string): KvOutput =>
  s.store === undefined ? s.sm.get(key) : s.store.get(key);

export const answered = (s: RaftState, client: string, seq: number) =>
  s.store === undefined ? s.sm.answered(client, seq) : s.store.answered(client, seq);

/** The last index the state machine holds durably: how far the log may be compacted. */
export const compactableIndex = (s: RaftState): number =>
  s.store === undefined ? s.lastApplied : Math.min(s.store.durableApplied, s.lastApplied);

/** The snapshot a leader sends a follower behind its log base. */
export function snapshotToSend(s: RaftState): Snapshot | undefined {
  if (s.store === undefined) return s.snapshot;
  const index = s.lastApplied;
  const term = s.log.termAt(index) as number;
  const chain = s.log.chainAt(index) as number;
  return { index, term, chain, ...s.store.checkpoint() };
}

/**
 * Replaces the engine's state with a leader's snapshot, in one batch; returns its sequence
 * number, which the log rewrite waits to see durable (disk-completions.ts).
 */
export function installInStore(store: ReplicatedKv, snap: Snapshot, fx: RaftEffect[]): number {
  const seq = store.install(snap, snap, fx);
  store.hurry(fx);
  return seq;
}
