/**
 * Keys to shards: consistent hashing with virtual nodes (Karger et al., STOC 1997; Dynamo §4.2),
 * over the shards rather than the nodes, so a key's shard never changes and only a shard's
 * replicas move. Each shard owns `vnodes` tokens; a key belongs to the first token clockwise
 * from its position.
 *
 * Positions are the placement module's FNV-1a (`ringHash`) followed by MurmurHash3's 32-bit
 * finalizer. The finalizer is why this is not the placement module's `Ring`: FNV-1a alone puts
 * names that differ only in their last characters (`s3#0`, `s3#1`…; `k0`, `k1`…) close together,
 * so a shard's tokens cluster and so do the workload's keys. Measured with 16 shards of 16
 * tokens: the 12 keys `k0`..`k11` landed on 2 shards through `Ring`, on 8 here; 10,000 keys gave
 * the fullest shard 1,470 and the emptiest 235 (ideal 625) through `Ring`, 787 and 520 here with
 * 64 tokens. Giving `Ring` the finalizer changes Dynamo's preference lists and its golden
 * hashes, which is a change of its own.
 *
 * The other option, ranges that split as they grow (`sharding: range`), is range-split.ts.
 */
import { ringHash } from '../../components/placement/hash-ring.js';

/** MurmurHash3's fmix32: every input bit reaches every output bit. */
function fmix32(h: number): number {
  let x = h;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

const ringPosition = (text: string): number => fmix32(ringHash(text));

/**
 * Rings built, by shards and tokens: a ring is immutable and a sweep builds the same one for
 * every seed (4,096 hashed tokens at 64 shards), so it is built once per thread. At most
 * RINGS_KEPT_MAX are kept; past that the oldest is dropped.
 */
const built = new Map<string, ShardRing>();
const RINGS_KEPT_MAX = 16;

export class ShardRing {
  private readonly positions: Uint32Array;
  private readonly owners: Uint16Array;

  /** The ring of `shards` shards with `vnodes` tokens each, built once. */
  static of(shards: number, vnodes: number): ShardRing {
    const key = `${shards}/${vnodes}`;
    let ring = built.get(key);
    if (ring === undefined) {
      ring = new ShardRing(shards, vnodes);
      if (built.size >= RINGS_KEPT_MAX) built.delete(built.keys().next().value as string);
      built.set(key, ring);
    }
    return ring;
  }

  constructor(shards: number, vnodes: number) {
    const tokens: { readonly position: number; readonly shard: number }[] = [];
    for (let s = 0; s < shards; s++)
      for (let i = 0; i < vnodes; i++)
        tokens.push({ position: ringPosition(`s${s}#${i}`), shard: s });
    tokens.sort((a, b) => a.position - b.position || a.shard - b.shard);
    this.positions = Uint32Array.from(tokens, (t) => t.position);
    this.owners = Uint16Array.from(tokens, (t) => t.shard);
  }

  /** The shard owning the first token at or after the key's position, wrapping round. */
  shardOf(key: string): number {
    const p = ringPosition(key);
    let lo = 0;
    let hi = this.positions.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.positions[mid] as number) < p) lo = mid + 1;
      else hi = mid;
    }
    return this.owners[lo === this.positions.length ? 0 : lo] as number;
  }
}
