/**
 * Linearizable reads by ReadIndex (thesis §6.4), without writing them to the log: a read waits
 * until the leader's no-op of this term has committed (so its commitIndex is at least that of
 * any earlier leader), notes the commitIndex, sends a heartbeat round, and is answered once a
 * majority has answered that round (so no newer leader existed when the index was noted) and
 * the noted index is applied.
 *
 * Left out: lease-based reads (they trust bounded clock drift, which the simulator's skewed
 * clocks would break).
 */
import type { RaftEffect } from './messages.js';
import { readKey } from './lsm-storage.js';
import type { RaftConfig } from './raft-config.js';
import type { Leader, PendingRead, RaftState } from './raft-state.js';
import { sendAppend } from './send-append.js';

/** A client's read of `key` arrives at the leader. */
export function startRead(
  cfg: RaftConfig,
  s: RaftState,
  l: Leader,
  requestId: number,
  key: string,
  fx: RaftEffect[],
): void {
  if (cfg.bugs.staleRead) {
    // The bug: answer from local state, trusting that we are still leader.
    fx.push({ type: 'reply', requestId, outcome: { type: 'ok', value: readKey(s, key) } });
    return;
  }
  const read: PendingRead = { requestId, key, readIndex: -1, probe: 0 };
  l.reads.push(read);
  serveReads(cfg, s, l, fx);
}

/** Admits reads once this term has committed, confirms leadership, answers when applied. */
export function serveReads(cfg: RaftConfig, s: RaftState, l: Leader, fx: RaftEffect[]): void {
  if (l.reads.length === 0) return;
  const termCommitted = cfg.bugs.readBeforeNoop || s.commitIndex >= l.noopIndex;
  let admitted = false;
  for (const r of l.reads) {
    if (r.readIndex < 0 && termCommitted) {
      r.readIndex = s.commitIndex;
      r.probe = l.probe + 1;
      admitted = true;
    }
  }
  // The bug: no heartbeat round, so nothing shows that no newer leader exists.
  const confirm = !cfg.bugs.readWithoutHeartbeat;
  if (admitted && confirm) {
    l.probe++;
    for (const p of s.peers) sendAppend(cfg, s, l, p, l.probe, fx);
  }
  let kept = 0;
  for (const r of l.reads) {
    let acks = confirm ? 1 : cfg.quorum;
    for (const p of s.peers) if ((l.probeAcked.get(p) ?? 0) >= r.probe) acks++;
    if (r.readIndex >= 0 && acks >= cfg.quorum && s.lastApplied >= r.readIndex)
      fx.push({
        type: 'reply',
        requestId: r.requestId,
        outcome: { type: 'ok', value: readKey(s, r.key) },
      });
    else l.reads[kept++] = r;
  }
  l.reads.length = kept;
}
