/**
 * Reading a WAL segment back at recovery: the valid prefix of records (record-log.ts stops at
 * the first record that is short, zero or fails its chained crc), and a verdict on what follows.
 *
 * A crash may leave a torn or missing tail: records written after the last fsync. Those were
 * never acknowledged as durable, and dropping them is right. A bad record inside synced data is
 * different: dropping it and everything after it would silently lose acknowledged writes (the
 * named bug "replay stops at the first bad checksum"; research notes A.8, A.9). To tell them
 * apart, every record carries `d`, the segment's durable byte count when it was written. After
 * a break at offset `pos`, we look for a record further on that still chains from the broken
 * one (its crc as stored, or as recomputed from its body); if any such later record was written
 * when `d > pos`, the broken record had been fsynced, so this is corruption, reported as such.
 *
 * A read fault (a bit flipped in the copy read, never on the platter) looks like a bad record
 * too, and it does not repeat: so before judging a break, the segment is read again, up to
 * `READS_MAX` times in all, and the read with the longest valid prefix is judged (a flip never
 * makes a bad record valid: every record has a crc). The named bug `replay-stops-at-bad-checksum`
 * skips all of this and takes the first bad record for the end of the log, as LevelDB's
 * `kSkipAnyCorruptedRecords`-style readers and many hand-rolled WALs do.
 *
 * Limit, stated: corruption inside the last synced group, with nothing written after it, looks
 * exactly like a torn tail from the bytes alone and is dropped as one. The search is quadratic in
 * the bytes after the break, which stay small (one group commit's worth) unless data was damaged.
 */
import { crc32, crc32U32 } from '../../core/crc32.js';
import { decodeRecords } from '../../protocols/shared/record-log.js';
import type { WalRecord } from './write-ahead-log.js';

const HEADER = 8;

export type SegmentReplay =
  | { readonly kind: 'ok'; readonly records: WalRecord[]; readonly tornBytes: number }
  | { readonly kind: 'corruption'; readonly offset: number; readonly reason: string };

/** How a segment is read back: again after a break, and whether the named bug is on. */
export interface ReplayOptions {
  /** Reads the segment again (undefined when the read fails). */
  readonly reread?: () => Uint8Array | undefined;
  /** The named bug: the first bad record ends the log, synced or not. */
  readonly stopAtBadRecord?: boolean;
}

/** Reads of a segment with a break in it, the first included, before the break is judged. */
const READS_MAX = 10;

export function replaySegment(first: Uint8Array, options: ReplayOptions = {}): SegmentReplay {
  let bytes = first;
  let log = decodeRecords<WalRecord>(bytes);
  if (!log.tornTail) return { kind: 'ok', records: log.records, tornBytes: 0 };
  if (options.stopAtBadRecord === true) {
    return { kind: 'ok', records: log.records, tornBytes: bytes.length - log.validBytes };
  }
  for (let i = 1; i < READS_MAX && log.tornTail && options.reread !== undefined; i++) {
    const again = options.reread();
    if (again === undefined) continue;
    const next = decodeRecords<WalRecord>(again);
    if (next.validBytes > log.validBytes || !next.tornTail) [bytes, log] = [again, next];
  }
  const pos = log.validBytes;
  if (!log.tornTail) return { kind: 'ok', records: log.records, tornBytes: 0 };
  const later = recordsAfterBreak(bytes, pos, log.lastCrc);
  if (later.some((r) => (r.d ?? 0) > pos)) {
    return {
      kind: 'corruption',
      offset: pos,
      reason:
        `bad record at byte ${pos} of synced WAL data ` +
        `(a later record says ${maxD(later)} bytes were durable)`,
    };
  }
  return { kind: 'ok', records: log.records, tornBytes: bytes.length - pos };
}

const maxD = (rs: readonly WalRecord[]): number => Math.max(...rs.map((r) => r.d ?? 0));

const u32 = (b: Uint8Array, at: number): number =>
  new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(at);

/** Records that chain from the broken record at `pos`, found by scanning past it. */
function recordsAfterBreak(bytes: Uint8Array, pos: number, prevCrc: number): WalRecord[] {
  if (pos + HEADER > bytes.length) return [];
  const candidates = [u32(bytes, pos + 4)];
  const len = u32(bytes, pos);
  if (len > 0 && pos + HEADER + len <= bytes.length) {
    candidates.push(crc32(bytes.subarray(pos + HEADER, pos + HEADER + len), crc32U32(prevCrc)));
  }
  for (let p = pos + HEADER; p + HEADER <= bytes.length; p++) {
    const n = u32(bytes, p);
    if (n === 0 || p + HEADER + n > bytes.length) continue;
    const body = bytes.subarray(p + HEADER, p + HEADER + n);
    for (const c of candidates) {
      if (crc32(body, crc32U32(c)) !== u32(bytes, p + 4)) continue;
      const rest = decodeRecords<WalRecord>(bytes.subarray(p), c);
      if (rest.records.length > 0) return rest.records;
    }
  }
  return [];
}
