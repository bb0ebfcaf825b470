/**
 * Linearizable reads at the leader, without writing them to the log, in one of two ways chosen
 * by the `reads` option, to show what a lease assumes about clocks:
 *
 * - `quorum`: the read notes the last slot proposed, a heartbeat round goes out, and the read is
 *   answered once a majority has answered that round (so no higher ballot had a majority's
 *   promises when the read arrived: any write a newer leader acknowledged came after it) and
 *   the noted slot is applied. Every slot a previous leader may have chosen is at or below the
 *   slots this leader's phase 1 re-proposed, so the noted slot covers them. No clock is trusted.
 * - `lease`: a follower that answers a leader's Commit promises nobody else for `leaseMs` of its
 *   own clock (acceptor.ts), so once a majority answered a round, no other leader can be elected
 *   until the lease runs out: the leader answers reads from its own state at once, from the
 *   round's sending until 90% of a lease later on its own clock (Chandra et al., Paxos Made
 *   Live §5.2, "master leases"). That holds only while the clocks' rates differ by less than
 *   the 10% the leader leaves: a follower whose clock runs fast lets its promise lapse early,
 *   and a new leader may acknowledge writes the old one's reads miss. Reads wait for the slots
 *   phase 1 found open to be applied first, as ReadIndex waits for the term's no-op.
 */
import type { NodeContext } from '../../core/protocol.js';
import { quorumProbe, sendCommitRound } from './commit-round.js';
import type { MultiPaxosEffect } from './messages.js';
import { LEASE_TRUSTED_RATIO, type MultiPaxosConfig } from './multi-paxos-config.js';
import type { Leader, MultiPaxosState } from './multi-paxos-state.js';

/** A client's read of `key` arrives at the leader. */
export function startRead(
  cfg: MultiPaxosConfig,
  s: MultiPaxosState,
  l: Leader,
  requestId: number,
  key: string,
  ctx: NodeContext,
  fx: MultiPaxosEffect[],
): void {
  if (leaseHolds(cfg, l, ctx) && s.applied >= l.barrier) {
    fx.push({ type: 'mark', name: 'multi-paxos.lease-read' });
    fx.push({ type: 'reply', requestId, outcome: { type: 'ok', value: s.sm.get(key) } });
    return;
  }
  l.reads.push({ requestId, key, slot: l.nextSlot - 1, probe: l.probe + 1 });
  sendCommitRound(cfg, s, l, ctx, fx);
}

const leaseHolds = (cfg: MultiPaxosConfig, l: Leader, ctx: NodeContext) =>
  cfg.reads === 'lease' && ctx.now < l.leaseUntilUs;

/** Renews the lease from the rounds a majority answered; answers the reads that may go. */
export function serveReads(
  cfg: MultiPaxosConfig,
  s: MultiPaxosState,
  l: Leader,
  ctx: NodeContext,
  fx: MultiPaxosEffect[],
): void {
  const acked = quorumProbe(cfg, s, l);
  const sentUs = l.probeSentUs.get(acked);
  if (sentUs !== undefined) {
    const until = sentUs + Math.floor(cfg.leaseUs * LEASE_TRUSTED_RATIO);
    if (until > l.leaseUntilUs) l.leaseUntilUs = until;
    for (const p of l.probeSentUs.keys()) if (p < acked) l.probeSentUs.delete(p);
  }
  if (l.reads.length === 0) return;
  const lease = leaseHolds(cfg, l, ctx) && s.applied >= l.barrier;
  let kept = 0;
  for (const r of l.reads) {
    if (s.applied >= r.slot && (acked >= r.probe || lease))
      fx.push({
        type: 'reply',
        requestId: r.requestId,
        outcome: { type: 'ok', value: s.sm.get(r.key) },
      });
    else l.reads[kept++] = r;
  }
  l.reads.length = kept;
}
