/**
 * An SSTable (LevelDB's table format, doc/table_format.md, simplified): an immutable file of
 * entries sorted by key, written once by a flush and then only read.
 *
 *   [data block]…  [filter block]  [index block]  [footer]
 *
 * - A data block holds entries `[u32 keyLen][key][u32 seqHigh][u32 seqLow][u8 kind][u32
 *   valueLen][value]` until it passes `blockBytes`; kind 1 is a put, 0 a tombstone.
 * - The filter block is the table's bloom filter (bloom-filter.ts); the index block names each
 *   data block's last key and its handle (offset, length), so a get reads one data block.
 * - Every block ends with a crc32 of its bytes (LevelDB's block trailer), so a flipped bit, a
 *   misdirected write or a torn sector reads as corruption, never as data.
 * - The footer is fixed size: the filter and index handles, the entry count, a magic number and
 *   its own crc.
 *
 * Left out: prefix compression with restart points, block compression, and LevelDB's
 * metaindex (there is only one meta block, the filter).
 */
import { crc32 } from '../../core/crc32.js';
import type { DiskReader } from '../../core/protocol.js';
import { bloomMayContain, buildBloomFilter } from './bloom-filter.js';
import { lowerBound } from '../../core/sorted-strings.js';
import type { Entry } from './memtable.js';

const MAGIC = 0x4c534d31; // "LSM1"
const FOOTER_BYTES = 28;
const TRAILER_BYTES = 4;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A byte range of the file: a block and its crc trailer. */
interface BlockHandle {
  readonly offset: number;
  readonly length: number;
}

/** What the manifest records about a table (LevelDB's FileMetaData). */
export interface TableMeta {
  readonly file: string;
  readonly entries: number;
  readonly bytes: number;
  readonly smallest: string;
  readonly largest: string;
  readonly seqMax: number;
}

/** A read that found bytes it cannot trust: the file and what was wrong. */
export interface Corruption {
  readonly kind: 'corruption';
  readonly file: string;
  readonly reason: string;
}

/** Appends bytes and big-endian u32s to a growing buffer. */
class ByteSink {
  private buf = new Uint8Array(1024);
  private view = new DataView(this.buf.buffer);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  u32(v: number): void {
    this.room(4);
    this.view.setUint32(this.length, v >>> 0);
    this.length += 4;
  }

  u8(v: number): void {
    this.room(1);
    this.buf[this.length++] = v;
  }

  /** Appends the crc of everything since `start`: closes the block begun there. */
  trailer(start: number): BlockHandle {
    this.u32(crc32(this.buf.subarray(start, this.length)));
    return { offset: start, length: this.length - start };
  }

