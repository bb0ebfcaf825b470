/**
 * Client requests at the leader. Others redirect the client to the leader they know of. A read
 * goes through ReadIndex (read-index.ts). A write carries its client session (thesis §6.3): one
 * already applied is answered from the session, one already in the log waits for that entry,
 * and only a new one is appended; so a command retried after a timeout or a leader change is
 * applied once.
 *
 * Left out: batching client commands beyond what one step appends.
 */
import type { KvInput } from '../../core/history.js';
import { answered } from './lsm-storage.js';
import type { ClientRequest, NodeContext } from '../../core/protocol.js';
import { redirect } from '../shared/redirect.js';
import { appendAsLeader } from './leader.js';
import type { Entry, RaftEffect } from './messages.js';
import type { RaftConfig } from './raft-config.js';
import type { Leader, RaftState } from './raft-state.js';
import { startRead } from './read-index.js';

export function onClientRequest(
  cfg: RaftConfig,
  s: RaftState,
  req: ClientRequest<KvInput>,
  ctx: NodeContext,
  fx: RaftEffect[],
): void {
  if (s.role.kind !== 'leader' || !s.ready) {
    fx.push(redirect(req.id, 'not-leader', s.role.kind === 'follower' ? s.role.leader : undefined));
    return;
  }
  if (req.op.f === 'get') startRead(cfg, s, s.role, req.id, req.op.key, fx);
  else startWrite(cfg, s, s.role, req, ctx, fx);
}

function startWrite(
  cfg: RaftConfig,
  s: RaftState,
  l: Leader,
  req: ClientRequest<KvInput>,
  ctx: NodeContext,
  fx: RaftEffect[],
): void {
  const done = answered(s, req.client, req.seq);
  if (done !== undefined) {
    fx.push({ type: 'reply', requestId: req.id, outcome: { type: 'ok', value: done.output } });
    return;
  }
  for (let i = s.lastApplied + 1; i <= s.log.lastIndex; i++) {
    const e = s.log.entry(i) as Entry;
    if (e.client === req.client && e.seq === req.seq) {
      // The same command is already in the log: wait for it instead of appending it twice.
      l.waiting.set(i, req.id);
      return;
    }
  }
  const index = appendAsLeader(
    cfg,
    s,
    l,
    { cmd: req.op, client: req.client, seq: req.seq },
    ctx,
    fx,
  );
  l.waiting.set(index, req.id);
}
