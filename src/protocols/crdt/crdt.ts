/**
 * A replicated data type kept by every node, converging by delta-state anti-entropy: any CRDT
 * of the library (components/crdt) behind one protocol. Each node takes client updates on its
 * own, makes them durable before it answers, and gossips deltas to its peers, which it tracks
 * per peer with acknowledgements; after a restart, or when a peer has fallen too far behind, it
 * ships its whole state instead. There is no leader and no quorum: a replica cut off from every
 * other still serves reads and updates, and all converge once messages flow again (strong
 * eventual consistency; Shapiro, Preguiça, Baquero, Zawirski 2011).
 *
 * This file only wires the handlers of the node contract to the modules that implement each
 * concern (README, "Files").
 */
import type { NodeId } from '../../core/ids.js';
import type { DiskCompletion, Protocol, Step } from '../../core/protocol.js';
import type { ReplicatedInput } from '../../core/replicated-ops.js';
import { onAck, onDelta, onGossipTimer } from './anti-entropy.js';
import { checkReady, DIR_TAG, firstBoot, GOSSIP_TIMER, recover } from './boot.js';
import { onClientRequest, promoteDurable } from './client-updates.js';
import { type CrdtConfig, type CrdtOptions, createCrdtConfig } from './crdt-config.js';
import { createCrdtObserver } from './crdt-observer.js';
import type { CrdtEffect, CrdtState } from './crdt-state.js';
import type { CrdtMessage } from './messages.js';
import { walSynced } from './wal.js';

type CrdtStep = Step<CrdtState, CrdtMessage, unknown>;

const step = (s: CrdtState, fx: CrdtEffect[]): CrdtStep => ({ state: s, effects: fx });

export function createCrdt(
  options: CrdtOptions,
  bugs: ReadonlySet<string>,
  nodes: readonly NodeId[],
): Protocol<CrdtState, CrdtMessage, ReplicatedInput, unknown> {
  const cfg = createCrdtConfig(options, bugs, nodes);
  return {
    name: 'crdt',
    init(ctx) {
      const fx: CrdtEffect[] = [];
      return step(firstBoot(cfg, ctx, fx), fx);
    },
    onRecover(ctx) {
      const fx: CrdtEffect[] = [];
      return step(recover(cfg, ctx, fx), fx);
    },
    onMessage(s, from, m, ctx) {
      const fx: CrdtEffect[] = [];
      if (m.type === 'Delta') onDelta(cfg, s, from, m, ctx, fx);
      else onAck(s, from, m);
      return step(s, fx);
    },
    onTimer(s, timer, ctx) {
      const fx: CrdtEffect[] = [];
      if (timer === GOSSIP_TIMER) onGossipTimer(cfg, s, ctx, fx);
      return step(s, fx);
    },
    onRequest(s, req, ctx) {
      const fx: CrdtEffect[] = [];
      onClientRequest(cfg, s, req, ctx, fx);
      return step(s, fx);
    },
    onDiskDone(s, done, _ctx) {
      const fx: CrdtEffect[] = [];
      onDiskDone(cfg, s, done, fx);
      return step(s, fx);
    },
    describeMessage: (m) => m.type,
    createObserver: () => createCrdtObserver(cfg),
  };
}

/**
 * Write completions change nothing (the WAL's writes are quiet): a WAL fsync makes updates
 * durable, and the first boot's directory fsync makes the WAL's name durable.
 */
function onDiskDone(cfg: CrdtConfig, s: CrdtState, done: DiskCompletion, fx: CrdtEffect[]) {
  if (done.op === 'syncDir' && done.tag === DIR_TAG) s.dirSynced = true;
  else if (done.op === 'sync' && s.wal.owns(done.tag)) {
    promoteDurable(cfg, s, walSynced(s, done, fx), fx);
  }
  checkReady(s, fx);
}
