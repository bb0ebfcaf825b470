/**
 * LevelDB's bloom filter (util/bloom.cc), one per SSTable, so a get skips a table that surely
 * lacks the key without reading a data block. `k` hash functions by double hashing one 32-bit
 * hash (Kirsch and Mitzenmacher 2006), `k = bitsPerKey · ln 2` (0.69, kept integral), at least
 * 64 bits. At 10 bits per key the false-positive rate is about 1%
 * (test/unit/storage/bloom-filter.test.ts measures it).
 *
 * The encoding is LevelDB's: the bit array, then one byte holding `k`.
 */

/** LevelDB's `Hash` (util/hash.cc): a Murmur-like hash over little-endian 32-bit words. */
export function leveldbHash(data: Uint8Array, seed: number): number {
  const m = 0xc6a4a793;
  let h = (seed ^ Math.imul(data.length, m)) >>> 0;
  let i = 0;
  for (; i + 4 <= data.length; i += 4) {
    const w =
      (data[i] as number) |
      ((data[i + 1] as number) << 8) |
      ((data[i + 2] as number) << 16) |
      ((data[i + 3] as number) << 24);
    h = Math.imul((h + w) >>> 0, m) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
  }
  const rest = data.length - i;
  if (rest > 0) {
    if (rest === 3) h = (h + ((data[i + 2] as number) << 16)) >>> 0;
    if (rest >= 2) h = (h + ((data[i + 1] as number) << 8)) >>> 0;
    h = (h + (data[i] as number)) >>> 0;
    h = Math.imul(h, m) >>> 0;
    h = (h ^ (h >>> 24)) >>> 0;
  }
  return h;
}

const SEED = 0xbc9f1d34;
const encoder = new TextEncoder();
const bloomHash = (key: string): number => leveldbHash(encoder.encode(key), SEED);

/** The filter for `keys`: the bit array and then `k` in the last byte. */
export function buildBloomFilter(keys: readonly string[], bitsPerKey: number): Uint8Array {
  const k = Math.min(30, Math.max(1, Math.floor((bitsPerKey * 69) / 100)));
  const bits = Math.max(64, keys.length * bitsPerKey);
  const bytes = Math.ceil(bits / 8);
  const filter = new Uint8Array(bytes + 1);
  filter[bytes] = k;
  for (const key of keys) {
    let h = bloomHash(key);
    const delta = ((h >>> 17) | (h << 15)) >>> 0;
    for (let j = 0; j < k; j++) {
      const bit = h % (bytes * 8);
      filter[bit >>> 3] = (filter[bit >>> 3] as number) | (1 << (bit & 7));
      h = (h + delta) >>> 0;
    }
  }
  return filter;
}

/** False means the key is surely absent; true means it may be present. */
export function bloomMayContain(filter: Uint8Array, key: string): boolean {
  if (filter.length < 2) return true;
  const bytes = filter.length - 1;
  const k = filter[bytes] as number;
  // LevelDB reserves k > 30 for future encodings and treats them as a match.
  if (k > 30) return true;
  let h = bloomHash(key);
  const delta = ((h >>> 17) | (h << 15)) >>> 0;
  for (let j = 0; j < k; j++) {
    const bit = h % (bytes * 8);
    if (((filter[bit >>> 3] as number) & (1 << (bit & 7))) === 0) return false;
    h = (h + delta) >>> 0;
  }
  return true;
}
