/**
 * The leader's heartbeat round (Paxos Made Simple §3: the leader informs the others of chosen
 * slots): a `Commit` with how far the log is chosen and a round number (`probe`) to every other
 * node. The answers say three things: the follower still takes this leader's ballot (no higher
 * promise), how far it has applied (catch-up), and, by their round, which moment a majority
 * vouched for (quorum reads and the lease, reads.ts).
 *
 * The leader's own acceptor grants it the lease first: it refuses other candidates for a lease
 * from now, as every follower does when the Commit arrives.
 */
import type { NodeContext } from '../../core/protocol.js';
import type { MultiPaxosEffect } from './messages.js';
import type { MultiPaxosConfig } from './multi-paxos-config.js';
import type { Leader, MultiPaxosState } from './multi-paxos-state.js';

export function sendCommitRound(
  cfg: MultiPaxosConfig,
  s: MultiPaxosState,
  l: Leader,
  ctx: NodeContext,
  fx: MultiPaxosEffect[],
): void {
  l.probe++;
  l.probeSentUs.set(l.probe, ctx.now);
  s.leaseUntilUs = ctx.now + cfg.leaseUs;
  s.leaseHolder = s.id;
  const msg = { type: 'Commit', ballot: l.ballot, chosenTo: s.applied, probe: l.probe } as const;
  for (const to of cfg.nodes) if (to !== s.id) fx.push({ type: 'send', to, msg });
}

/**
 * The highest round a majority has answered, the leader counting itself (it answers every
 * round it sends): the (quorum − 1)-th highest round among the other nodes' answers.
 */
export function quorumProbe(cfg: MultiPaxosConfig, s: MultiPaxosState, l: Leader): number {
  if (cfg.quorum <= 1) return l.probe;
  const acked: number[] = [];
  for (const to of cfg.nodes) if (to !== s.id) acked.push(l.probeAcked.get(to) ?? 0);
  acked.sort((a, b) => b - a);
  return acked[cfg.quorum - 2] ?? 0;
}
