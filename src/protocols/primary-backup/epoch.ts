/**
 * Epochs, as Viewstamped Replication's view numbers and Raft's terms: a node that learns of a
 * newer epoch moves to it as a backup with no vote, and a primary that does so is deposed. A
 * deposed primary answers its waiting clients `info`, because their commands may already be on
 * a backup and commit under the next primary. (The `fail-when-deposed` bug says `fail`, which is
 * a lie whenever that happens: Jepsen's Aerospike finding.)
 *
 * Leaves out fencing itself: a backup rejects an older epoch's `Replicate` in backup.ts.
 */
import type { NodeContext } from '../../core/protocol.js';
import { electionTimer } from './failure-detector.js';
import { persistMeta } from './meta.js';
import type { PbConfig } from './pb-config.js';
import type { PbEffect, PbState } from './pb-state.js';
import { unquiesce } from './quiescence.js';

/**
 * Moves to a newer epoch as a backup; returns whether it did. Persists unless the caller will
 * (a vote in the new epoch goes into the same meta write).
 */
export function adoptEpoch(
  cfg: PbConfig,
  s: PbState,
  epoch: number,
  ctx: NodeContext,
  fx: PbEffect[],
  persist = true,
): boolean {
  if (epoch <= s.epoch) return false;
  if (s.role.kind === 'primary') stepDown(cfg, s, ctx, fx);
  s.epoch = epoch;
  s.votedFor = null;
  s.role = { kind: 'backup', primary: null };
  // A quiet backup that moves on follows no primary its host could watch: it watches itself.
  unquiesce(cfg, s, ctx, fx);
  if (persist) persistMeta(s, fx);
  return true;
}

function stepDown(cfg: PbConfig, s: PbState, ctx: NodeContext, fx: PbEffect[]): void {
  if (s.role.kind !== 'primary') return;
  for (const requestId of s.role.waiting.values()) {
    fx.push({
      type: 'reply',
      requestId,
      outcome: cfg.bugs.failWhenDeposed
        ? { type: 'fail', code: 'deposed' }
        : { type: 'info', code: 'deposed' },
    });
  }
  fx.push({ type: 'cancelTimer', name: 'heartbeat' });
  // A former primary watches for the next one like any backup, or no one might ever stand.
  fx.push(electionTimer(cfg, ctx));
}
