/**
 * The search: Wing & Gong's algorithm with Lowe's memoization, the form Porcupine uses.
 *
 * Calls and returns sit in one doubly linked list in time order (a call before a return at the
 * same instant, so touching intervals count as concurrent). The search walks the list trying to
 * linearize a call whose operation is legal in the current model state; linearizing lifts the
 * call and its return out of the list. Reaching a return means its operation was never
 * linearized in time: backtrack. A configuration (set of linearized operations, model state)
 * seen before is never explored again. The set is a bitset with a Zobrist hash kept
 * incrementally (one XOR per step), so the cache costs O(1) to probe instead of hashing the
 * whole set; the state contributes its interned model key.
 *
 * Beyond Porcupine:
 * - Read-only operations go first. An operation that leaves every state as it was wherever it
 *   is legal (a read, a failed cas; `Model.readOnly`) and is legal now is linearized at once,
 *   and the alternatives at that point are never tried: it is a candidate, so every operation
 *   still pending returns after it was called, and moving it to the front of any linearization
 *   that exists keeps that linearization legal and in real-time order. If nothing follows from
 *   it, nothing follows from the configuration it was linearized in either.
 * - A pending read that can never be satisfied ends a configuration at once. While every
 *   operation left is monotone (appends, adds of non-negative numbers: `Model.monotone`), a read
 *   illegal now that no such sequence can make legal (`Model.mayHoldLater`: the string read does
 *   not extend the current one) dooms every order of the writes in flight with it, which the
 *   plain search would try one by one until it reached the read's return.
 * - An operation whose outcome is unknown has its return at +Infinity and never forces
 *   backtracking, and the search reports the longest linearizable prefix it found, which the
 *   evidence builder turns into a window a person can read.
 *
 * Everything the loop touches per configuration lives in typed arrays (the list as prev/next
 * indices, the stack, the cache as an open-addressing table over one arena of bitsets), so a
 * configuration costs no allocation and the garbage collector stays out of the loop (DESIGN §1).
 */
import type { LinBudget, LinOp, LinVerdict, Model } from './types.js';

export interface SearchResult {
  readonly verdict: LinVerdict;
  readonly states: number;
  /** Operation indices (into the partition's list) of the longest linearization found, in order. */
  readonly longest: readonly number[];
}

/** End of the list. List entries: the call of operation i is 2i, its return 2i + 1. */
const END = -1;
/** A scan position meaning "a new configuration: look for a read-only operation first". */
const FRESH = -2;
/** What backtracking returns when the stack is empty: nothing is left to try. */
const EXHAUSTED = -3;

/** A deterministic 32-bit generator for the Zobrist table (splitmix-style). */
function zobrist(n: number): Int32Array {
  const z = new Int32Array(n);
  let x = 0x2545f491;
  for (let i = 0; i < n; i++) {
    x = (x + 0x9e3779b9) | 0;
    let t = x;
    t = Math.imul(t ^ (t >>> 16), 0x85ebca6b);
    t = Math.imul(t ^ (t >>> 13), 0xc2b2ae35);
    z[i] = t ^ (t >>> 16);
  }
  return z;
}

/**
 * The configurations visited: (bitset, state key id) pairs. Each lives in one slot of parallel
 * typed arrays (its hash, its key id, its bitset in `arena` at slot × words); `table` is an
 * open-addressing index of slot + 1 (0: empty) with linear probing, kept at most half full.
 */
class VisitedSet {
  private hashes: Int32Array;
  private keys: Int32Array;
  private arena: Uint32Array;
  private table: Int32Array;
  private mask: number;
  private count = 0;

  constructor(private readonly words: number) {
    const slots = 64;
    this.hashes = new Int32Array(slots);
    this.keys = new Int32Array(slots);
    this.arena = new Uint32Array(slots * words);
    this.table = new Int32Array(slots * 2);
    this.mask = slots * 2 - 1;
  }

  /** Records (bits, key); false if it was recorded before. `hash` must depend only on both. */
  add(bits: Uint32Array, hash: number, key: number): boolean {
    if (this.count === this.hashes.length) this.grow();
    const { words, table, hashes, keys, arena, mask } = this;
    let i = hash;
    for (;;) {
      i &= mask;
      const slot = (table[i] as number) - 1;
      if (slot < 0) break;
      if (hashes[slot] === hash && keys[slot] === key) {
        let w = 0;
        const base = slot * words;
        while (w < words && arena[base + w] === bits[w]) w++;
        if (w === words) return false;
      }
      i++;
    }
    const slot = this.count++;
    table[i] = slot + 1;
    hashes[slot] = hash;
    keys[slot] = key;
    const base = slot * words;
    for (let w = 0; w < words; w++) arena[base + w] = bits[w] as number;
    return true;
  }

