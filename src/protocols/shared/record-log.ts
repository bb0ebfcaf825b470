/**
 * Checksummed, chained records for write-ahead logs on the simulated disk.
 *
 * A record is `[u32 length][u32 crc][payload]`, where the crc covers the previous record's crc
 * and the payload. Recovery reads records until the first one that is short, zero, or fails its
 * check: that is the torn tail a crash can leave, and everything after it is discarded. The chain
 * matters: after recovery new records overwrite the torn tail, and an older record that happens
 * to start where a new one ends must not be mistaken for its successor.
 *
 * The chain alone is not enough. A record rewritten after recovery may be the very bytes of the
 * torn one it replaces (the same END, the same entry re-sent), and then the old records after
 * it chain on from it again: a record recovery dropped comes back at the next restart, after the
 * node acted on its absence (2pc-power-loss seed 599). So a writer that resumes after a torn
 * tail first writes a **fence** (`encodeFence`): a record the reader chains through and does not
 * return, whose body is the torn tail's length and crc. Every record after it chains from a crc
 * the old tail never had, so no old record can follow a new one (tail bytes equal to an earlier
 * fence's hold nothing that was written after that fence, so there is nothing to revive). A
 * fence needs no fsync of its own: an fsync makes every earlier write of the file durable, so
 * any new record that is durable has its fence before it.
 */
import { freshBytes } from '../../core/byte-arena.js';
import { crc32, crc32U32 } from '../../core/crc32.js';

/** Bytes before each record's payload: its length and its chained crc, big-endian u32s. */
const HEADER = 8;
/** The length field's top bit marks a fence (no record is 2 GiB long). */
const FENCE = 0x8000_0000;
const FENCE_BODY = 8;
const decoder = new TextDecoder();

/**
 * A payload's UTF-8 JSON. `Buffer.from` carves small strings out of node's shared pool, where
 * `TextEncoder.encode` allocates an array of its own each time (three times slower here).
 */
const encodeJson = (payload: unknown): Uint8Array => Buffer.from(JSON.stringify(payload), 'utf8');

/** A record payload already encoded to bytes, written as is: for a payload written often. */
export class PreEncoded {
  constructor(readonly body: Uint8Array) {}
}

function preEncode(payload: unknown): PreEncoded {
  return new PreEncoded(encodeJson(payload));
}

/**
 * An entry's WAL record body (`{ t: 'e', e }`, as Raft and primary/backup write entries),
 * encoded once and shared by every node that writes it: the simulator hands the same entry
 * object to the leader and to every follower it reaches, and JSON encoding was the largest
 * single cost of a replication step. Entries are immutable and the cache is keyed by object, so
 * it cannot change what is written.
 */
const entryBodies = new WeakMap<object, PreEncoded>();
export function entryRecord(e: object): PreEncoded {
  let b = entryBodies.get(e);
  if (b === undefined) {
    b = preEncode({ t: 'e', e });
    entryBodies.set(e, b);
  }
  return b;
}

function encodeRecord(payload: unknown, prevCrc: number): { bytes: Uint8Array; crc: number } {
  const { data, crc } = encodeRecords([payload], prevCrc);
  return { bytes: data, crc };
}

/**
 * Encodes payloads (or `PreEncoded` bodies) as one chained byte run after a record whose crc is
 * `prevCrc`, straight into one fresh buffer: this runs for every WAL write of every node.
 */
export function encodeRecords(
  records: readonly unknown[],
  prevCrc: number,
): { data: Uint8Array; crc: number } {
  const bodies: Uint8Array[] = [];
  let size = 0;
  for (const r of records) {
    const body = r instanceof PreEncoded ? r.body : encodeJson(r);
    bodies.push(body);
    size += HEADER + body.length;
  }
  const data = freshBytes(size);
  let at = 0;
  let crc = prevCrc;
  for (const b of bodies) {
    crc = chainCrc(crc, b);
    putU32(data, at, b.length);
    putU32(data, at + 4, crc);
    data.set(b, at + HEADER);
    at += HEADER + b.length;
  }
  return { data, crc };
}

function putU32(data: Uint8Array, at: number, value: number): void {
  data[at] = value >>> 24;
  data[at + 1] = value >>> 16;
  data[at + 2] = value >>> 8;
  data[at + 3] = value;
}

/** The crc over the previous crc (as 4 big-endian bytes) and the body: the chain's next link. */
const chainCrc = (prevCrc: number, body: Uint8Array): number => crc32(body, crc32U32(prevCrc));

