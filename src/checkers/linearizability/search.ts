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
 * whole set; the state contributes its model key.
 *
 * Beyond Porcupine: an operation whose outcome is unknown has its return at +Infinity and never
 * forces backtracking, and the search reports the longest linearizable prefix it found, which
 * the evidence builder turns into a window a person can read.
 */
import type { LinBudget, LinOp, LinVerdict, Model } from './types.js';

interface Entry {
  /** Operation index in the partition. */
  readonly op: number;
  readonly isCall: boolean;
  /** For a call: its return entry. */
  match: Entry | undefined;
  prev: Entry | undefined;
  next: Entry | undefined;
}

export interface SearchResult {
  readonly verdict: LinVerdict;
  readonly states: number;
  /** Operation indices (into the partition's list) of the longest linearization found, in order. */
  readonly longest: readonly number[];
}

/** Builds the call/return list in time order; returns its sentinel head. */
function buildList(ops: readonly LinOp[]): Entry {
  const events: { time: number; isCall: boolean; op: number }[] = [];
  ops.forEach((o, i) => {
    events.push({ time: o.call, isCall: true, op: i });
    events.push({ time: o.unknown ? Infinity : o.ret, isCall: false, op: i });
  });
  // Calls before returns at the same time; ties otherwise by operation order (stable).
  events.sort((a, b) => a.time - b.time || (a.isCall === b.isCall ? a.op - b.op : a.isCall ? -1 : 1));
  const head: Entry = { op: -1, isCall: false, match: undefined, prev: undefined, next: undefined };
  const calls = new Array<Entry>(ops.length);
  let last = head;
  for (const ev of events) {
    const e: Entry = { op: ev.op, isCall: ev.isCall, match: undefined, prev: last, next: undefined };
    last.next = e;
    last = e;
    if (ev.isCall) calls[ev.op] = e;
    else (calls[ev.op] as Entry).match = e;
  }
  return head;
}

function lift(call: Entry): void {
  call.prev!.next = call.next;
  if (call.next) call.next.prev = call.prev;
  const ret = call.match!;
  ret.prev!.next = ret.next;
  if (ret.next) ret.next.prev = ret.prev;
}

function unlift(call: Entry): void {
  const ret = call.match!;
  ret.prev!.next = ret;
  if (ret.next) ret.next.prev = ret;
  call.prev!.next = call;
  if (call.next) call.next.prev = call;
}

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

interface CacheEntry {
  readonly bits: Uint32Array;
  readonly key: number;
}

export type SliceOutcome = 'ok' | 'violation' | 'paused';

/**
 * One partition's search, resumable: `run(n)` explores at most n more configurations and
 * returns `paused` if it has not decided yet. The checker interleaves the partitions' searches
 * in growing slices, so a violation in a cheap partition is found before an expensive partition
 * is finished (Porcupine gets the same effect by searching partitions in parallel).
 */
export class LinearizationSearch<S, I, O> {
  private readonly head: Entry;
  private readonly words: number;
  private readonly bits: Uint32Array;
  private readonly z: Int32Array;
  private setHash = 0;
  private readonly cache = new Map<number, CacheEntry[]>();
  /** Model state keys interned to small integers: V8 hashes a string once, we compare numbers. */
  private readonly keyIds = new Map<string | number, number>();
  private state: S;
  private readonly stackCall: Entry[] = [];
  private readonly stackState: S[] = [];
  private entry: Entry | undefined;
  private done: 'ok' | 'violation' | undefined;
  states = 0;
  longest: number[] = [];

  constructor(
    private readonly ops: readonly LinOp<I, O>[],
    private readonly model: Model<S, I, O>,
  ) {
    this.head = buildList(ops);
    this.words = (ops.length + 31) >>> 5;
    this.bits = new Uint32Array(this.words);
    this.z = zobrist(ops.length);
    this.state = model.init();
    this.entry = this.head.next;
    if (ops.length === 0) this.done = 'ok';
  }

  private keyId(key: string | number): number {
    let id = this.keyIds.get(key);
    if (id === undefined) {
      id = this.keyIds.size;
      this.keyIds.set(key, id);
    }
    return id;
  }

  /** Records (bits, key) as visited; false if it was visited before. */
  private visit(key: number): boolean {
    const { bits, words } = this;
    const h = (this.setHash ^ Math.imul(key + 1, 0x27d4eb2d)) | 0;
    let bucket = this.cache.get(h);
    if (bucket === undefined) {
      bucket = [];
      this.cache.set(h, bucket);
    } else {
      outer: for (const c of bucket) {
        if (c.key !== key) continue;
        for (let w = 0; w < words; w++) if (c.bits[w] !== bits[w]) continue outer;
        return false;
      }
    }
    bucket.push({ bits: bits.slice(), key });
    return true;
  }

  private flip(i: number): void {
    this.bits[i >>> 5]! ^= 1 << (i & 31);
    this.setHash ^= this.z[i] as number;
  }

  /** Explores at most `budget` more configurations. */
  run(budget: number, shouldStop?: () => boolean): SliceOutcome {
    if (this.done !== undefined) return this.done;
    const { ops, model, head, stackCall, stackState } = this;
    const stopAt = this.states + budget;
    let entry = this.entry;
    while (entry !== undefined) {
      if (entry.isCall) {
        const op = ops[entry.op] as LinOp<I, O>;
        const next = model.step(this.state, op.input, op.output, op.unknown);
        if (next !== undefined) {
          const i = entry.op;
          this.flip(i);
          if (this.visit(this.keyId(model.key(next)))) {
            this.states++;
            stackCall.push(entry);
            stackState.push(this.state);
            this.state = next;
            lift(entry);
            if (stackCall.length > this.longest.length) this.longest = stackCall.map((e) => e.op);
            entry = head.next;
            if (this.states >= stopAt || ((this.states & 0x3ff) === 0 && shouldStop?.() === true)) {
              this.entry = entry;
              return 'paused';
            }
            continue;
          }
          this.flip(i);
        }
        entry = entry.next;
      } else {
        // Returns of unknown operations sit at +Infinity, after every other entry: reaching one
        // means every operation still unlinearized is unknown, and each may not have happened.
        if ((ops[entry.op] as LinOp<I, O>).unknown) break;
        // A return before its call was linearized: undo the last choice and try the next one.
        if (stackCall.length === 0) {
          this.done = 'violation';
          return this.done;
        }
        const call = stackCall.pop() as Entry;
        this.state = stackState.pop() as S;
        this.flip(call.op);
        unlift(call);
        entry = call.next;
      }
    }
    this.done = 'ok';
    this.longest = stackCall.map((e) => e.op);
    return this.done;
  }
}

/** One partition searched to the end or to its budget. */
export function searchLinearization<S, I, O>(ops: readonly LinOp<I, O>[], model: Model<S, I, O>, budget: LinBudget = {}): SearchResult {
  const search = new LinearizationSearch(ops, model);
  const outcome = search.run(budget.statesMax ?? Infinity, budget.shouldStop);
  return { verdict: outcome === 'paused' ? 'unknown' : outcome, states: search.states, longest: search.longest };
}