  private grow(): void {
    const slots = this.hashes.length * 2;
    const hashes = new Int32Array(slots);
    hashes.set(this.hashes);
    const keys = new Int32Array(slots);
    keys.set(this.keys);
    const arena = new Uint32Array(slots * this.words);
    arena.set(this.arena);
    const table = new Int32Array(slots * 2);
    const mask = slots * 2 - 1;
    for (let s = 0; s < this.count; s++) {
      let i = hashes[s] as number;
      for (;;) {
        i &= mask;
        if (table[i] === 0) break;
        i++;
      }
      table[i] = s + 1;
    }
    this.hashes = hashes;
    this.keys = keys;
    this.arena = arena;
    this.table = table;
    this.mask = mask;
  }
}

export type SliceOutcome = 'ok' | 'violation' | 'paused';

/**
 * One partition's search, resumable: `run(n)` explores at most n more configurations and
 * returns `paused` if it has not decided yet. The checker interleaves the partitions' searches
 * in growing slices, so a violation in a cheap partition is found before an expensive partition
 * is finished (Porcupine gets the same effect by searching partitions in parallel).
 */
export class LinearizationSearch<S, I, O> {
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  /** The list's sentinel head: entry 2n. */
  private readonly head: number;
  /** Per operation: 1 if `Model.readOnly` says so. */
  private readonly readOnly: Uint8Array;
  private readonly unknown: Uint8Array;
  /** Per operation: 1 unless `Model.monotone` says it is. */
  private readonly nonMonotone: Uint8Array;
  /** Operations not linearized yet that are not monotone; while 0, `Model.mayHoldLater` applies. */
  private nonMonotoneLeft = 0;
  private readonly canPrune: boolean;
  /** Known read-only operations by call time, and the index of the first not linearized yet. */
  private readonly reads: Int32Array;
  private firstRead = 0;
  private readonly stackFirstRead: Int32Array;
  private readonly bits: Uint32Array;
  private readonly z: Int32Array;
  private setHash = 0;
  private readonly visited: VisitedSet;
  /** Model state keys interned to small integers: V8 hashes a string once, we compare numbers. */
  private readonly keyIds = new Map<string | number, number>();
  private state: S;
  private stateKey: number;
  /** The stack of linearized calls, the state and key id before each, and whether it was forced. */
  private readonly stackCall: Int32Array;
  private readonly stackKey: Int32Array;
  private readonly stackForced: Uint8Array;
  private readonly stackState: S[] = [];
  private depth = 0;
  private entry = FRESH;
  private done: 'ok' | 'violation' | undefined;
  states = 0;
  /** The deepest stack seen so far, copied out only when it is about to shrink (see `keepLongest`). */
  private best: number[] = [];

  constructor(
    private readonly ops: readonly LinOp<I, O>[],
    private readonly model: Model<S, I, O>,
  ) {
    const n = ops.length;
    this.head = 2 * n;
    this.next = new Int32Array(2 * n + 1);
    this.prev = new Int32Array(2 * n + 1);
    this.readOnly = new Uint8Array(n);
    this.unknown = new Uint8Array(n);
    this.nonMonotone = new Uint8Array(n);
    const ro = model.readOnly;
    const mono = model.monotone;
    this.canPrune = mono !== undefined && model.mayHoldLater !== undefined;
    for (let i = 0; i < n; i++) {
      const o = ops[i] as LinOp<I, O>;
      this.unknown[i] = o.unknown ? 1 : 0;
      this.readOnly[i] = ro?.call(model, o.input, o.output, o.unknown) ? 1 : 0;
      // Read-only operations leave the state as it is: monotone whatever the model says.
      this.nonMonotone[i] = this.readOnly[i] === 1 || mono?.call(model, o.input) ? 0 : 1;
      this.nonMonotoneLeft += this.nonMonotone[i] as number;
    }
    this.buildList();
    const reads: number[] = [];
    for (let i = 0; i < n; i++) if (this.readOnly[i] === 1 && this.unknown[i] === 0) reads.push(i);
    reads.sort((a, b) => (ops[a] as LinOp<I, O>).call - (ops[b] as LinOp<I, O>).call || a - b);
    this.reads = Int32Array.from(reads);
    this.stackFirstRead = new Int32Array(n);
    const words = (n + 31) >>> 5;
    this.bits = new Uint32Array(words);
    this.visited = new VisitedSet(words);
    this.z = zobrist(n);
    this.stackCall = new Int32Array(n);
    this.stackKey = new Int32Array(n);
    this.stackForced = new Uint8Array(n);
    this.state = model.init();
    this.stateKey = this.keyId(model.key(this.state));
    if (n === 0) this.done = 'ok';
  }

