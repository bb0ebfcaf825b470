/**
 * Client operations at a replica. A read answers at once from the replica (what this node has
 * made durable of its own and merged from peers). An update is applied to the working state,
 * which also holds the updates still waiting for their fsync, gets the next dot of this node and
 * the bookkeeping of what it saw, and is written to the WAL; once that record is durable the
 * update joins the replica and the delta buffer, and only then is the client told `ok`. A crash
 * before that loses it, and its client, timing out, records the outcome as unknown.
 *
 * A node that has not finished booting refuses everything with a definite `fail`: nothing was
 * applied, and the client may go elsewhere.
 */
import type { ClientRequest, NodeContext } from '../../core/protocol.js';
import { isReplicaRead, type ReplicatedInput } from '../../core/replicated-ops.js';
import { hlcSend } from '../../components/clocks/hybrid-logical-clock.js';
import type { CrdtConfig } from './crdt-config.js';
import type { CrdtEffect, CrdtState, TakenUpdate } from './crdt-state.js';
import { joinIfChanged } from './merge.js';
import { appendWal, updateRecord } from './wal.js';

export function onClientRequest(
  cfg: CrdtConfig,
  s: CrdtState,
  req: ClientRequest<ReplicatedInput>,
  ctx: NodeContext,
  fx: CrdtEffect[],
): void {
  if (!s.ready) {
    fx.push({ type: 'reply', requestId: req.id, outcome: { type: 'fail', code: 'not-ready' } });
    return;
  }
  if (isReplicaRead(req.op)) {
    const value = cfg.binding.read(cfg.type, s.replica);
    fx.push({ type: 'reply', requestId: req.id, outcome: { type: 'ok', value } });
    return;
  }
  takeUpdate(cfg, s, req, ctx, fx);
}

function takeUpdate(
  cfg: CrdtConfig,
  s: CrdtState,
  req: ClientRequest<ReplicatedInput>,
  ctx: NodeContext,
  fx: CrdtEffect[],
): void {
  const counter = ++s.counter;
  if (cfg.stamped) s.hlc = hlcSend(s.hlc, ctx.now);
  const seen = s.workingApplied.with(s.id, counter);
  const op = cfg.binding.toCrdtOp(req.op);
  const where = cfg.stamped ? { node: s.id, timestamp: s.hlc } : { node: s.id };
  const { state, delta } = cfg.type.apply(s.working, op, where);
  cfg.binding.checkUpdate?.(cfg.type, delta, { node: s.id, counter });
  s.working = state;
  s.workingApplied = seen;
  const update: TakenUpdate = {
    counter,
    opId: req.seq,
    client: req.client,
    op,
    seen,
    ...(cfg.stamped ? { timestamp: s.hlc } : {}),
  };
  const replied = cfg.bugs.ackBeforeFsync;
  s.pending.push({ requestId: req.id, update, delta, replied });
  appendWal(s, [updateRecord(cfg, update, delta)], fx);
  // The named bug: the client hears `ok` while the update is in the page cache only.
  if (replied) fx.push({ type: 'reply', requestId: req.id, outcome: { type: 'ok', value: null } });
}

/** Updates up to `counter` are durable: they join the replica and the buffer, and are answered. */
export function promoteDurable(
  cfg: CrdtConfig,
  s: CrdtState,
  counter: number,
  fx: CrdtEffect[],
): void {
  while ((s.pending[0]?.update.counter ?? Infinity) <= counter) {
    const p = s.pending.shift();
    if (p === undefined) return;
    s.replica = joinIfChanged(cfg, s.replica, p.delta);
    s.applied = s.applied.with(s.id, p.update.counter);
    s.taken.push(p.update);
    s.buffer.push(p.delta);
    if (!p.replied)
      fx.push({ type: 'reply', requestId: p.requestId, outcome: { type: 'ok', value: null } });
  }
}
