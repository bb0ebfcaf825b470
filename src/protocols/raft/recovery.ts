/**
 * Starting a node: first boot on an empty disk, and recovery after a crash from the durable
 * image (Figure 2's persistent state: term, vote, log).
 *
 * First boot writes term 0 and an empty `wal`, and is ready once the directory fsync makes both
 * files exist (disk-completions.ts). Recovery restores term and vote (meta.ts), then replays the
 * WAL's valid prefix: a snapshot resets the log and state machine to it, a truncation marker
 * cuts the log, an entry extends it. Replay stops at the first record that is short or fails
 * its checksum: the torn tail of a write a crash interrupted (`raft.torn-tail-truncated`), which
 * the next write overwrites. A leftover `wal.next` is a rewrite that never finished its rename:
 * the old `wal` is the durable one, so it is deleted.
 *
 * Everything recovered counts as durable; commitIndex starts at the snapshot and is learned
 * again from a leader (the recovered node marks `recovery.caught-up` when it has).
 *
 * Under `storage: lsm` the engine is opened first, and its durable applied mark, not the
 * snapshot record, sets lastApplied and commitIndex (lsm-storage.ts).
 *
 * Left out: read errors. An unreadable `meta` or `wal` (a latent sector error, EIO) is taken
 * for an empty one, which is safe only because such errors are outside the fault model.
 */
import type { DiskReader, NodeContext } from '../../core/protocol.js';
import { decodeRecords } from '../shared/record-log.js';
import type { RaftEffect } from './messages.js';
import { persistMeta, recoverMeta } from './meta.js';
import type { RaftConfig } from './raft-config.js';
import { freshState, type RaftState } from './raft-state.js';
import { openStore, reconcileWithStore } from './lsm-storage.js';
import { startCompaction } from './snapshots.js';
import { electionTimer } from './timers.js';
import { IGNORED_TAG, INIT_TAG, type WalRecord } from './wal.js';

/** First boot: writes term 0 and creates an empty `wal`, then fsyncs the directory. */
export function firstBoot(cfg: RaftConfig, ctx: NodeContext, fx: RaftEffect[]): RaftState {
  const s = freshState(ctx.node, ctx.peers, ctx.now, cfg.stateMachine.empty());
  persistMeta(s, fx);
  fx.push({
    type: 'diskWrite',
    file: 'wal',
    offset: 0,
    data: new Uint8Array(0),
    tag: INIT_TAG,
  });
  fx.push({ type: 'diskSyncDir', tag: INIT_TAG });
  return s;
}

/**
 * Rebuilds the node from what survived on disk; undefined when a file is missing (the crash
 * struck during first boot, so there is nothing to recover and the node boots afresh).
 */
export function recover(
  cfg: RaftConfig,
  ctx: NodeContext,
  fx: RaftEffect[],
): RaftState | undefined {
  if (ctx.disk.size('wal') === undefined || ctx.disk.size('meta') === undefined) return undefined;
  const s = freshState(ctx.node, ctx.peers, ctx.now, cfg.stateMachine.empty());
  recoverMeta(s, ctx.disk);
  if (!openStore(cfg, s, ctx, fx)) return s;
  replayWal(cfg, s, ctx.disk, fx);
  const base = reconcileWithStore(s);
  s.writtenIndex = s.durableIndex = s.log.lastIndex;
  if (ctx.disk.size('wal.next') !== undefined)
    fx.push({ type: 'diskDelete', file: 'wal.next', tag: IGNORED_TAG });
  // The engine is ahead of a log that does not hold its mark: the WAL starts again from it.
  if (base !== undefined) {
    fx.push({ type: 'mark', name: 'raft.log-reset-to-engine' });
    startCompaction(s, base, fx);
  }
  s.ready = true;
  s.recovering = true;
  fx.push(electionTimer(cfg, ctx));
  return s;
}

/** Replays the WAL's valid records into the log and state machine; the writer continues there. */
function replayWal(cfg: RaftConfig, s: RaftState, disk: DiskReader, fx: RaftEffect[]): void {
  const read = disk.read('wal');
  if (!read.ok) return;
  const decoded = decodeRecords<WalRecord>(read.data);
  for (const r of decoded.records) {
    if (r.t === 'snap') {
      s.log.resetTo(r.s.index, r.s.term, r.s.chain);
      s.sm = cfg.stateMachine.fromSnapshot(r.s);
      s.snapshot = r.s;
      s.commitIndex = s.lastApplied = r.s.index;
    } else if (r.t === 'trunc') {
      if (r.from > s.log.snapshotIndex) s.log.truncateFrom(r.from);
    } else if (r.e.index === s.log.lastIndex + 1) {
      s.log.append(r.e);
    }
  }
  // A torn tail is fenced off first (shared/record-log.ts), in a quiet write.
  s.wal.resume(decoded, read.data, IGNORED_TAG, fx);
  if (decoded.tornTail) fx.push({ type: 'mark', name: 'raft.torn-tail-truncated' });
}
