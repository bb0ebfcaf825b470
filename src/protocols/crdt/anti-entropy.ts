/**
 * Delta-interval anti-entropy (Almeida, Shoker, Baquero 2018, Algorithm 2). Every interval a
 * replica picks up to `fanout` peers, at random among those missing something, and sends each
 * the join of its buffer since what that peer acknowledged, or its whole state (delta-buffer.ts).
 * A receiver merges it only if it has merged everything before it from that sender in this life
 * (the causal delta-merging condition: otherwise its bookkeeping would claim updates whose
 * deltas it skipped), acknowledges, and buffers it in turn when it brought updates it had not
 * applied, so deltas travel on transitively; one that brought nothing new stops there, and the
 * gossip falls quiet once every peer has acknowledged everything.
 *
 * Leaves out the paper's back-propagation filter (a delta is not kept from the peer it came
 * from), which only saves bandwidth.
 */
import type { NodeId } from '../../core/ids.js';
import type { NodeContext } from '../../core/protocol.js';
import { hlcReceive } from '../../components/clocks/hybrid-logical-clock.js';
import { VectorClock } from '../../components/clocks/vector-clock.js';
import { armGossip } from './boot.js';
import type { CrdtConfig } from './crdt-config.js';
import type { CrdtEffect, CrdtState } from './crdt-state.js';
import { joinIfChanged } from './merge.js';
import type { AckMessage, DeltaMessage } from './messages.js';
import { appendWal } from './wal.js';

export function onGossipTimer(
  cfg: CrdtConfig,
  s: CrdtState,
  ctx: NodeContext,
  fx: CrdtEffect[],
): void {
  armGossip(cfg, fx);
  if (!s.ready) return;
  const wanting = s.peers.filter((p) => s.buffer.needs(p));
  const chosen =
    wanting.length <= cfg.fanout ? wanting : ctx.random.shuffle(wanting).slice(0, cfg.fanout);
  for (const peer of chosen) ship(cfg, s, peer, fx);
}

function ship(cfg: CrdtConfig, s: CrdtState, peer: NodeId, fx: CrdtEffect[]): void {
  const out = s.buffer.shipmentFor(peer);
  const whole = out.kind === 'state';
  const msg: DeltaMessage = {
    type: 'Delta',
    boot: s.boot,
    from: whole ? null : out.from,
    upTo: out.upTo,
    state: cfg.type.encode(whole ? s.replica : out.group),
    applied: s.applied.entries(),
    hlc: s.hlc,
  };
  fx.push({ type: 'send', to: peer, msg });
  fx.push({ type: 'mark', name: whole ? 'crdt.full-state-sent' : 'crdt.delta-sent' });
  // The named bug: the group is forgotten as if the peer had it, lost or not.
  if (cfg.bugs.resetDeltaOnSend) s.buffer.ack(peer, out.upTo, s.peers);
}

export function onDelta(
  cfg: CrdtConfig,
  s: CrdtState,
  from: NodeId,
  m: DeltaMessage,
  ctx: NodeContext,
  fx: CrdtEffect[],
): void {
  if (!s.ready || !noteBoot(s, from, m.boot)) return;
  const had = s.received.get(from);
  const known = had !== undefined && had.boot === m.boot ? had.upTo : undefined;
  // Without acknowledgements (the named bug) there is no prefix to check against.
  if (m.from !== null && !cfg.bugs.resetDeltaOnSend && (known === undefined || known < m.from)) {
    fx.push({ type: 'mark', name: 'crdt.causal-gap-refused' });
    sendAck(s, from, m.boot, null, fx);
    return;
  }
  const lifted = hlcReceive(s.hlc, m.hlc, ctx.now);
  if (lifted.ok) s.hlc = lifted.clock;
  mergeRemote(cfg, s, cfg.type.decode(m.state), VectorClock.from(m.applied), fx);
  s.received.set(from, { boot: m.boot, upTo: Math.max(known ?? 0, m.upTo) });
  sendAck(s, from, m.boot, m.upTo, fx);
}

export function onAck(s: CrdtState, from: NodeId, m: AckMessage): void {
  if (!s.ready || m.yourBoot !== s.boot || !noteBoot(s, from, m.boot)) return;
  if (m.upTo === null) s.buffer.reset(from);
  else s.buffer.ack(from, m.upTo, s.peers);
}

/**
 * Joins a peer's delta into the replica (and the working state). When it carries updates this
 * node had not applied, it becomes a buffer entry, to travel on, and a WAL record.
 */
function mergeRemote(
  cfg: CrdtConfig,
  s: CrdtState,
  delta: unknown,
  applied: VectorClock,
  fx: CrdtEffect[],
): void {
  s.replica = joinIfChanged(cfg, s.replica, delta);
  s.working = joinIfChanged(cfg, s.working, delta);
  if (s.applied.descends(applied)) return;
  s.applied = s.applied.merge(applied);
  s.workingApplied = s.workingApplied.merge(applied);
  s.buffer.push(delta);
  appendWal(s, [{ t: 'm', delta: cfg.type.encode(delta), applied: applied.entries() }], fx);
}

/**
 * Notes the sender's life. A message from an older life is ignored (false); a newer life may
 * have lost what it acknowledged, so its acknowledgements are forgotten.
 */
function noteBoot(s: CrdtState, peer: NodeId, boot: number): boolean {
  const known = s.peerBoot.get(peer);
  if (known !== undefined && boot < known) return false;
  if (boot !== known) {
    s.peerBoot.set(peer, boot);
    s.buffer.reset(peer);
  }
  return true;
}

function sendAck(
  s: CrdtState,
  to: NodeId,
  yourBoot: number,
  upTo: number | null,
  fx: CrdtEffect[],
): void {
  fx.push({ type: 'send', to, msg: { type: 'Ack', boot: s.boot, yourBoot, upTo } });
}
