/**
 * The backups' failure detector: a fixed timeout on the primary's heartbeat (`Replicate`). Each
 * arming draws a timeout between `electionTimeoutMs` and twice that, so backups rarely suspect
 * the primary at the same moment and split the vote. When it fires, the node stands for the next
 * epoch (failover.ts).
 *
 * Leaves out adaptive detection (phi accrual): one fixed timeout keeps failover times easy to
 * read in traces and metrics.
 */
import type { NodeContext } from '../../core/protocol.js';
import type { PbConfig } from './pb-config.js';
import type { PbEffect, PbState } from './pb-state.js';

/** (Re)arms the election timer: one draw from this node's random stream. */
export function electionTimer(cfg: PbConfig, ctx: NodeContext): PbEffect {
  return {
    type: 'setTimer',
    name: 'election',
    afterUs: cfg.electionTimeoutUs + ctx.random.int(0, cfg.electionTimeoutUs),
  };
}

/**
 * Whether this node heard from a live primary within the base timeout, or is quiet with it
 * (its host wakes it when the primary's node fails: quiescence.ts). Stickiness: while it
 * does, a candidate for a newer epoch cannot win its vote and disrupt that primary.
 */
export function hearsPrimary(cfg: PbConfig, s: PbState, ctx: NodeContext): boolean {
  return (
    s.role.kind === 'backup' &&
    s.role.primary !== null &&
    (s.quiesced || ctx.now - s.lastHeardUs < cfg.electionTimeoutUs)
  );
}
