/**
 * What a completed disk operation makes true. First boot's directory fsync makes the node ready.
 * A meta fsync releases the outbox (meta.ts). A WAL fsync, or the end of a log rewrite, makes a
 * prefix of the log durable, and only then does it count (Figure 2: persist before responding):
 * a leader counts itself toward the commit quorum up to its durable index, a follower reports
 * the new prefix to its leader. A failed fsync is answered where it happened (meta.ts, wal.ts,
 * snapshots.ts) by writing the data again.
 *
 * Writes are quiet (no completion) except first boot's, which nothing waits for either: what
 * counts is the fsync after each.
 */
import type { DiskCompletion, NodeContext } from '../../core/protocol.js';
import { advanceCommit } from './commit.js';
import { acknowledgeAppend } from './follower.js';
import { answerSnapshot } from './install-snapshot.js';
import type { RaftEffect } from './messages.js';
import { onMetaSynced } from './meta.js';
import type { RaftConfig } from './raft-config.js';
import type { RaftState } from './raft-state.js';
import {
  finishCompaction,
  isCompactionDisk,
  maybeSnapshot,
  onCompactionDisk,
  startCompaction,
} from './snapshots.js';
import { electionTimer } from './timers.js';
import { IGNORED_TAG, INIT_TAG, onWalSynced } from './wal.js';

export function onDiskDone(
  cfg: RaftConfig,
  s: RaftState,
  done: DiskCompletion,
  ctx: NodeContext,
  fx: RaftEffect[],
): void {
  if (s.store?.owns(done.tag) === true) {
    s.store.onDiskDone(done, fx);
    onStoreProgress(cfg, s, fx);
    return;
  }
  if (done.tag === INIT_TAG && done.op === 'syncDir') {
    // An engine image that could not be recovered: the node takes no part.
    if (cfg.lsm !== undefined && s.store === undefined) return;
    s.ready = true;
    fx.push(electionTimer(cfg, ctx));
    return;
  }
  if (done.tag === IGNORED_TAG || done.op === 'write') return;
  if (onMetaSynced(s, done, fx)) return;
  if (isCompactionDisk(s, done)) {
    if (onCompactionDisk(s, done, fx)) onRewriteDurable(cfg, s, ctx, fx);
  } else if (done.op === 'sync' && s.wal.owns(done.tag)) {
    const index = onWalSynced(s, done, fx);
    if (index >= 0) onDurable(cfg, s, index, ctx, fx);
  }
}

/**
 * The engine made progress (`storage: lsm`): an installed snapshot now durable lets the log
 * rewrite start; the durable applied index may allow a log compaction.
 */
function onStoreProgress(cfg: RaftConfig, s: RaftState, fx: RaftEffect[]): void {
  const p = s.pendingInstall;
  if (p !== undefined && s.compaction === undefined) {
    if ((s.store?.engine.durableSeq ?? 0) >= p.seq) {
      s.pendingInstall = undefined;
      startCompaction(s, p.snapshot, fx, p.replyTo);
    } else if (s.store?.engine.flushing === false) s.store.hurry(fx);
  }
  maybeSnapshot(cfg, s, fx);
}

/** The rewritten WAL is in place: its entries are durable, and InstallSnapshot is answered. */
function onRewriteDurable(cfg: RaftConfig, s: RaftState, ctx: NodeContext, fx: RaftEffect[]): void {
  const { compaction: c, held } = finishCompaction(s);
  fx.push({ type: 'mark', name: 'raft.snapshot-durable' });
  onDurable(cfg, s, held, ctx, fx);
  if (c.replyTo !== undefined && c.replyTo.term === s.term)
    answerSnapshot(s, c.replyTo.to, Math.min(c.snapshot.index, s.durableIndex), 0, fx);
}

/** The log is durable up to `index`: a leader may commit, a follower tells its leader. */
function onDurable(
  cfg: RaftConfig,
  s: RaftState,
  index: number,
  ctx: NodeContext,
  fx: RaftEffect[],
): void {
  const upTo = Math.min(index, s.log.lastIndex);
  if (upTo <= s.durableIndex) return;
  s.durableIndex = upTo;
  if (s.role.kind === 'leader') advanceCommit(cfg, s, s.role, ctx, fx);
  else if (s.role.kind === 'follower' && s.role.leader !== null)
    acknowledgeAppend(s, s.role.leader, s.leaderProbe, fx);
}