  done(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

function putString(sink: ByteSink, s: string): void {
  const b = encoder.encode(s);
  sink.u32(b.length);
  sink.bytes(b);
}

function putEntry(sink: ByteSink, e: Entry): void {
  putString(sink, e.key);
  sink.u32(Math.floor(e.seq / 0x1_0000_0000));
  sink.u32(e.seq % 0x1_0000_0000);
  sink.u8(e.value === undefined ? 0 : 1);
  putString(sink, e.value ?? '');
}

/**
 * Encodes entries sorted by key, and within a key newest first (a key has several versions only
 * while a snapshot needs the older ones), as a table file; the caller names the file. A key's
 * versions never straddle two data blocks, so a get reads one block.
 */
export function encodeTable(
  file: string,
  entries: readonly Entry[],
  blockBytes: number,
  bloomBitsPerKey: number,
): { readonly data: Uint8Array; readonly meta: TableMeta } {
  const sink = new ByteSink();
  const index: { lastKey: string; handle: BlockHandle }[] = [];
  let start = 0;
  entries.forEach((e, i) => {
    putEntry(sink, e);
    const next = entries[i + 1];
    if (next === undefined || (sink.length - start >= blockBytes && next.key !== e.key)) {
      index.push({ lastKey: e.key, handle: sink.trailer(start) });
      start = sink.length;
    }
  });
  const filterStart = sink.length;
  sink.bytes(
    buildBloomFilter(
      entries.map((e) => e.key),
      bloomBitsPerKey,
    ),
  );
  const filter = sink.trailer(filterStart);
  const indexStart = sink.length;
  sink.u32(index.length);
  for (const { lastKey, handle } of index) {
    putString(sink, lastKey);
    sink.u32(handle.offset);
    sink.u32(handle.length);
  }
  const indexHandle = sink.trailer(indexStart);
  const footerStart = sink.length;
  for (const v of [filter.offset, filter.length, indexHandle.offset, indexHandle.length])
    sink.u32(v);
  sink.u32(entries.length);
  sink.u32(MAGIC);
  sink.trailer(footerStart);
  const data = sink.done();
  let seqMax = 0;
  for (const e of entries) seqMax = Math.max(seqMax, e.seq);
  const meta: TableMeta = {
    file,
    entries: entries.length,
    bytes: data.length,
    smallest: entries[0]?.key ?? '',
    largest: entries[entries.length - 1]?.key ?? '',
    seqMax,
  };
  return { data, meta };
}

/** Reads big-endian fields out of one verified block, failing soft on a short read. */
class BlockCursor {
  private readonly view: DataView;
  at = 0;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get done(): boolean {
    return this.at >= this.bytes.length;
  }

  u32(): number {
    const v = this.view.getUint32(this.at);
    this.at += 4;
    return v;
  }

  u8(): number {
    return this.view.getUint8(this.at++);
  }

  string(): string {
    const n = this.u32();
    if (this.at + n > this.bytes.length) throw new RangeError('string past block end');
    const s = decoder.decode(this.bytes.subarray(this.at, this.at + n));
    this.at += n;
    return s;
  }

  entry(): Entry {
    const key = this.string();
    const seq = this.u32() * 0x1_0000_0000 + this.u32();
    const kind = this.u8();
    const value = this.string();
    return { key, seq, value: kind === 1 ? value : undefined };
  }
}

/**
 * An open table: the footer, index and filter read and verified once (LevelDB's table cache
 * keeps the same), data blocks read through the disk on each get, and verified each time.
 */
export class TableReader {
  private constructor(
    readonly meta: TableMeta,
    private readonly index: readonly { lastKey: string; handle: BlockHandle }[],
    private readonly lastKeys: readonly string[],
    private readonly filter: Uint8Array,
  ) {}

  /** Opens `meta.file`, or says why its footer, index or filter cannot be trusted. */
  static open(meta: TableMeta, disk: DiskReader): TableReader | Corruption {
    const size = disk.size(meta.file);
    if (size === undefined) return corrupt(meta.file, 'table file missing');
    if (size !== meta.bytes) return corrupt(meta.file, `size ${size}, manifest says ${meta.bytes}`);
    const footer = readBlock(meta.file, disk, {
      offset: size - FOOTER_BYTES,
      length: FOOTER_BYTES,
    });
    if ('kind' in footer) return footer;
    const f = new BlockCursor(footer);
    const filterHandle = { offset: f.u32(), length: f.u32() };
    const indexHandle = { offset: f.u32(), length: f.u32() };
    f.u32();
    if (f.u32() !== MAGIC) return corrupt(meta.file, 'bad magic number');
    const filter = readBlock(meta.file, disk, filterHandle);
    if ('kind' in filter) return filter;
    const indexBytes = readBlock(meta.file, disk, indexHandle);
    if ('kind' in indexBytes) return indexBytes;
    const c = new BlockCursor(indexBytes);
    const index: { lastKey: string; handle: BlockHandle }[] = [];
    for (let n = c.u32(); n > 0; n--) {
      index.push({ lastKey: c.string(), handle: { offset: c.u32(), length: c.u32() } });
    }
    return new TableReader(
      meta,
      index,
      index.map((b) => b.lastKey),
      filter,
    );
  }

  /** Opens a table just written from the bytes in hand, without reading the disk back. */
  static fromEncoded(meta: TableMeta, data: Uint8Array): TableReader | Corruption {
    return TableReader.open(meta, oneFileReader(meta.file, data));
  }

  /** Whether the bloom filter rules the key out (no block read needed). */
  mayContain(key: string): boolean {
    return bloomMayContain(this.filter, key);
  }

  /**
   * The key's newest entry here with a sequence number up to `atSeq` (a put or a tombstone),
   * undefined if there is none, or a corruption.
   */
  get(
    key: string,
    disk: DiskReader,
    atSeq = Number.POSITIVE_INFINITY,
  ): Entry | undefined | Corruption {
    const b = lowerBound(this.lastKeys, key);
    const block = this.index[b];
    if (block === undefined) return undefined;
    const bytes = readBlock(this.meta.file, disk, block.handle);
    if ('kind' in bytes) return bytes;
    const c = new BlockCursor(bytes);
    while (!c.done) {
      const e = c.entry();
      if (e.key === key && e.seq <= atSeq) return e;
      if (e.key > key) return undefined;
    }
    return undefined;
  }

  get blockCount(): number {
    return this.index.length;
  }

  /** The first data block that may hold `key` or a larger one (blockCount when none can). */
  blockFor(key: string): number {
    return lowerBound(this.lastKeys, key);
  }

  /** One data block's entries, read and verified, or a corruption. */
  block(n: number, disk: DiskReader): Entry[] | Corruption {
    const block = this.index[n];
    if (block === undefined) return [];
    const bytes = readBlock(this.meta.file, disk, block.handle);
    if ('kind' in bytes) return bytes;
    const out: Entry[] = [];
    const c = new BlockCursor(bytes);
    while (!c.done) out.push(c.entry());
    return out;
  }

  /** Every entry in key order, or the first corruption met. */
  entries(disk: DiskReader): Entry[] | Corruption {
    const out: Entry[] = [];
    for (const { handle } of this.index) {
      const bytes = readBlock(this.meta.file, disk, handle);
      if ('kind' in bytes) return bytes;
      const c = new BlockCursor(bytes);
      while (!c.done) out.push(c.entry());
    }
    return out;
  }
}

const corrupt = (file: string, reason: string): Corruption => ({
  kind: 'corruption',
  file,
  reason,
});

/** A block's bytes without its trailer, once its crc matches; otherwise a corruption. */
function readBlock(file: string, disk: DiskReader, h: BlockHandle): Uint8Array | Corruption {
  const size = disk.size(file) ?? 0;
  if (h.length < TRAILER_BYTES || h.offset + h.length > size) {
    return corrupt(file, `block handle ${h.offset}+${h.length} outside the file`);
  }
  const r = disk.read(file, h.offset, h.length);
  if (!r.ok) return corrupt(file, `read at ${h.offset}: ${r.error}`);
  if (r.data.length !== h.length) return corrupt(file, `short read at ${h.offset}`);
  const body = r.data.subarray(0, h.length - TRAILER_BYTES);
  const stored = new DataView(r.data.buffer, r.data.byteOffset).getUint32(h.length - TRAILER_BYTES);
  if (crc32(body) !== stored) return corrupt(file, `checksum mismatch in block at ${h.offset}`);
  return body;
}

/** A disk reader over one file's bytes in memory. */
function oneFileReader(file: string, data: Uint8Array): DiskReader {
  return {
    list: () => [file],
    size: (f) => (f === file ? data.length : undefined),
    read: (f, offset = 0, length = data.length) =>
      f === file
        ? { ok: true, data: data.slice(offset, offset + length) }
        : { ok: false, error: 'ENOENT' },
  };
}
