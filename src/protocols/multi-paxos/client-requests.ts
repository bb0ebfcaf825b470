/**
 * Client requests at the leader; others redirect the client to the leader they last heard from.
 * A read goes through reads.ts. A write carries its client session (thesis §6.3): one already
 * applied is answered from the session, one already proposed waits for its slot, and only a new
 * one takes the next slot, so a command retried after a timeout or a leader change is applied
 * once (the state machine skips a second copy a new leader re-proposed).
 *
 * Left out: batching several commands into one slot.
 */
import type { KvInput } from '../../core/history.js';
import type { ClientRequest, NodeContext } from '../../core/protocol.js';
import { redirect } from '../shared/redirect.js';
import { propose } from './leader.js';
import type { MultiPaxosEffect } from './messages.js';
import type { MultiPaxosConfig } from './multi-paxos-config.js';
import type { Leader, MultiPaxosState } from './multi-paxos-state.js';
import { startRead } from './reads.js';

export function onClientRequest(
  cfg: MultiPaxosConfig,
  s: MultiPaxosState,
  req: ClientRequest<KvInput>,
  ctx: NodeContext,
  fx: MultiPaxosEffect[],
): void {
  if (s.role.kind !== 'leader' || !s.ready) {
    fx.push(redirect(req.id, 'not-leader', s.leader === s.id ? null : s.leader));
    return;
  }
  if (req.op.f === 'get') startRead(cfg, s, s.role, req.id, req.op.key, ctx, fx);
  else startWrite(cfg, s, s.role, req, ctx, fx);
}

function startWrite(
  cfg: MultiPaxosConfig,
  s: MultiPaxosState,
  l: Leader,
  req: ClientRequest<KvInput>,
  ctx: NodeContext,
  fx: MultiPaxosEffect[],
): void {
  const id = `${req.client}#${req.seq}`;
  s.lastRequested = id;
  const done = s.sm.answered(req.client, req.seq);
  if (done !== undefined) {
    fx.push({ type: 'reply', requestId: req.id, outcome: { type: 'ok', value: done.output } });
    return;
  }
  for (const [slot, p] of l.proposals)
    if (p.command.id === id) {
      // Already proposed (a retry, or re-proposed by phase 1): wait for that slot.
      l.waiting.set(slot, req.id);
      return;
    }
  const slot = l.nextSlot++;
  l.waiting.set(slot, req.id);
  l.proposedAt.set(slot, ctx.now);
  propose(cfg, s, l, slot, { cmd: req.op, client: req.client, seq: req.seq, id }, fx);
}