  /** Links calls and returns in time order: calls before returns at the same time, known returns before unknown ones. */
  private buildList(): void {
    const { ops, next, prev, head } = this;
    const n = ops.length;
    const time = new Float64Array(2 * n);
    const order: number[] = new Array<number>(2 * n);
    for (let i = 0; i < n; i++) {
      const o = ops[i] as LinOp<I, O>;
      time[2 * i] = o.call;
      time[2 * i + 1] = o.unknown ? Infinity : o.ret;
      order[2 * i] = 2 * i;
      order[2 * i + 1] = 2 * i + 1;
    }
    const unknown = this.unknown;
    order.sort((a, b) => {
      const d = (time[a] as number) - (time[b] as number);
      if (d < 0) return -1;
      if (d > 0) return 1;
      const ra = a & 1;
      const rb = b & 1;
      if (ra !== rb) return ra - rb;
      if (ra === 1 && unknown[a >> 1] !== unknown[b >> 1])
        return (unknown[a >> 1] as number) - (unknown[b >> 1] as number);
      return a - b;
    });
    let last = head;
    prev[head] = END;
    for (const e of order) {
      next[last] = e;
      prev[e] = last;
      last = e;
    }
    next[last] = END;
  }

  private keyId(key: string | number): number {
    let id = this.keyIds.get(key);
    if (id === undefined) {
      id = this.keyIds.size;
      this.keyIds.set(key, id);
    }
    return id;
  }

  private flip(i: number): void {
    this.bits[i >>> 5]! ^= 1 << (i & 31);
    this.setHash ^= this.z[i] as number;
  }

  /** Records the current configuration as visited with state key `key`; false if it was before. */
  private visit(key: number): boolean {
    return this.visited.add(this.bits, (this.setHash ^ Math.imul(key + 1, 0x27d4eb2d)) | 0, key);
  }

  private lift(call: number): void {
    const { next, prev } = this;
    let p = prev[call] as number;
    let q = next[call] as number;
    next[p] = q;
    if (q !== END) prev[q] = p;
    const ret = call + 1;
    p = prev[ret] as number;
    q = next[ret] as number;
    next[p] = q;
    if (q !== END) prev[q] = p;
  }

  private unlift(call: number): void {
    const { next, prev } = this;
    const ret = call + 1;
    let p = prev[ret] as number;
    let q = next[ret] as number;
    next[p] = ret;
    if (q !== END) prev[q] = ret;
    p = prev[call] as number;
    q = next[call] as number;
    next[p] = call;
    if (q !== END) prev[q] = call;
  }

  /** Linearizes `call` (its configuration already recorded), moving to state `next` with key id `key`. */
  private push(call: number, next: S, key: number, forced: boolean): void {
    const d = this.depth++;
    this.stackCall[d] = call;
    this.stackKey[d] = this.stateKey;
    this.stackForced[d] = forced ? 1 : 0;
    this.stackState[d] = this.state;
    this.state = next;
    this.stateKey = key;
    this.lift(call);
    this.nonMonotoneLeft -= this.nonMonotone[call >> 1] as number;
    this.stackFirstRead[d] = this.firstRead;
    const { reads, bits } = this;
    let r = this.firstRead;
    while (
      r < reads.length &&
      ((bits[(reads[r] as number) >>> 5] as number) & (1 << ((reads[r] as number) & 31))) !== 0
    )
      r++;
    this.firstRead = r;
    this.states++;
  }

  /**
   * Copies the stack out if it is the deepest yet. Only a backtrack shrinks the stack, so calling
   * this before each one (and before reading `longest`) records the same stack that copying on
   * every deeper push did, without copying the whole stack per push (quadratic in its depth).
   */
  private keepLongest(): void {
    if (this.depth > this.best.length)
      this.best = Array.from(this.stackCall.subarray(0, this.depth), (c) => c >> 1);
  }

  /** Operation indices of the longest linearization found so far, in order. */
  get longest(): number[] {
    this.keepLongest();
    return this.best;
  }

  /**
   * Undoes linearizations until one that was a free choice, and returns where its configuration's
   * scan goes on, or EXHAUSTED.
   */
  private backtrack(): number {
    this.keepLongest();
    for (;;) {
      if (this.depth === 0) return EXHAUSTED;
      const d = --this.depth;
      const call = this.stackCall[d] as number;
      this.state = this.stackState[d] as S;
      this.stackState[d] = undefined as S;
      this.stateKey = this.stackKey[d] as number;
      this.flip(call >> 1);
      this.unlift(call);
      this.nonMonotoneLeft += this.nonMonotone[call >> 1] as number;
      this.firstRead = this.stackFirstRead[d] as number;
      if (this.stackForced[d] === 0) return this.next[call] as number;
    }
  }

