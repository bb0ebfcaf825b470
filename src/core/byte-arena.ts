/**
 * Fresh zero-filled byte arrays for the simulator's small, short-lived buffers (a WAL record run,
 * the disk's private copy of a write), carved as views out of shared 64 KiB chunks. Allocating a
 * typed array of its own costs a backing store, zero fill and external-memory accounting each
 * time (over a microsecond for 150 bytes, more than encoding the record); a view costs an object.
 *
 * A region is handed out once and never reused, so a view is as private as an array of its own;
 * a chunk is freed when no view of it is left. Large requests get their own array. What is left
 * out: returning memory early (a long-lived view keeps its whole chunk).
 */

const CHUNK_BYTES = 64 * 1024;
/** Requests above this get an array of their own, so a chunk is not mostly wasted. */
const SHARED_BYTES_MAX = 4 * 1024;

let chunk = new ArrayBuffer(CHUNK_BYTES);
let used = 0;

/** A zero-filled array of `length` bytes that nothing else refers to. */
export function freshBytes(length: number): Uint8Array {
  if (length > SHARED_BYTES_MAX) return new Uint8Array(length);
  if (used + length > CHUNK_BYTES) {
    chunk = new ArrayBuffer(CHUNK_BYTES);
    used = 0;
  }
  const bytes = new Uint8Array(chunk, used, length);
  used += length;
  return bytes;
}

/** A private copy of `data`. */
export function copyBytes(data: Uint8Array): Uint8Array {
  const copy = freshBytes(data.length);
  copy.set(data);
  return copy;
}
