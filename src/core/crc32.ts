/**
 * CRC-32 (IEEE 802.3, the polynomial zlib and gzip use), table-driven, four bytes a step
 * ("slicing-by-4"). It gives the same values as `zlib.crc32` (but for empty input, where node's
 * zlib answers 0 and this the running crc, as the checksum's definition says); it exists because the simulated
 * WAL checksums every record it writes or reads, records are ~100 bytes, and for inputs that
 * small the call into zlib (argument checks and the native boundary, twice per record) cost more
 * than the checksum itself.
 */

/** TABLES[k][b]: the crc of byte b followed by k zero bytes. */
const TABLES = buildTables();

function buildTables(): Int32Array[] {
  const t0 = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t0[n] = c;
  }
  const tables = [t0];
  for (let k = 1; k < 4; k++) {
    const prev = tables[k - 1] as Int32Array;
    const t = new Int32Array(256);
    for (let n = 0; n < 256; n++)
      t[n] = (t0[(prev[n] as number) & 0xff] as number) ^ ((prev[n] as number) >>> 8);
    tables.push(t);
  }
  return tables;
}

const [T0, T1, T2, T3] = TABLES as [Int32Array, Int32Array, Int32Array, Int32Array];

/** The crc of `crc`'s input followed by `bytes`, as `zlib.crc32(bytes, crc)` returns it. */
export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = ~crc;
  let i = 0;
  const end4 = bytes.length - (bytes.length % 4);
  for (; i < end4; i += 4) {
    c ^=
      (bytes[i] as number) |
      ((bytes[i + 1] as number) << 8) |
      ((bytes[i + 2] as number) << 16) |
      ((bytes[i + 3] as number) << 24);
    c =
      (T3[c & 0xff] as number) ^
      (T2[(c >>> 8) & 0xff] as number) ^
      (T1[(c >>> 16) & 0xff] as number) ^
      (T0[c >>> 24] as number);
  }
  for (; i < bytes.length; i++) c = (T0[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return ~c >>> 0;
}

/** The crc of `crc`'s input followed by `value` as four big-endian bytes. */
export function crc32U32(value: number, crc = 0): number {
  let c = ~crc;
  for (let shift = 24; shift >= 0; shift -= 8)
    c = (T0[(c ^ (value >>> shift)) & 0xff] as number) ^ (c >>> 8);
  return ~c >>> 0;
}
