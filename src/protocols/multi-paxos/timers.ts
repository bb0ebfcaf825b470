/**
 * Multi-Paxos's two timers. `election`: a node that hears from no leader for a randomized
 * timeout between T and 2T runs phase 1 for a ballot of its own (the spread makes duelling
 * candidates rare: Paxos Made Simple §3 leaves electing "a single distinguished proposer" to
 * "randomness or real time"). `heartbeat`: a leader tells the others how far the log is chosen,
 * resends Accepts not yet accepted by a majority, and renews its lease.
 */
import type { NodeContext } from '../../core/protocol.js';
import type { MultiPaxosEffect } from './messages.js';
import type { MultiPaxosConfig } from './multi-paxos-config.js';

export function electionTimer(cfg: MultiPaxosConfig, ctx: NodeContext): MultiPaxosEffect {
  return {
    type: 'setTimer',
    name: 'election',
    afterUs: cfg.electionTimeoutUs + ctx.random.int(0, cfg.electionTimeoutUs),
  };
}

export function heartbeatTimer(cfg: MultiPaxosConfig): MultiPaxosEffect {
  return { type: 'setTimer', name: 'heartbeat', afterUs: cfg.heartbeatUs };
}
