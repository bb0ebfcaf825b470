/**
 * A node as a replica: it keeps the versions coordinators ship it (`Replicate`), as a home node
 * of the key or, with a `hint`, as a fallback standing in for one, and answers once they are
 * durable; it answers a get's `Read` with the versions it holds durably (and, as a fallback, those
 * it keeps for others); it merges what read repair ships back (`Repair`). Merging is the
 * versions' join, so a message delivered twice, late or out of order changes nothing more.
 *
 * Named bugs: `dynamo.volatile-hints` keeps a hint in memory only and acknowledges at once, so a
 * crash of the fallback drops it; `dynamo.stale-read-repair` lets a repair replace what the
 * replica holds instead of merging into it, over any write that reached it since the read.
 */
import type { NodeId } from '../../core/ids.js';
import type { DynamoConfig } from './dynamo-config.js';
import { type DynamoEffect, type DynamoState, hinted, setHinted } from './dynamo-state.js';
import type { ReadMessage, RepairMessage, ReplicateMessage } from './messages.js';
import { sameVersions, syncVersions, type Versions } from './versions.js';
import { encodeVersions } from './versions.js';
import { mergeHeld } from './tombstones.js';
import { appendWal, writeKey } from './wal.js';

/** What this node holds of `key`, durably: its own versions and any it keeps as a fallback. */
export function localRead(cfg: DynamoConfig, s: DynamoState, key: string): Versions {
  let vs = s.store.get(key) ?? [];
  for (const byKey of s.hints.values()) {
    const h = byKey.get(key);
    if (h !== undefined) vs = syncVersions(cfg.resolver, vs, h);
  }
  return vs;
}

export function onReplicate(
  cfg: DynamoConfig,
  s: DynamoState,
  from: NodeId,
  m: ReplicateMessage,
  fx: DynamoEffect[],
): void {
  const ack = { a: 'ack' as const, to: from, rid: m.rid };
  if (m.hint !== undefined && m.hint !== s.id) return keepHint(cfg, s, m.hint, m, ack, fx);
  const held = s.working.get(m.key) ?? [];
  const merged = mergeHeld(cfg, s, m.key, m.versions);
  if (sameVersions(merged, held) && sameVersions(s.store.get(m.key) ?? [], held)) {
    sendAck(s, from, m.rid, fx);
    return;
  }
  writeKey(s, m.key, merged, [ack], fx);
}

function keepHint(
  cfg: DynamoConfig,
  s: DynamoState,
  home: NodeId,
  m: ReplicateMessage,
  ack: { readonly a: 'ack'; readonly to: NodeId; readonly rid: number },
  fx: DynamoEffect[],
): void {
  const merged = syncVersions(cfg.resolver, hinted(s.workingHints, home, m.key), m.versions);
  setHinted(s.workingHints, home, m.key, merged);
  fx.push({ type: 'mark', name: 'dynamo.hint-stored' });
  if (cfg.bugs.volatileHints) {
    // The bug: the hint lives in memory only, and the coordinator hears it is safe.
    setHinted(s.hints, home, m.key, merged);
    sendAck(s, ack.to, ack.rid, fx);
    return;
  }
  appendWal(s, [{ t: 'h', home, key: m.key, v: encodeVersions(merged) }], [ack], fx);
}

export function sendAck(s: DynamoState, to: NodeId, rid: number, fx: DynamoEffect[]): void {
  fx.push({ type: 'send', to, msg: { type: 'Replicated', rid, hlc: s.hlc } });
}

export function onRead(
  cfg: DynamoConfig,
  s: DynamoState,
  from: NodeId,
  m: ReadMessage,
  fx: DynamoEffect[],
) {
  const versions = localRead(cfg, s, m.key);
  fx.push({
    type: 'send',
    to: from,
    msg: { type: 'ReadReply', rid: m.rid, key: m.key, versions, hlc: s.hlc },
  });
}

export function onRepair(cfg: DynamoConfig, s: DynamoState, m: RepairMessage, fx: DynamoEffect[]) {
  const held = s.working.get(m.key) ?? [];
  // The bug: the repair's versions replace what the replica holds, newer writes included.
  const merged = cfg.bugs.repairOverwrites ? m.versions : mergeHeld(cfg, s, m.key, m.versions);
  if (sameVersions(merged, held)) return;
  fx.push({ type: 'mark', name: 'dynamo.read-repaired' });
  writeKey(s, m.key, merged, [], fx);
}