  /** Whether the known read-only operation i is illegal now and no monotone operations can make it legal. */
  private cannotHold(i: number): boolean {
    const op = this.ops[i] as LinOp<I, O>;
    return (
      this.model.step(this.state, op.input, op.output, false) === undefined &&
      !this.model.mayHoldLater!(this.state, op.input, op.output)
    );
  }

  /** Explores at most `budget` more configurations. */
  run(budget: number, shouldStop?: () => boolean): SliceOutcome {
    if (this.done !== undefined) return this.done;
    const { ops, model, next, head, readOnly, unknown } = this;
    const stopAt = this.states + budget;
    let entry = this.entry;
    for (;;) {
      if (entry === FRESH) {
        // A new configuration: a legal read-only candidate goes first, with no alternatives.
        entry = next[head] as number;
        let forcedAt = END;
        const prune = this.canPrune && this.nonMonotoneLeft === 0;
        // The earliest read still to come must be satisfiable from here (it may not be in flight yet).
        let dead =
          prune &&
          this.firstRead < this.reads.length &&
          this.cannotHold(this.reads[this.firstRead] as number);
        for (let e = entry; !dead && e !== END && (e & 1) === 0; e = next[e] as number) {
          const i = e >> 1;
          if (readOnly[i] === 1) {
            const op = ops[i] as LinOp<I, O>;
            if (model.step(this.state, op.input, op.output, op.unknown) !== undefined) {
              forcedAt = e;
              break;
            }
            // Illegal now, and only monotone operations are left: if none can make it legal,
            // this configuration is a dead end however the rest is ordered.
            if (
              prune &&
              unknown[i] === 0 &&
              !model.mayHoldLater!(this.state, op.input, op.output)
            ) {
              dead = true;
              break;
            }
          }
        }
        if (dead) {
          entry = this.backtrack();
          if (entry === EXHAUSTED) return this.finish('violation');
          continue;
        }
        if (forcedAt !== END) {
          const i = forcedAt >> 1;
          this.flip(i);
          if (this.visit(this.stateKey)) {
            this.push(forcedAt, this.state, this.stateKey, true);
            entry = FRESH;
            if (this.states >= stopAt || ((this.states & 0x3ff) === 0 && shouldStop?.() === true)) {
              this.entry = FRESH;
              return 'paused';
            }
          } else {
            // Seen before and nothing followed: nothing follows from this configuration either.
            this.flip(i);
            entry = this.backtrack();
            if (entry === EXHAUSTED) return this.finish('violation');
          }
          continue;
        }
      }
      if (entry === END) break;
      const i = entry >> 1;
      if ((entry & 1) === 0) {
        // Read-only candidates were all illegal here (else one would have been forced).
        if (readOnly[i] === 0) {
          const op = ops[i] as LinOp<I, O>;
          const after = model.step(this.state, op.input, op.output, op.unknown);
          if (after !== undefined) {
            const key = this.keyId(model.key(after));
            this.flip(i);
            if (this.visit(key)) {
              this.push(entry, after, key, false);
              entry = FRESH;
              if (
                this.states >= stopAt ||
                ((this.states & 0x3ff) === 0 && shouldStop?.() === true)
              ) {
                this.entry = FRESH;
                return 'paused';
              }
              continue;
            }
            this.flip(i);
          }
        }
        entry = next[entry] as number;
      } else {
        // Returns of unknown operations sit at +Infinity, after every other entry: reaching one
        // means every operation still unlinearized is unknown, and each may not have happened.
        if (unknown[i] === 1) break;
        // A return before its call was linearized: undo the last free choice and try the next one.
        entry = this.backtrack();
        if (entry === EXHAUSTED) return this.finish('violation');
      }
    }
    this.done = 'ok';
    this.best = Array.from(this.stackCall.subarray(0, this.depth), (c) => c >> 1);
    return this.done;
  }

  /** Ends the search with a verdict. */
  private finish(verdict: 'violation'): 'violation' {
    this.done = verdict;
    return verdict;
  }
}

/** One partition searched to the end or to its budget. */
export function searchLinearization<S, I, O>(
  ops: readonly LinOp<I, O>[],
  model: Model<S, I, O>,
  budget: LinBudget = {},
): SearchResult {
  const search = new LinearizationSearch(ops, model);
  const outcome = search.run(budget.statesMax ?? Infinity, budget.shouldStop);
  return {
    verdict: outcome === 'paused' ? 'unknown' : outcome,
    states: search.states,
    longest: search.longest,
  };
}
