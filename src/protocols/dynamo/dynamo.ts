/**
 * A multi-master key-value store in the style of Amazon's Dynamo (DeCandia et al., SOSP 2007) and
 * Riak: a consistent-hash ring with virtual nodes gives each key a preference list of N home
 * nodes; any node coordinates a request, writing to W and reading from R of them; a sloppy quorum
 * stands in fallbacks for unreachable home nodes, which hinted handoff later delivers to; read
 * repair brings stale replicas up to date; versions carry dotted version vectors, resolved as
 * siblings or last-writer-wins (versions.ts).
 *
 * This file only wires the node contract's handlers to the modules that implement each concern
 * (README, "Layout").
 */
import type { NodeId } from '../../core/ids.js';
import type { DiskCompletion, NodeContext, Protocol, Step } from '../../core/protocol.js';
import { hlcReceive } from '../../components/clocks/hybrid-logical-clock.js';
import {
  coordinate,
  type DynamoInput,
  EXPIRE_TIMER,
  FALLBACK_TIMER,
  onClientRequest,
  onExpireTimer,
  onFallbackTimer,
  onReadReply,
  onReplicated,
} from './coordinator.js';
import { type DynamoConfig, type DynamoOptions, createDynamoConfig } from './dynamo-config.js';
import {
  ANTI_ENTROPY_TIMER,
  armAntiEntropy,
  mergeEntries,
  onAntiEntropyTimer,
  onMerkleDiff,
  onMerkleTree,
} from './anti-entropy.js';
import { createDynamoObserver } from './dynamo-observer.js';
import { type AfterSync, type DynamoEffect, type DynamoState, freshState } from './dynamo-state.js';
import {
  armHandoff,
  hintForeignKeys,
  HANDOFF_TIMER,
  handedOff,
  onHandedOff,
  onHandoff,
  onHandoffTimer,
} from './hinted-handoff.js';
import type { DynamoMessage } from './messages.js';
import { onRead, onRepair, onReplicate, sendAck } from './replica.js';
import { onReap } from './tombstones.js';
import { appendWal, replayWal, walSynced } from './wal.js';

type DynamoStep = Step<DynamoState, DynamoMessage, unknown>;

const step = (s: DynamoState, fx: DynamoEffect[]): DynamoStep => ({ state: s, effects: fx });

/** Tags the first boot's directory fsync; every other disk effect takes `nextTag`. */
const DIR_TAG = 0;

export function createDynamo(
  options: DynamoOptions,
  bugs: ReadonlySet<string>,
  nodes: readonly NodeId[],
): Protocol<DynamoState, DynamoMessage, DynamoInput, unknown> {
  const cfg = createDynamoConfig(options, bugs, nodes);
  return {
    name: 'dynamo',
    init(ctx) {
      const fx: DynamoEffect[] = [];
      return step(firstBoot(cfg, ctx, fx), fx);
    },
    onRecover(ctx) {
      const fx: DynamoEffect[] = [];
      const s = freshState(ctx);
      if (!replayWal(s, ctx, fx)) return step(firstBoot(cfg, ctx, fx), fx);
      s.ready = true;
      fx.push({ type: 'mark', name: 'dynamo.recovered' });
      hintForeignKeys(cfg, s, fx);
      armHandoff(cfg, fx);
      armAntiEntropy(cfg, fx);
      return step(s, fx);
    },
    onMessage(s, from, m, ctx) {
      const fx: DynamoEffect[] = [];
      const r = hlcReceive(s.hlc, m.hlc, ctx.now);
      if (r.ok) s.hlc = r.clock;
      if (s.ready) onMessage(cfg, s, from, m, ctx, fx);
      return step(s, fx);
    },
    onTimer(s, timer, ctx) {
      const fx: DynamoEffect[] = [];
      if (timer === HANDOFF_TIMER) onHandoffTimer(cfg, s, fx);
      else if (timer === ANTI_ENTROPY_TIMER) onAntiEntropyTimer(cfg, s, ctx, fx);
      else if (timer.startsWith(FALLBACK_TIMER))
        onFallbackTimer(cfg, s, Number(timer.slice(FALLBACK_TIMER.length)), ctx, fx);
      else if (timer.startsWith(EXPIRE_TIMER))
        onExpireTimer(cfg, s, Number(timer.slice(EXPIRE_TIMER.length)), fx);
      return step(s, fx);
    },
    onRequest(s, req, ctx) {
      const fx: DynamoEffect[] = [];
      onClientRequest(cfg, s, req, ctx, fx);
      return step(s, fx);
    },
    onDiskDone(s, done, _ctx) {
      const fx: DynamoEffect[] = [];
      onDiskDone(cfg, s, done, fx);
      return step(s, fx);
    },
    describeMessage: (m) => m.type,
    createObserver: () => createDynamoObserver(cfg),
  };
}

function firstBoot(cfg: DynamoConfig, ctx: NodeContext, fx: DynamoEffect[]): DynamoState {
  const s = freshState(ctx);
  appendWal(s, [{ t: 'boot' }], [], fx);
  fx.push({ type: 'diskSyncDir', tag: DIR_TAG });
  armHandoff(cfg, fx);
  armAntiEntropy(cfg, fx);
  return s;
}

function onMessage(
  cfg: DynamoConfig,
  s: DynamoState,
  from: NodeId,
  m: DynamoMessage,
  ctx: NodeContext,
  fx: DynamoEffect[],
): void {
  switch (m.type) {
    case 'Replicate':
      return onReplicate(cfg, s, from, m, fx);
    case 'Replicated':
      return onReplicated(cfg, s, from, m.rid, fx);
    case 'Read':
      return onRead(cfg, s, from, m, fx);
    case 'ReadReply':
      return onReadReply(cfg, s, from, m, ctx, fx);
    case 'Repair':
      return onRepair(cfg, s, m, fx);
    case 'Reap':
      return onReap(s, m, fx);
    case 'Handoff':
      return onHandoff(cfg, s, from, m, fx);
    case 'HandedOff':
      return onHandedOff(cfg, s, from, m, fx);
    case 'MerkleTree':
      return onMerkleTree(cfg, s, from, m, fx);
    case 'MerkleDiff':
      return onMerkleDiff(cfg, s, from, m, fx);
    case 'MerkleSync':
      return mergeEntries(cfg, s, m.entries, fx);
  }
}

/**
 * The first boot's directory fsync makes the WAL's name durable: only then does the node serve.
 * A WAL fsync makes writes durable, and runs what waited for them.
 */
function onDiskDone(cfg: DynamoConfig, s: DynamoState, done: DiskCompletion, fx: DynamoEffect[]) {
  if (done.op === 'syncDir' && done.tag === DIR_TAG) {
    if (done.ok) s.ready = true;
    else fx.push({ type: 'diskSyncDir', tag: DIR_TAG });
    return;
  }
  if (done.op !== 'sync' || !s.wal.owns(done.tag)) return;
  for (const a of walSynced(s, done, fx)) afterSync(cfg, s, a, fx);
}

function afterSync(cfg: DynamoConfig, s: DynamoState, a: AfterSync, fx: DynamoEffect[]): void {
  if (a.a === 'coordinate') coordinate(cfg, s, a.rid, fx);
  else if (a.a === 'ack') sendAck(s, a.to, a.rid, fx);
  else handedOff(s, a, fx);
}
