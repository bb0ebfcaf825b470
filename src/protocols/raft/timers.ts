/**
 * Raft's two timers. `election`: a node that hears from no leader for a randomized timeout
 * between T and 2T starts an election (§5.2; the spread makes split votes rare). `heartbeat`: a
 * leader sends AppendEntries every interval to hold its followers (§5.2), and a candidate asks
 * again for the votes it lacks, as Figure 2 retries RPCs that go unanswered.
 *
 * Arming the election timer draws once from the node's random stream, so the draws follow the
 * order in which steps arm it.
 */
import type { NodeContext } from '../../core/protocol.js';
import type { RaftEffect } from './messages.js';
import type { RaftConfig } from './raft-config.js';

export function electionTimer(cfg: RaftConfig, ctx: NodeContext): RaftEffect {
  return {
    type: 'setTimer',
    name: 'election',
    afterUs: cfg.electionTimeoutUs + ctx.random.int(0, cfg.electionTimeoutUs),
  };
}

export function heartbeatTimer(cfg: RaftConfig): RaftEffect {
  return { type: 'setTimer', name: 'heartbeat', afterUs: cfg.heartbeatUs };
}
