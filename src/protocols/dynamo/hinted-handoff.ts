/**
 * Hinted handoff (Dynamo §4.6). A fallback that took a write for an unreachable home node keeps
 * it, durably, under a hint naming that node; every `handoffIntervalMs` it offers each hint to its
 * home node (`Handoff`). The home node merges the versions, makes them durable and says so
 * (`HandedOff`, with the versions it got); the fallback then drops the hint, unless a newer write
 * joined it meanwhile, which the next round delivers. Until then the hint stays, across crashes.
 *
 * A coordinator outside a key's preference list whose write reached no replica at all keeps it the
 * same way, as hints for the home nodes (`keepStrandedWrite`): otherwise the write lives only on a
 * node no anti-entropy round compares, and a late read that happens to consult that node carries
 * it to some home replicas and not others (dynamo-crdt-counter seed 5354). A crash forgets which
 * puts were pending, so a restarted node hints every key it holds outside its preference lists
 * (`hintForeignKeys`): a write shipped just before a whole-cluster crash is not stranded either
 * (seed 2754). Homes that already have it merge nothing and say so.
 *
 * With the named bug `dynamo.volatile-hints` hints are never written down, so a fallback that
 * crashes before delivering them loses writes it acknowledged.
 */
import type { NodeId } from '../../core/ids.js';
import type { DynamoConfig } from './dynamo-config.js';
import {
  type DynamoEffect,
  type DynamoState,
  hinted,
  type PendingPut,
  setHinted,
} from './dynamo-state.js';
import type { HandedOffMessage, HandoffMessage } from './messages.js';
import { encodeVersions, sameVersions, syncVersions, type Versions } from './versions.js';
import type { WalRecord } from './wal-record.js';
import { mergeHeld } from './tombstones.js';
import { appendWal, writeKey } from './wal.js';

export const HANDOFF_TIMER = 'handoff';

export function armHandoff(cfg: DynamoConfig, fx: DynamoEffect[]): void {
  fx.push({ type: 'setTimer', name: HANDOFF_TIMER, afterUs: cfg.handoffIntervalUs });
}

/** Offers every durable hint to its home node. */
export function onHandoffTimer(cfg: DynamoConfig, s: DynamoState, fx: DynamoEffect[]): void {
  armHandoff(cfg, fx);
  if (!s.ready) return;
  for (const home of [...s.hints.keys()].sort()) {
    const byKey = s.hints.get(home);
    if (byKey === undefined) continue;
    for (const key of [...byKey.keys()].sort()) {
      const versions = byKey.get(key) ?? [];
      fx.push({ type: 'send', to: home, msg: { type: 'Handoff', key, versions, hlc: s.hlc } });
    }
  }
}

/** A put given up that no replica took: a coordinator outside the preference list hints it. */
export function keepStrandedWrite(
  cfg: DynamoConfig,
  s: DynamoState,
  put: PendingPut,
  fx: DynamoEffect[],
): void {
  const homes = cfg.ring.preferenceList(put.key, cfg.n);
  // Outside the preference list the coordinator never counts itself: any ack is a replica's.
  if (homes.includes(s.id) || put.acks.size > 0) return;
  fx.push({ type: 'mark', name: 'dynamo.stranded-write-hinted' });
  appendWal(s, hintRecords(cfg, s, put.key, put.versions, homes), [], fx);
}

/** After a restart: every key this node holds but is not home to becomes hints for its homes. */
export function hintForeignKeys(cfg: DynamoConfig, s: DynamoState, fx: DynamoEffect[]): void {
  const records: WalRecord[] = [];
  for (const key of [...s.store.keys()].sort()) {
    const homes = cfg.ring.preferenceList(key, cfg.n);
    const versions = s.store.get(key) ?? [];
    if (homes.includes(s.id) || versions.length === 0) continue;
    records.push(...hintRecords(cfg, s, key, versions, homes));
  }
  if (records.length === 0) return;
  fx.push({ type: 'mark', name: 'dynamo.foreign-keys-hinted' });
  appendWal(s, records, [], fx);
}

/** Joins `versions` into the hints for each home node, and the WAL records that keep them. */
function hintRecords(
  cfg: DynamoConfig,
  s: DynamoState,
  key: string,
  versions: Versions,
  homes: readonly NodeId[],
): WalRecord[] {
  return homes.map((home) => {
    const merged = syncVersions(cfg.resolver, hinted(s.workingHints, home, key), versions);
    setHinted(s.workingHints, home, key, merged);
    return { t: 'h' as const, home, key, v: encodeVersions(merged) };
  });
}

/** At the home node: merge the hinted versions, and say so once they are durable. */
export function onHandoff(
  cfg: DynamoConfig,
  s: DynamoState,
  from: NodeId,
  m: HandoffMessage,
  fx: DynamoEffect[],
): void {
  const held = s.working.get(m.key) ?? [];
  const merged = mergeHeld(cfg, s, m.key, m.versions);
  const after = { a: 'handed-off' as const, to: from, key: m.key, versions: m.versions };
  if (sameVersions(merged, held) && sameVersions(s.store.get(m.key) ?? [], held)) {
    handedOff(s, after, fx);
    return;
  }
  writeKey(s, m.key, merged, [after], fx);
}

export function handedOff(
  s: DynamoState,
  a: { readonly to: NodeId; readonly key: string; readonly versions: HandoffMessage['versions'] },
  fx: DynamoEffect[],
): void {
  fx.push({
    type: 'send',
    to: a.to,
    msg: { type: 'HandedOff', key: a.key, versions: a.versions, hlc: s.hlc },
  });
}

/** At the fallback: the hint is home; drop it if no newer write joined it meanwhile. */
export function onHandedOff(
  cfg: DynamoConfig,
  s: DynamoState,
  home: NodeId,
  m: HandedOffMessage,
  fx: DynamoEffect[],
): void {
  const held = hinted(s.workingHints, home, m.key);
  if (held.length === 0 || !sameVersions(held, m.versions)) return;
  setHinted(s.workingHints, home, m.key, undefined);
  fx.push({ type: 'mark', name: 'dynamo.handoff-delivered' });
  if (cfg.bugs.volatileHints) setHinted(s.hints, home, m.key, undefined);
  else appendWal(s, [{ t: 'hd', home, key: m.key }], [], fx);
}
