/**
 * The primary: it appends client commands to its log, ships them to every backup in `Replicate`
 * (also its heartbeat, every `heartbeatMs`), tracks how far each backup's log is durable, and
 * answers a client once its command commits (commit.ts). In `async` mode it serves reads from
 * memory; in `sync` mode reads go through the log, so they are linearizable.
 *
 * Leaves out pipelining: `nextIndex` moves only on an acknowledgement, so every append and
 * heartbeat resends from there (at most `batchMax` entries), and a backup that fell behind
 * catches up one batch per round trip. Slower, but simple to follow in a trace.
 */
import { assert } from '../../core/assert.js';
import type { KvInput } from '../../core/history.js';
import type { NodeId } from '../../core/ids.js';
import { MARKS } from '../../core/marks.js';
import type { ClientRequest, NodeContext } from '../../core/protocol.js';
import type { KvCommand } from '../shared/kv-store.js';
import { redirect } from '../shared/redirect.js';
import { advanceCommit } from './commit.js';
import { adoptEpoch } from './epoch.js';
import type { Entry, PbMessageOf } from './messages.js';
import type { PbConfig } from './pb-config.js';
import { epochAt, type PbEffect, type PbState } from './pb-state.js';
import { persistLog } from './wal.js';
import { readKey } from './lsm-storage.js';
import { heartbeatTargets, noteQuiet, wakeOnAppend } from './quiescence.js';

/** Appends a command, persists it and ships it; `requestId` is the client waiting, if any. */
export function appendAsPrimary(
  cfg: PbConfig,
  s: PbState,
  cmd: KvCommand,
  requestId: number | undefined,
  ctx: NodeContext,
  fx: PbEffect[],
): void {
  assert(s.role.kind === 'primary', 'only a primary appends');
  const e: Entry = { epoch: s.epoch, index: s.log.length + 1, cmd };
  s.log.push(e);
  if (requestId !== undefined) s.role.waiting.set(e.index, requestId);
  s.role.appendedAt.set(e.index, ctx.now);
  persistLog(s, [{ t: 'e', e }], fx);
  wakeOnAppend(cfg, s, fx);
  for (const p of s.peers) sendReplicate(cfg, s, p, fx);
  if (cfg.bugs.ackBeforeFsync) advanceCommit(cfg, s, fx);
}

/**
 * Ships the next batch `to` needs, with the commit point piggybacked (VR's commit number);
 * `quiesce` asks an idle group's backup to go quiet (quiescence.ts).
 */
function sendReplicate(
  cfg: PbConfig,
  s: PbState,
  to: NodeId,
  fx: PbEffect[],
  quiesce = false,
): void {
  if (s.role.kind !== 'primary') return;
  const next = s.role.nextIndex.get(to) ?? s.log.length + 1;
  const prevIndex = next - 1;
  // A backup that has everything gets a heartbeat: one shared empty batch, not a fresh slice.
  const entries =
    prevIndex >= s.log.length ? NO_ENTRIES : s.log.slice(prevIndex, prevIndex + cfg.batchMax);
  const msg = {
    type: 'Replicate' as const,
    epoch: s.epoch,
    prevIndex,
    prevEpoch: epochAt(s, prevIndex),
    entries,
    commitIndex: s.commitIndex,
    ...(quiesce && { quiesce: true as const }),
  };
  fx.push({ type: 'send', to, msg });
}

/** The batch of a `Replicate` that ships nothing (a heartbeat). */
const NO_ENTRIES: readonly Entry[] = Object.freeze([]);

/**
 * The heartbeat timer: a `Replicate` to every backup, then the timer again. Under quiescence
 * an idle group's heartbeat goes only to the backups not yet quiet, and lapses once all are.
 */
export function onHeartbeat(cfg: PbConfig, s: PbState, fx: PbEffect[]): void {
  if (!cfg.quiesce) {
    for (const p of s.peers) sendReplicate(cfg, s, p, fx);
  } else {
    const { to, quiesce } = heartbeatTargets(s);
    for (const p of to) sendReplicate(cfg, s, p, fx, quiesce);
    if (to.length === 0) return;
  }
  fx.push({ type: 'setTimer', name: 'heartbeat', afterUs: cfg.heartbeatUs });
}

/** A backup has the log durable up to `matchIndex`: count it, commit, send what it lacks. */
export function onReplicateOk(
  cfg: PbConfig,
  s: PbState,
  from: NodeId,
  m: PbMessageOf<'ReplicateOk'>,
  ctx: NodeContext,
  fx: PbEffect[],
): void {
  if (m.epoch > s.epoch) {
    adoptEpoch(cfg, s, m.epoch, ctx, fx);
    return;
  }
  if (m.epoch !== s.epoch || s.role.kind !== 'primary') return;
  if (cfg.quiesce) noteQuiet(s, from, m);
  const { matchIndex, nextIndex, appendedAt } = s.role;
  if (m.matchIndex > (matchIndex.get(from) ?? 0)) {
    matchIndex.set(from, m.matchIndex);
    const t = appendedAt.get(m.matchIndex);
    if (t !== undefined)
      fx.push({ type: 'mark', name: MARKS.replicationLagUs, value: ctx.now - t });
  }
  nextIndex.set(from, Math.max(nextIndex.get(from) ?? 1, m.matchIndex + 1));
  advanceCommit(cfg, s, fx);
  if ((nextIndex.get(from) ?? 1) <= s.log.length) sendReplicate(cfg, s, from, fx);
}

/** A backup's log did not match: resend from the backup's hint. */
export function onReplicateNack(
  cfg: PbConfig,
  s: PbState,
  from: NodeId,
  m: PbMessageOf<'ReplicateNack'>,
  ctx: NodeContext,
  fx: PbEffect[],
): void {
  if (m.epoch > s.epoch) {
    adoptEpoch(cfg, s, m.epoch, ctx, fx);
    return;
  }
  if (m.epoch !== s.epoch || s.role.kind !== 'primary') return;
  s.role.nextIndex.set(from, Math.max(1, Math.min(m.hintIndex + 1, s.log.length + 1)));
  sendReplicate(cfg, s, from, fx);
}

/**
 * A client command. Only a ready primary takes it; anyone else answers `fail not-primary`,
 * naming the primary when it knows one, so the client retries there.
 */
export function onClientRequest(
  cfg: PbConfig,
  s: PbState,
  req: ClientRequest<KvInput>,
  ctx: NodeContext,
  fx: PbEffect[],
): void {
  if (s.role.kind !== 'primary' || !s.ready) {
    const hint = s.role.kind === 'backup' ? s.role.primary : undefined;
    fx.push(redirect(req.id, 'not-primary', hint));
    return;
  }
  if (req.op.f === 'get' && cfg.mode === 'async') {
    const value = readKey(s, req.op.key);
    fx.push({ type: 'reply', requestId: req.id, outcome: { type: 'ok', value } });
    return;
  }
  appendAsPrimary(cfg, s, req.op, req.id, ctx, fx);
}
