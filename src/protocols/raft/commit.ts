/**
 * Committing and applying. The leader's commit rule (§5.4.2, Figure 8): commit the highest index
 * a majority holds durably, and only by counting an entry of the current term; earlier terms'
 * entries then commit with it, because a log that holds an entry holds everything before it.
 * Then every node applies committed entries to its state machine in order; the leader answers
 * the client waiting on each, and snapshots once enough were applied (snapshots.ts).
 *
 * The leader counts itself only up to its own durable index (Figure 2: persist before acting).
 * Left out: applying apart from the step (entries are applied as soon as they commit).
 */
import { assert } from '../../core/assert.js';
import { MARKS } from '../../core/marks.js';
import type { NodeContext } from '../../core/protocol.js';
import type { RaftEffect } from './messages.js';
import type { RaftConfig } from './raft-config.js';
import type { Leader, RaftState } from './raft-state.js';
import { applyEntry } from './lsm-storage.js';
import { serveReads } from './read-index.js';
import { maybeSnapshot } from './snapshots.js';

/** Commits what the acknowledgements allow (§5.4.2), applies it, and serves waiting reads. */
export function advanceCommit(
  cfg: RaftConfig,
  s: RaftState,
  l: Leader,
  ctx: NodeContext,
  fx: RaftEffect[],
): void {
  const n = quorumMatchIndex(cfg, s, l);
  if (n > s.commitIndex && (cfg.bugs.commitPreviousTerm || s.log.termAt(n) === s.term)) {
    s.commitIndex = n;
    applyCommitted(cfg, s, ctx, fx);
  }
  serveReads(cfg, s, l, fx);
}

/**
 * The highest index a majority holds: the quorum-th highest acknowledged index, by insertion
 * into a reused array (this runs on every reply, so no allocation and no sort).
 */
function quorumMatchIndex(cfg: RaftConfig, s: RaftState, l: Leader): number {
  const acks = cfg.ackScratch;
  acks[0] = cfg.bugs.ackBeforeFsync ? s.log.lastIndex : s.durableIndex;
  let len = 1;
  for (const p of s.peers) {
    const m = l.matchIndex.get(p) ?? 0;
    let i = len++;
    while (i > 0 && (acks[i - 1] as number) < m) {
      acks[i] = acks[i - 1] as number;
      i--;
    }
    acks[i] = m;
  }
  return acks[cfg.quorum - 1] as number;
}

/** Applies entries up to commitIndex; a leader answers their clients and records the lag. */
export function applyCommitted(
  cfg: RaftConfig,
  s: RaftState,
  ctx: NodeContext,
  fx: RaftEffect[],
): void {
  while (s.lastApplied < s.commitIndex) {
    const e = s.log.entry(s.lastApplied + 1);
    assert(
      e !== undefined,
      () => `${s.id}: committed index ${s.lastApplied + 1} missing from the log`,
    );
    s.lastApplied++;
    const out = applyEntry(s, e, fx);
    if (s.role.kind === 'leader') {
      const requestId = s.role.waiting.get(e.index);
      if (requestId !== undefined) {
        s.role.waiting.delete(e.index);
        fx.push({ type: 'reply', requestId, outcome: { type: 'ok', value: out } });
      }
      const t = s.role.appendedAt.get(e.index);
      if (t !== undefined) {
        s.role.appendedAt.delete(e.index);
        fx.push({ type: 'mark', name: MARKS.replicationLagUs, value: ctx.now - t });
      }
    }
  }
  maybeSnapshot(cfg, s, fx);
}