/**
 * The fence a writer resuming after a torn tail writes first, chained after `prevCrc`: the torn
 * bytes' length and crc (crc32), so it differs from any record or fence the tail began with.
 */
export function encodeFence(torn: Uint8Array, prevCrc: number): { data: Uint8Array; crc: number } {
  const body = freshBytes(FENCE_BODY);
  putU32(body, 0, torn.length);
  putU32(body, 4, crc32(torn));
  const crc = chainCrc(prevCrc, body);
  const data = freshBytes(HEADER + FENCE_BODY);
  putU32(data, 0, (FENCE | FENCE_BODY) >>> 0);
  putU32(data, 4, crc);
  data.set(body, HEADER);
  return { data, crc };
}

export interface DecodedLog<T> {
  readonly records: T[];
  /** Bytes of valid records; new records go here. */
  readonly validBytes: number;
  /** Crc of the last valid record (the chain's next link). */
  readonly lastCrc: number;
  /** True when bytes after the valid prefix were discarded (a torn or garbage tail). */
  readonly tornTail: boolean;
}

/**
 * Decodes the valid records of `bytes` after a record whose crc is `firstCrc`. `parse` reads a
 * record's JSON: `JSON.parse`, or `parseShared` for a caller that never changes what it gets.
 */
export function decodeRecords<T>(
  bytes: Uint8Array,
  firstCrc = 0,
  parse: (json: string) => unknown = JSON.parse,
): DecodedLog<T> {
  const records: T[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  let crc = firstCrc;
  while (pos + HEADER <= bytes.length) {
    const word = view.getUint32(pos);
    const fence = word >= FENCE;
    const len = fence ? word - FENCE : word;
    if (len === 0 || pos + HEADER + len > bytes.length) break;
    const body = bytes.subarray(pos + HEADER, pos + HEADER + len);
    const expected = chainCrc(crc, body);
    if (expected !== view.getUint32(pos + 4)) break;
    if (fence) {
      crc = expected;
      pos += HEADER + len;
      continue;
    }
    let value: T;
    try {
      value = parse(decoder.decode(body)) as T;
    } catch {
      break;
    }
    records.push(value);
    crc = expected;
    pos += HEADER + len;
  }
  return { records, validBytes: pos, lastCrc: crc, tornTail: pos < bytes.length };
}

/**
 * Parsed records by their JSON, deeply frozen, shared by every reader that passes `parseShared`.
 * A node reads the same records again and again: a primary/backup group of a new epoch recovers
 * from a copy of the old group's WAL, on each of its replicas, and every restart rereads its
 * meta slots (in the cluster bench 92% of the records a seed decodes were decoded before in it).
 * A pure function of the string, bounded by emptying it when full, so it changes no result and
 * keeps no memory growing across runs; frozen, so a reader that changed a record would throw
 * rather than change another's.
 */
const parsed = new Map<string, unknown>();
const PARSED_MAX = 4096;

/** `JSON.parse`, of a value shared with other readers (frozen: never to be changed). */
export function parseShared(json: string): unknown {
  let v = parsed.get(json);
  if (v === undefined) {
    v = deepFreeze(JSON.parse(json));
    if (parsed.size >= PARSED_MAX) parsed.clear();
    parsed.set(json, v);
  }
  return v;
}

function deepFreeze(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  for (const x of Object.values(v)) deepFreeze(x);
  return Object.freeze(v);
}

/** Meta records live in two fixed slots written alternately, so a torn overwrite leaves the other. */
export const META_SLOT_BYTES = 512;

export function encodeMetaSlot(payload: { readonly seq: number }): Uint8Array {
  const { bytes } = encodeRecord(payload, 0);
  if (bytes.length > META_SLOT_BYTES) throw new Error('meta record larger than its slot');
  return bytes;
}

/** The valid meta record with the highest `seq`, or undefined when neither slot is valid. */
export function decodeMeta<T extends { readonly seq: number }>(
  bytes: Uint8Array,
  parse: (json: string) => unknown = JSON.parse,
): T | undefined {
  let best: T | undefined;
  for (let slot = 0; slot < 2; slot++) {
    const part = bytes.subarray(slot * META_SLOT_BYTES, (slot + 1) * META_SLOT_BYTES);
    const r = decodeRecords<T>(part, 0, parse).records[0];
    if (r !== undefined && (best === undefined || r.seq > best.seq)) best = r;
  }
  return best;
}
