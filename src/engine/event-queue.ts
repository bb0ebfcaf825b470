/**
 * The simulator's hot loop: a priority queue of events ordered by (time, sequence number).
 *
 * Events live in pooled slots held in typed arrays, and the binary heap orders slot indices, so
 * running an event allocates nothing and the garbage collector stays out of the loop (DESIGN §1:
 * a heap of event objects delivers under 1 M events/s here, typed arrays about 2.4 M/s). The
 * sequence number breaks ties between events at the same instant in the order they were
 * scheduled, which is what makes a run deterministic: every (time, seq) key is distinct, so the
 * order events leave the queue does not depend on how the heap arranges them.
 *
 * The heap keeps each entry's key (time and seq) beside its slot index, so a comparison reads
 * the heap's own arrays rather than jumping to the slot's; and `pop` moves the hole left by the
 * earliest event down to a leaf by the smaller child (one comparison a level) before sifting the
 * last entry up from there (Floyd's bottom-up deletion), since the last entry, scheduled late,
 * usually belongs near the bottom.
 *
 * An event is: time, kind (small integer chosen by the world), target (node index), incarnation
 * of the target when scheduled, one integer argument and one payload reference.
 */
import { assert } from '../core/assert.js';
import type { Micros } from '../core/time.js';

export class EventQueue {
  private capacity: number;
  private times: Float64Array;
  private seqs: Float64Array;
  private kinds: Uint8Array;
  private targets: Int32Array;
  private incarnations: Int32Array;
  private args: Float64Array;
  private payloads: unknown[];
  /** The heap, by position: each entry's slot and its key. */
  private heap: Int32Array;
  private heapTimes: Float64Array;
  private heapSeqs: Float64Array;
  private free: Int32Array;
  private freeCount: number;
  private heapSize = 0;
  private nextSeq = 0;

  constructor(initialCapacity = 1024) {
    this.capacity = initialCapacity;
    this.times = new Float64Array(initialCapacity);
    this.seqs = new Float64Array(initialCapacity);
    this.kinds = new Uint8Array(initialCapacity);
    this.targets = new Int32Array(initialCapacity);
    this.incarnations = new Int32Array(initialCapacity);
    this.args = new Float64Array(initialCapacity);
    this.payloads = new Array<unknown>(initialCapacity).fill(undefined);
    this.heap = new Int32Array(initialCapacity);
    this.heapTimes = new Float64Array(initialCapacity);
    this.heapSeqs = new Float64Array(initialCapacity);
    this.free = new Int32Array(initialCapacity);
    for (let i = 0; i < initialCapacity; i++) this.free[i] = initialCapacity - 1 - i;
    this.freeCount = initialCapacity;
  }

  get size(): number {
    return this.heapSize;
  }

  /** Schedules an event; returns its sequence number. */
  push(
    time: Micros,
    kind: number,
    target: number,
    incarnation: number,
    arg: number,
    payload: unknown,
  ): number {
    if (this.freeCount === 0) this.grow();
    const slot = this.free[--this.freeCount] as number;
    const seq = this.nextSeq++;
    this.times[slot] = time;
    this.seqs[slot] = seq;
    this.kinds[slot] = kind;
    this.targets[slot] = target;
    this.incarnations[slot] = incarnation;
    this.args[slot] = arg;
    this.payloads[slot] = payload;
    this.siftUp(this.heapSize++, slot, time, seq);
    return seq;
  }

  /** Time of the earliest event; Infinity when empty. */
  peekTime(): Micros {
    return this.heapSize === 0 ? Infinity : (this.heapTimes[0] as number);
  }

  /**
   * Removes the earliest event and returns its slot. Read it with the accessors, then `release`
   * it before the next `pop` (the run loop does both).
   */
  pop(): number {
    assert(this.heapSize > 0, 'pop from an empty event queue');
    const heap = this.heap;
    const times = this.heapTimes;
    const seqs = this.heapSeqs;
    const top = heap[0] as number;
    const n = --this.heapSize;
    if (n === 0) return top;
    // The hole at the root goes down to a leaf, always by the earlier child.
    let pos = 0;
    let child = 1;
    while (child < n) {
      const right = child + 1;
      if (right < n) {
        const tr = times[right] as number;
        const tc = times[child] as number;
        if (tr < tc || (tr === tc && (seqs[right] as number) < (seqs[child] as number)))
          child = right;
      }
      heap[pos] = heap[child] as number;
      times[pos] = times[child] as number;
      seqs[pos] = seqs[child] as number;
      pos = child;
      child = 2 * pos + 1;
    }
    // The last entry fills it, rising to where it belongs.
    this.siftUp(pos, heap[n] as number, times[n] as number, seqs[n] as number);
    return top;
  }

  release(slot: number): void {
    this.payloads[slot] = undefined;
    this.free[this.freeCount++] = slot;
  }

  time(slot: number): Micros {
    return this.times[slot] as number;
  }
  kind(slot: number): number {
    return this.kinds[slot] as number;
  }
  target(slot: number): number {
    return this.targets[slot] as number;
  }
  incarnation(slot: number): number {
    return this.incarnations[slot] as number;
  }
  arg(slot: number): number {
    return this.args[slot] as number;
  }
  payload(slot: number): unknown {
    return this.payloads[slot];
  }
  seq(slot: number): number {
    return this.seqs[slot] as number;
  }

  /** Places the entry (slot, time, seq) at `pos` or above, moving later parents down. */
  private siftUp(pos: number, slot: number, time: number, seq: number): void {
    const heap = this.heap;
    const times = this.heapTimes;
    const seqs = this.heapSeqs;
    while (pos > 0) {
      const parentPos = (pos - 1) >> 1;
      const tp = times[parentPos] as number;
      if (tp < time || (tp === time && (seqs[parentPos] as number) < seq)) break;
      heap[pos] = heap[parentPos] as number;
      times[pos] = tp;
      seqs[pos] = seqs[parentPos] as number;
      pos = parentPos;
    }
    heap[pos] = slot;
    times[pos] = time;
    seqs[pos] = seq;
  }

  private grow(): void {
    const old = this.capacity;
    const cap = old * 2;
    const f64 = (a: Float64Array) => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    const i32 = (a: Int32Array) => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    this.times = f64(this.times);
    this.seqs = f64(this.seqs);
    this.args = f64(this.args);
    const kinds = new Uint8Array(cap);
    kinds.set(this.kinds);
    this.kinds = kinds;
    this.targets = i32(this.targets);
    this.incarnations = i32(this.incarnations);
    this.heap = i32(this.heap);
    this.heapTimes = f64(this.heapTimes);
    this.heapSeqs = f64(this.heapSeqs);
    this.free = new Int32Array(cap);
    for (let i = 0; i < cap - old; i++) this.free[i] = cap - 1 - i;
    this.freeCount = cap - old;
    for (let i = old; i < cap; i++) this.payloads.push(undefined);
    this.capacity = cap;
  }
}
