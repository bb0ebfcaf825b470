/**
 * Merkle-tree anti-entropy (Dynamo §4.7): every `antiEntropyMs` a node picks a peer at random
 * and compares, for the keys both are home nodes of, a hash tree of what each holds durably. The
 * leaves are the keys' buckets (by ring hash), each hashed over its keys' version dots; the root
 * is the hash of the leaves. Equal roots end the exchange; otherwise the peer sends back its
 * versions of the keys in the buckets that differ (`MerkleDiff`), and the initiator merges them and
 * answers with its own versions of those buckets (`MerkleSync`). Replicas thus converge on keys no
 * client reads, which read repair never reaches.
 *
 * Simplified from the paper: the tree has two levels (root and 16 leaves) and is sent whole in one
 * message rather than walked level by level, and it is recomputed for each exchange instead of
 * kept up to date, which is cheap for the few keys a scenario has.
 */
import type { NodeId } from '../../core/ids.js';
import type { NodeContext } from '../../core/protocol.js';
import { VectorClock } from '../../components/clocks/vector-clock.js';
import type { DynamoConfig } from './dynamo-config.js';
import type { DynamoEffect, DynamoState } from './dynamo-state.js';
import type { KeyVersions } from './messages.js';
import { ringHash } from '../../components/placement/hash-ring.js';
import { sameVersions, type Version } from './versions.js';
import { mergeHeld, purgeExpired, raiseFloor } from './tombstones.js';
import { writeKey } from './wal.js';

export const ANTI_ENTROPY_TIMER = 'anti-entropy';
const BUCKETS = 16;

export function armAntiEntropy(cfg: DynamoConfig, fx: DynamoEffect[]): void {
  if (cfg.antiEntropyUs > 0)
    fx.push({ type: 'setTimer', name: ANTI_ENTROPY_TIMER, afterUs: cfg.antiEntropyUs });
}

/** The keys this node holds that `peer` is a home node of too, sorted. */
function sharedKeys(cfg: DynamoConfig, s: DynamoState, peer: NodeId): string[] {
  const keys =
    s.floors.size === 0 ? s.store.keys() : new Set([...s.store.keys(), ...s.floors.keys()]);
  return [...keys]
    .filter((k) => {
      const homes = cfg.ring.preferenceList(k, cfg.n);
      return homes.includes(s.id) && homes.includes(peer);
    })
    .sort();
}

const bucketOf = (key: string): number => ringHash(key) % BUCKETS;

/**
 * A version in a leaf: its dot, and under `crdt` the clock of the writes its state joined too, as
 * one dot names several different states there (crdt-values.ts).
 */
const leafText = (cfg: DynamoConfig, v: Version): string =>
  cfg.resolver.crdt === undefined
    ? `${v.dot.node}:${v.dot.counter}`
    : `${v.dot.node}:${v.dot.counter}@${v.context.entries().join('.')}`;

/** The leaves: per bucket, a hash over its keys and their versions' dots. */
function leaves(cfg: DynamoConfig, s: DynamoState, peer: NodeId): number[] {
  const text = new Array<string>(BUCKETS).fill('');
  for (const key of sharedKeys(cfg, s, peer)) {
    const dots = (s.store.get(key) ?? []).map((v) => leafText(cfg, v)).join(',');
    const floor = s.floors.get(key);
    const below = floor === undefined ? '' : `/${floor.entries().join(',')}`;
    const b = bucketOf(key);
    text[b] = `${text[b]}${key}=${dots}${below};`;
  }
  return text.map((t) => (t === '' ? 0 : ringHash(t)));
}

const rootOf = (ls: readonly number[]): number => ringHash(ls.join(','));

export function onAntiEntropyTimer(
  cfg: DynamoConfig,
  s: DynamoState,
  ctx: NodeContext,
  fx: DynamoEffect[],
): void {
  armAntiEntropy(cfg, fx);
  if (!s.ready) return;
  purgeExpired(cfg, s, ctx, fx);
  if (ctx.peers.length === 0) return;
  const peer = ctx.random.pick(ctx.peers);
  const ls = leaves(cfg, s, peer);
  fx.push({
    type: 'send',
    to: peer,
    msg: { type: 'MerkleTree', root: rootOf(ls), leaves: ls, hlc: s.hlc },
  });
}

/** The entries of this node's shared keys whose bucket is in `buckets`. */
function entriesIn(cfg: DynamoConfig, s: DynamoState, peer: NodeId, buckets: readonly number[]) {
  return sharedKeys(cfg, s, peer)
    .filter((k) => buckets.includes(bucketOf(k)))
    .map((k): KeyVersions => {
      const floor = s.floors.get(k);
      const vs = s.store.get(k) ?? [];
      return floor === undefined ? [k, vs] : [k, vs, floor.entries()];
    });
}

/** At the peer: compare trees, and send back its versions of the buckets that differ. */
export function onMerkleTree(
  cfg: DynamoConfig,
  s: DynamoState,
  from: NodeId,
  m: { readonly root: number; readonly leaves: readonly number[] },
  fx: DynamoEffect[],
): void {
  const ls = leaves(cfg, s, from);
  if (rootOf(ls) === m.root) return;
  const buckets = ls.flatMap((h, b) => (h === m.leaves[b] ? [] : [b]));
  const entries = entriesIn(cfg, s, from, buckets);
  fx.push({ type: 'send', to: from, msg: { type: 'MerkleDiff', buckets, entries, hlc: s.hlc } });
}

/** At the initiator: merge the peer's versions, and send it ours of the same buckets. */
export function onMerkleDiff(
  cfg: DynamoConfig,
  s: DynamoState,
  from: NodeId,
  m: { readonly buckets: readonly number[]; readonly entries: readonly KeyVersions[] },
  fx: DynamoEffect[],
): void {
  const entries = entriesIn(cfg, s, from, m.buckets);
  mergeEntries(cfg, s, m.entries, fx);
  if (entries.length > 0)
    fx.push({ type: 'send', to: from, msg: { type: 'MerkleSync', entries, hlc: s.hlc } });
}

/** Merges each key's versions, writing only the keys that change. */
export function mergeEntries(
  cfg: DynamoConfig,
  s: DynamoState,
  entries: readonly KeyVersions[],
  fx: DynamoEffect[],
): void {
  for (const [key, versions, floor] of entries) {
    const homes = cfg.ring.preferenceList(key, cfg.n);
    if (!homes.includes(s.id)) continue;
    if (floor !== undefined) raiseFloor(s, key, VectorClock.from(floor), fx);
    const held = s.working.get(key) ?? [];
    const merged = mergeHeld(cfg, s, key, versions);
    if (sameVersions(merged, held)) continue;
    fx.push({ type: 'mark', name: 'dynamo.anti-entropy-repaired' });
    writeKey(s, key, merged, [], fx);
  }
}
