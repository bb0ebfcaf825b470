/**
 * A byte array that grows by doubling its capacity, so a run of writes and appends costs time in
 * proportion to the bytes written, not to the size of the file. It holds one version of a file's
 * contents (the page cache's or the durable one).
 *
 * Its storage and the copies it hands out come from the byte arena (core/byte-arena.ts): a disk
 * creates two of these per file and most files stay small, and a typed array of its own costs
 * over a microsecond each, more than the write it holds. An empty one shares a single empty
 * array until its first write.
 *
 * It never shrinks in place: a file's contents are only ever cut back by a crash, which replaces
 * the page-cache copy with a clone of the durable one.
 */
import { assert } from '../core/assert.js';
import { freshBytes } from '../core/byte-arena.js';

const CAPACITY_MIN = 64;
/** Never written to: `reserve` replaces it before any byte lands. */
const EMPTY = new Uint8Array(0);

export class GrowableBytes {
  private bytes: Uint8Array;
  private used = 0;

  constructor(capacity = 0) {
    this.bytes = capacity === 0 ? EMPTY : freshBytes(capacity);
  }

  get length(): number {
    return this.used;
  }

  /** Writes `data` at `offset`, zero-filling any gap past the current end. */
  write(offset: number, data: Uint8Array): void {
    assert(Number.isSafeInteger(offset) && offset >= 0, () => `bad offset ${offset}`);
    const end = offset + data.length;
    if (offset > this.used) this.extendTo(offset);
    this.reserve(end);
    this.bytes.set(data, offset);
    if (end > this.used) this.used = end;
  }

  /** Grows the contents to `size` bytes with zeros; does nothing if they are already that long. */
  extendTo(size: number): void {
    if (size <= this.used) return;
    this.reserve(size);
    // Capacity past `used` is zero in a fresh buffer, but be explicit: zero fill is the contract.
    this.bytes.fill(0, this.used, size);
    this.used = size;
  }

  /** A copy of bytes [start, end), clamped to the contents. */
  slice(start: number, end: number): Uint8Array {
    const from = Math.min(start, this.used);
    const copy = freshBytes(Math.max(0, Math.min(end, this.used) - from));
    copy.set(this.bytes.subarray(from, from + copy.length));
    return copy;
  }

  clone(): GrowableBytes {
    const copy = new GrowableBytes(Math.max(this.used, CAPACITY_MIN));
    copy.bytes.set(this.bytes.subarray(0, this.used));
    copy.used = this.used;
    return copy;
  }

  private reserve(size: number): void {
    if (size <= this.bytes.length) return;
    let capacity = Math.max(this.bytes.length * 2, CAPACITY_MIN);
    while (capacity < size) capacity *= 2;
    const next = freshBytes(capacity);
    next.set(this.bytes.subarray(0, this.used));
    this.bytes = next;
  }
}
