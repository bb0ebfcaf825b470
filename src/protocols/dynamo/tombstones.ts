/**
 * Collecting tombstones. A delete is a write of a tombstone (versions.ts), which must stay until
 * every replica that could still hold what it shadows has it: a replica that never saw the delete
 * would otherwise hand the deleted value back through read repair or anti-entropy, and no one
 * could tell it from a new write (research catalogue #26).
 *
 * The rule here is Riak's `delete_mode` with a reap: a delete's coordinator that hears from all N
 * home nodes that they hold the tombstone durably, and shipped nothing but the tombstone, tells
 * them to collect it (`Reap`). A home node then drops the key's versions the tombstone's clock
 * covers and keeps that clock as the key's floor (a vector of at most N entries, in place of the
 * tombstone and everything it shadowed): a late or duplicated copy of a deleted version is below
 * the floor and refused, and the node's next dot for the key starts above it. A delete that does
 * not reach every home node (one down or partitioned) keeps its tombstone; anti-entropy carries it
 * to the rest. Anti-entropy also carries floors, so a home node a `Reap` missed drops the
 * tombstone when it next compares trees with one that collected it. That trades space for
 * safety, as Riak's `keep` mode does.
 *
 * Named bug `dynamo.tombstone-gc-before-anti-entropy` is Cassandra's `gc_grace_seconds` without
 * repair: each node purges a key whose versions are all tombstones once the newest is older than
 * a fixed grace period, whether or not every replica has the delete, and keeps no floor, so a
 * replica that missed the delete resurrects the value when anti-entropy compares them.
 */
import type { NodeContext } from '../../core/protocol.js';
import { VectorClock } from '../../components/clocks/vector-clock.js';
import type { DynamoConfig } from './dynamo-config.js';
import type { DynamoEffect, DynamoState, PendingPut } from './dynamo-state.js';
import type { ReapMessage } from './messages.js';
import {
  aboveFloor,
  allTombstones,
  clockOf,
  encodeVersions,
  syncVersions,
  type Versions,
} from './versions.js';
import { appendWal } from './wal.js';

/** The bug's grace period: Cassandra's `gc_grace_seconds`, scaled to a run of seconds. */
const GC_GRACE_US = 100_000;

/**
 * What a home node keeps of `key` after merging `incoming` into what it holds: the join, less
 * what a collected tombstone's floor made obsolete.
 */
export function mergeHeld(
  cfg: DynamoConfig,
  s: DynamoState,
  key: string,
  incoming: Versions,
): Versions {
  const held = s.working.get(key) ?? [];
  return aboveFloor(syncVersions(cfg.resolver, held, incoming), s.floors.get(key));
}

/** A delete every home node holds durably, and nothing beside it: they may collect it. */
export function reapIfEveryHome(
  cfg: DynamoConfig,
  s: DynamoState,
  put: PendingPut,
  fx: DynamoEffect[],
) {
  const v = put.version;
  if (v.tomb !== true || put.versions.length !== 1 || cfg.bugs.gcBeforeAntiEntropy) return;
  const homes = cfg.ring.preferenceList(put.key, cfg.n);
  if (!homes.every((h) => put.acks.has(h))) return;
  const msg: ReapMessage = { type: 'Reap', key: put.key, clock: clockOf(v), hlc: s.hlc };
  fx.push({ type: 'mark', name: 'dynamo.tombstone-reaped' });
  for (const home of homes)
    if (home === s.id) onReap(s, msg, fx);
    else fx.push({ type: 'send', to: home, msg });
}

/** At a home node: drop what the tombstone's clock covers, and keep the clock as the floor. */
export function onReap(s: DynamoState, m: ReapMessage, fx: DynamoEffect[]): void {
  raiseFloor(s, m.key, m.clock, fx);
}

/** The key's floor joined with `clock` (from a `Reap`, or a peer's, by anti-entropy). */
export function raiseFloor(s: DynamoState, key: string, clock: VectorClock, fx: DynamoEffect[]) {
  const floor = (s.floors.get(key) ?? VectorClock.EMPTY).merge(clock);
  if (s.floors.get(key)?.equals(floor) === true) return;
  collect(s, key, floor, fx);
}

function collect(s: DynamoState, key: string, floor: VectorClock, fx: DynamoEffect[]): void {
  const left = aboveFloor(s.working.get(key) ?? [], floor);
  s.floors.set(key, floor);
  if (left.length === 0) s.working.delete(key);
  else s.working.set(key, left);
  appendWal(s, [{ t: 'r', key, floor: floor.entries(), v: encodeVersions(left) }], [], fx);
}

/**
 * The bug: every key whose versions are all tombstones, the newest stamped more than the grace
 * period ago, is purged outright, floor and all.
 */
export function purgeExpired(
  cfg: DynamoConfig,
  s: DynamoState,
  ctx: NodeContext,
  fx: DynamoEffect[],
): void {
  if (!cfg.bugs.gcBeforeAntiEntropy) return;
  for (const [key, vs] of [...s.working]) {
    if (!allTombstones(vs)) continue;
    const newest = Math.max(...vs.map((v) => v.ts.l));
    if (newest + GC_GRACE_US > ctx.now) continue;
    fx.push({ type: 'mark', name: 'dynamo.tombstone-purged' });
    s.working.delete(key);
    appendWal(s, [{ t: 'r', key, floor: [], v: [] }], [], fx);
  }
}
