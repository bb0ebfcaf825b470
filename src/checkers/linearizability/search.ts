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
 * - Operations left open forever (unknown outcome, e.g. Jepsen `:info`) that change the state
 *   live in a pool, not in the list, and are tried last, once no operation with a return can
 *   go next: they never force backtracking, so they are linearized only where they help (Lowe's
 *   just-in-time linearization, for the operations that need it most). One that would leave the
 *   state as it is, or that the next operation would overwrite (the same state without it), is
 *   never used: not using it is as good. Pool operations with the same input are
 *   interchangeable (the one called first can stand wherever a later one does), so they form a
 *   class used in call order, and only the next member of each class is ever a candidate. A
 *   configuration that used more of the pool than one already seen, with the same operations
 *   with a return linearized and the same state, can do nothing the other could not: it is not
 *   explored (see visited-set.ts).
 * - A read that can never be satisfied ends a configuration at once: it is illegal now, and
 *   neither the current state nor any state a write still able to precede it sets
 *   (`Model.sets`) leads to it by the monotone operations still pending (`Model.mayHoldLater`:
 *   for kv, what the read shows beyond the current value must be made of appends not yet
 *   linearized and called by the time it returned). The reads in flight are checked, and the
 *   next few to come; once a search turns out long, every read against the whole history.
 *
 * The search remembers how far any configuration could get: its first pending return, or for one
 * abandoned for a read that can never hold, that read's return. The operation there is where the
 * evidence starts looking for the culprit.
 *
 * Everything the loop touches per configuration lives in typed arrays (the list as prev/next
 * indices, the stack, the cache as an open-addressing table over one arena of bitsets), so a
 * configuration costs no allocation and the garbage collector stays out of the loop (DESIGN §1).
 */
import { Layout } from './search-layout.js';
import type { SearchMutation } from './search-mutations.js';
import type { LinBudget, LinOp, LinVerdict, Model, PendingOps } from './types.js';
import { VisitedSet, zobrist } from './visited-set.js';

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
/** What examining a new configuration found, besides a forced call entry (≥ 0). */
const DEAD = -1;
const COMPLETE = -2;
const OPEN = -3;
/**
 * How many of the next reads to come each configuration checks for one that can never hold, and
 * at most how many when the operation just linearized could still be seen by more. Measured on
 * the kv conformance and hard histories: 2 and 8 cost half the time of 8 and 64 for the same
 * verdicts (each check is a search of the read's value for pending appends); 1 and 1 let the
 * evidence's trial searches blow up (c50-bad: 20 ms to 400 ms).
 */
const READS_AHEAD = 2;
const READS_AHEAD_MAX = 8;
/** Every read is checked against the whole history once a search has explored this many configurations per operation. */
const ROOT_CHECK_PER_OP = 4;
/** ... or at once, when there are at most this many (read, write) pairs to look at. */
const ROOT_CHECK_PAIRS_AT_ONCE = 256;
/** The clock (`shouldStop`) is asked every this many + 1 configurations, and reads. */
const STOP_EVERY = 0x3f;
/** How each stack entry was linearized. */
const CHOSEN = 0;
const FORCED = 1;
const POOLED = 2;

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
  private readonly readOnly: Uint8Array;
  private readonly unknown: Uint8Array;
  private readonly rank: Int32Array;
  private readonly classOf: Int32Array;
  private readonly classStart: Int32Array;
  private readonly members: Int32Array;
  private readonly classes: number;
  /** Per pool class: how many of its members are linearized (always its first ones). */
  private readonly used: Int32Array;
  private readonly bitOf: Int32Array;
  private readonly canPrune: boolean;
  /** Known read-only operations by call time, and the index of the first not linearized yet. */
  private readonly reads: Int32Array;
  private firstRead = 0;
  /** The reads `readsAhead` looks at: `reads`, unless a mutation adds the unknown ones. */
  private readonly readsToCheck: Int32Array;
  /** Non-monotone operations by call time, and the index of the first not linearized yet. */
  private readonly nonMono: Int32Array;
  private firstNonMono = 0;
  /** Monotone operations that change the state (appends), by call time, likewise. */
  private readonly mono: Int32Array;
  private firstMono = 0;
  /**
   * What `Model.mayHoldLater` is told about the monotone operations: all of them (`mono`'s
   * inputs), and which can still come before the read being asked about: not linearized (unless
   * asked from the start) and called by `pendingBy`.
   */
  private readonly pendingOps: PendingOps<I>;
  private pendingBy = 0;
  private pendingFromStart = false;
  /** Per operation: the state it sets whenever it changes the state (`Model.sets`), if it says. */
  private readonly setsState: (S | undefined)[];
  private readonly bits: Uint32Array;
  /** Per operation: its Zobrist value, 0 for pool operations (the hash covers the exact part). */
  private readonly z: Int32Array;
  private setHash = 0;
  private readonly visited: VisitedSet;
  /** Model state keys interned to small integers: V8 hashes a string once, we compare numbers. */
  private readonly keyIds = new Map<string | number, number>();
  private state: S;
  private stateKey: number;
  /** The stack: operation, how it was linearized, the state and pointers before it. */
  private readonly stackOp: Int32Array;
  private readonly stackHow: Uint8Array;
  private readonly stackKey: Int32Array;
  private readonly stackFirstRead: Int32Array;
  private readonly stackFirstNonMono: Int32Array;
  private readonly stackFirstMono: Int32Array;
  /** For a free choice: its place in the candidate buffer, where the scan goes on. */
  private readonly stackPos: Int32Array;
  /**
   * Candidates of every configuration on the stack, by depth: depth d's are cand[start, end)
   * with end = candEnd[d] and start = candEnd[d - 1] (0 at depth 0), in order of return.
   */
  private cand: Int32Array;
  private readonly candEnd: Int32Array;
  private candPos = 0;
  /** Scratch for building a depth's candidates. */
  private readonly tmpKnown: Int32Array;
  private readonly tmpPool: Int32Array;
  private readonly tmpHelps: Uint8Array;
  private readonly stackState: S[] = [];
  private depth = 0;
  /** After how many configurations every read is checked against the whole history. */
  private readonly checkReadsAt: number;
  private readsChecked = false;
  private entry = FRESH;
  private done: 'ok' | 'violation' | undefined;
  states = 0;
  /**
   * The longest linearization so far: `best[0, bestLength)`. Only the part of the stack that
   * changed since it was last copied (from `lowWater` up) is copied again, so keeping it costs
   * O(1) per configuration, not O(depth).
   */
  private readonly best: Int32Array;
  private bestLength = 0;
  private lowWater = 0;
  /**
   * The furthest return any configuration could get to: its first pending return, or for one
   * abandoned because a read can never hold, that read's return. The operation there is where
   * the evidence starts looking for the culprit.
   */
  frontierOp = -1;
  private frontierRank = -1;

  constructor(
    private readonly ops: readonly LinOp<I, O>[],
    private readonly model: Model<S, I, O>,
    /** A deliberately broken rule, for the tests that must catch it (search-mutations.ts). */
    private readonly mutation?: SearchMutation,
  ) {
    const n = ops.length;
    const layout = new Layout(ops, model as Model<unknown, I, O>, mutation);
    this.readOnly = layout.readOnly;
    this.unknown = layout.unknown;
    this.rank = layout.rank;
    this.classOf = layout.pool.classOf;
    this.classStart = layout.pool.start;
    this.members = layout.pool.members;
    this.classes = this.classStart.length - 1;
    this.used = new Int32Array(this.classes);
    this.bitOf = layout.bitOf;
    this.head = 2 * n;
    this.next = new Int32Array(2 * n + 1);
    this.prev = new Int32Array(2 * n + 1);
    this.link(layout.listed);
    this.canPrune = model.mayHoldLater !== undefined;
    this.reads = this.byCall((i) => this.readOnly[i] === 1 && this.unknown[i] === 0);
    this.readsToCheck =
      mutation === 'reads-ahead.unknown-too'
        ? this.byCall((i) => this.readOnly[i] === 1)
        : this.reads;
    this.nonMono = this.byCall((i) => layout.nonMonotone[i] === 1);
    this.mono = this.byCall((i) => layout.nonMonotone[i] === 0 && this.readOnly[i] === 0);
    const mono = this.mono;
    this.pendingOps = {
      all: Array.from(mono, (x) => (ops[x] as LinOp<I, O>).input),
      has: (k) => {
        const x = mono[k] as number;
        return (
          (ops[x] as LinOp<I, O>).call <= this.pendingBy &&
          (this.pendingFromStart || !this.isSet(x))
        );
      },
    };
    const sets = model.sets;
    this.setsState = ops.map((o) => sets?.call(model, o.input, o.output, o.unknown));
    this.bits = new Uint32Array(layout.words);
    this.visited = new VisitedSet(
      layout.words,
      layout.exactWords,
      mutation === 'pool-dominance.reversed',
    );
    this.z = zobrist(n).map((v, i) => ((this.classOf[i] as number) < 0 ? v : 0));
    this.stackOp = new Int32Array(n);
    this.best = new Int32Array(n);
    this.stackHow = new Uint8Array(n);
    this.stackKey = new Int32Array(n);
    this.stackFirstRead = new Int32Array(n);
    this.stackFirstNonMono = new Int32Array(n);
    this.stackFirstMono = new Int32Array(n);
    this.stackPos = new Int32Array(n);
    this.cand = new Int32Array(64);
    this.candEnd = new Int32Array(n + 1);
    this.tmpKnown = new Int32Array(n);
    this.tmpPool = new Int32Array(this.classes);
    this.tmpHelps = new Uint8Array(n + this.classes);
    this.state = model.init();
    this.stateKey = this.keyId(model.key(this.state));
    if (n === 0) this.done = 'ok';
    // Checking every read costs more than most searches: only once this one turns out long,
    // unless the history is small enough for it to cost next to nothing.
    const pairs = this.reads.length * (this.nonMono.length + this.mono.length);
    this.checkReadsAt = !this.canPrune
      ? Infinity
      : pairs <= ROOT_CHECK_PAIRS_AT_ONCE
        ? 0
        : ROOT_CHECK_PER_OP * n;
  }

  /**
   * A read no operation in the history can explain (a value never written, or written only by
   * operations called after the read returned) decides the verdict before any search.
   */
  private doomFromStart(shouldStop?: () => boolean): boolean {
    const { ops, model } = this;
    const initial = model.init();
    // By return: the first doomed read found is the one the shortest failing prefix ends with.
    const byRet = Array.from(this.reads).sort(
      (a, b) => (ops[a] as LinOp<I, O>).ret - (ops[b] as LinOp<I, O>).ret || a - b,
    );
    for (let n = 0; n < byRet.length; n++) {
      // Cut short by the clock, it is not done: the search goes on and is stopped soon after.
      if ((n & STOP_EVERY) === 0 && shouldStop?.() === true) return false;
      const r = byRet[n] as number;
      const op = ops[r] as LinOp<I, O>;
      const by = this.mutation === 'doom-from-start.by-call' ? op.call : op.ret;
      if (model.step(initial, op.input, op.output, false) !== undefined) continue;
      if (!this.doomed(r, initial, true, by)) continue;
      this.frontierOp = r;
      return true;
    }
    this.readsChecked = true;
    return false;
  }

  /** The operations `keep` selects, by call time. */
  private byCall(keep: (i: number) => boolean): Int32Array {
    const ops = this.ops;
    const out: number[] = [];
    for (let i = 0; i < ops.length; i++) if (keep(i)) out.push(i);
    out.sort((a, b) => (ops[a] as LinOp<I, O>).call - (ops[b] as LinOp<I, O>).call || a - b);
    return Int32Array.from(out);
  }

  private link(entries: readonly number[]): void {
    const { next, prev, head } = this;
    let last = head;
    prev[head] = END;
    for (const e of entries) {
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
    const b = this.bitOf[i] as number;
    this.bits[b >>> 5]! ^= 1 << (b & 31);
    this.setHash ^= this.z[i] as number;
  }

  private isSet(i: number): boolean {
    const b = this.bitOf[i] as number;
    return ((this.bits[b >>> 5] as number) & (1 << (b & 31))) !== 0;
  }

  /** Records the current configuration as visited with state key `key`; false if it (or one that dominates it) was. */
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

  /** Linearizes operation i (its configuration already recorded), moving to state `after`. */
  private push(i: number, how: number, after: S, key: number): void {
    const d = this.depth++;
    this.stackOp[d] = i;
    this.stackHow[d] = how;
    this.stackKey[d] = this.stateKey;
    this.stackState[d] = this.state;
    this.stackFirstRead[d] = this.firstRead;
    this.stackFirstNonMono[d] = this.firstNonMono;
    this.stackFirstMono[d] = this.firstMono;
    this.stackPos[d] = this.candPos;
    this.state = after;
    this.stateKey = key;
    if (how === POOLED) this.used[this.classOf[i] as number]!++;
    else this.lift(2 * i);
    this.firstRead = this.skipLinearized(this.reads, this.firstRead);
    this.firstNonMono = this.skipLinearized(this.nonMono, this.firstNonMono);
    this.firstMono = this.skipLinearized(this.mono, this.firstMono);
    this.states++;
    if (this.depth > this.bestLength) this.keepBest();
  }

  private keepBest(): void {
    this.best.set(this.stackOp.subarray(this.lowWater, this.depth), this.lowWater);
    this.bestLength = this.depth;
    this.lowWater = this.depth;
  }

  /** Operation indices of the longest linearization found, in order (the whole one once ok). */
  get longest(): number[] {
    return Array.from(this.best.subarray(0, this.bestLength));
  }

  private skipLinearized(list: Int32Array, from: number): number {
    let r = from;
    while (r < list.length && this.isSet(list[r] as number)) r++;
    return r;
  }

  /**
   * Undoes linearizations until one that was a free choice, and returns where its configuration's
   * scan goes on, or EXHAUSTED.
   */
  private backtrack(): number {
    for (;;) {
      if (this.depth === 0) return EXHAUSTED;
      const d = --this.depth;
      if (d < this.lowWater) this.lowWater = d;
      const i = this.stackOp[d] as number;
      const how = this.stackHow[d] as number;
      this.state = this.stackState[d] as S;
      this.stackState[d] = undefined as S;
      this.stateKey = this.stackKey[d] as number;
      this.flip(i);
      this.firstRead = this.stackFirstRead[d] as number;
      this.firstNonMono = this.stackFirstNonMono[d] as number;
      this.firstMono = this.stackFirstMono[d] as number;
      if (how === POOLED) this.used[this.classOf[i] as number]!--;
      else this.unlift(2 * i);
      if (how !== FORCED) return (this.stackPos[d] as number) + 1;
    }
  }

  /**
   * Whether known read-only operation i, illegal now, can never be legal: neither the current
   * state nor the state set by any non-monotone operation that can still precede it (called by
   * the time it returned, not linearized yet) leads to it by monotone operations.
   */
  private doomed(
    i: number,
    state = this.state,
    fromStart = false,
    by = (this.ops[i] as LinOp<I, O>).ret,
  ): boolean {
    const { ops, model, nonMono, setsState } = this;
    const op = ops[i] as LinOp<I, O>;
    this.pendingBy = this.mutation === 'pending-appends.by-call' ? op.call : by;
    this.pendingFromStart = fromStart;
    const mono = this.pendingOps;
    if (model.mayHoldLater!(state, op.input, op.output, mono)) return false;
    if (this.mutation === 'doomed-reads.ignore-writes') return true;
    for (let r = fromStart ? 0 : this.firstNonMono; r < nonMono.length; r++) {
      const x = nonMono[r] as number;
      if ((ops[x] as LinOp<I, O>).call > by) break;
      if (x === i || (!fromStart && this.isSet(x))) continue;
      const set = setsState[x];
      if (set === undefined || model.mayHoldLater!(set, op.input, op.output, mono)) return false;
    }
    return true;
  }

  /**
   * A new configuration: a legal read-only candidate to force (its call entry), DEAD if a
   * pending read can never hold, COMPLETE if every operation with a return is linearized, else
   * OPEN with the candidates to try in the candidate buffer.
   */
  private examine(): number {
    const { next, ops, model, readOnly, unknown } = this;
    if (this.canPrune && this.readsAhead()) return DEAD;
    // Nothing to try unless this configuration is OPEN (a forced one is never resumed).
    const d = this.depth;
    this.candEnd[d] = d === 0 ? 0 : (this.candEnd[d - 1] as number);
    let known = 0;
    let e = next[this.head] as number;
    for (; e !== END && (e & 1) === 0; e = next[e] as number) {
      const i = e >> 1;
      if (readOnly[i] === 0) {
        known = this.byReturn(known, i);
        continue;
      }
      const op = ops[i] as LinOp<I, O>;
      if (model.step(this.state, op.input, op.output, op.unknown) !== undefined) return e;
      if (this.canPrune && unknown[i] === 0 && this.doomed(i)) return this.dead(i);
    }
    if (this.mutation === 'read-only-first.past-return') {
      const late = this.legalReadOnlyAfter(e);
      if (late !== END) return late;
    }
    if (e === END || unknown[e >> 1] === 1) return COMPLETE;
    const rank = this.rank[e] as number;
    this.reach(e);
    // A read that must return first and is not legal yet: what the candidates should work toward.
    const x = e >> 1;
    const target = readOnly[x] === 1 && unknown[x] === 0 ? x : -1;
    this.fillCandidates(known, this.poolCandidates(rank), target);
    return OPEN;
  }

  /** Notes how far a configuration got: up to return entry e. */
  private reach(e: number): void {
    const rank = this.rank[e] as number;
    if (rank <= this.frontierRank) return;
    this.frontierRank = rank;
    this.frontierOp = e >> 1;
  }

  /** A configuration abandoned because read i can never hold: it could have got up to i's return. */
  private dead(i: number): number {
    this.reach(2 * i + 1);
    return DEAD;
  }

  /** For the mutation only: a legal read-only call anywhere after entry e, or END. */
  private legalReadOnlyAfter(e: number): number {
    const { next, ops, model, readOnly } = this;
    for (let f = e === END ? END : (next[e] as number); f !== END; f = next[f] as number) {
      if ((f & 1) === 1 || readOnly[f >> 1] === 0) continue;
      const op = ops[f >> 1] as LinOp<I, O>;
      if (model.step(this.state, op.input, op.output, op.unknown) !== undefined) return f;
    }
    return END;
  }

  /**
   * Whether one of the next reads still to come (by call, in flight or not yet called) can never
   * be satisfied from here: a wrong order of appends shows in the reads called next.
   */
  private readsAhead(): boolean {
    const { ops, model, readsToCheck: reads } = this;
    // The reads the operation just linearized may show up in: called before it returned.
    const last =
      this.depth > 0 ? (ops[this.stackOp[this.depth - 1] as number] as LinOp<I, O>) : undefined;
    const until = last === undefined || last.unknown ? -Infinity : last.ret;
    let checked = 0;
    const from = reads === this.reads ? this.firstRead : 0;
    for (let r = from; r < reads.length && checked < READS_AHEAD_MAX; r++) {
      const i = reads[r] as number;
      if (this.isSet(i)) continue;
      const op0 = ops[i] as LinOp<I, O>;
      if (checked >= READS_AHEAD && op0.call > until) break;
      checked++;
      const op = ops[i] as LinOp<I, O>;
      if (model.step(this.state, op.input, op.output, false) !== undefined) continue;
      if (this.doomed(i)) return this.dead(i) === DEAD;
    }
    return false;
  }

  /** Inserts known operation i among the first `count` in `tmpKnown`, in order of return. */
  private byReturn(count: number, i: number): number {
    const { tmpKnown, rank } = this;
    const r = rank[2 * i + 1] as number;
    let at = count;
    while (at > 0 && (rank[2 * (tmpKnown[at - 1] as number) + 1] as number) > r) {
      tmpKnown[at] = tmpKnown[at - 1] as number;
      at--;
    }
    tmpKnown[at] = i;
    return count + 1;
  }

  /** The next member of each pool class called before `frontier`, into `tmpPool`; how many. */
  private poolCandidates(frontier: number): number {
    let count = 0;
    for (let c = 0; c < this.classes; c++) {
      const m = (this.classStart[c] as number) + (this.used[c] as number);
      if (m === this.classStart[c + 1]) continue;
      const i = this.members[m] as number;
      if ((this.rank[2 * i] as number) < frontier) this.tmpPool[count++] = i;
    }
    return count;
  }

  /**
   * This depth's candidates, in the order they are tried. The operations that bring `target`
   * (the pending read that must return soonest, not legal yet) within reach go first, a pool
   * operation included (the unknown write the read saw); then operations with a return, soonest
   * return first (the one that may wait longest last); then the pool.
   */
  private fillCandidates(known: number, pooled: number, target: number): void {
    const d = this.depth;
    const start = d === 0 ? 0 : (this.candEnd[d - 1] as number);
    if (start + known + pooled > this.cand.length) {
      const grown = new Int32Array(2 * (start + known + pooled));
      grown.set(this.cand);
      this.cand = grown;
    }
    const { cand, tmpKnown, tmpPool, tmpHelps } = this;
    let end = start;
    for (let k = 0; k < known + pooled; k++) {
      const i = (k < known ? tmpKnown[k] : tmpPool[k - known]) as number;
      const helps = target >= 0 && this.bringsWithinReach(i, target);
      tmpHelps[k] = helps ? 1 : 0;
      if (helps) cand[end++] = i;
    }
    for (let k = 0; k < known + pooled; k++)
      if (tmpHelps[k] === 0) cand[end++] = (k < known ? tmpKnown[k] : tmpPool[k - known]) as number;
    this.candEnd[d] = end;
  }

  /** Whether linearizing operation i next makes read x legal, or possible by monotone steps. */
  private bringsWithinReach(i: number, x: number): boolean {
    const { ops, model } = this;
    const op = ops[i] as LinOp<I, O>;
    const after = model.step(this.state, op.input, op.output, op.unknown);
    if (after === undefined) return false;
    const read = ops[x] as LinOp<I, O>;
    if (model.step(after, read.input, read.output, false) !== undefined) return true;
    return this.canPrune && model.mayHoldLater!(after, read.input, read.output);
  }

  /** Tries the candidate at `pos` in the candidate buffer; true if it was linearized. */
  private tryCandidate(pos: number): boolean {
    const i = this.cand[pos] as number;
    this.candPos = pos;
    const pooled = (this.classOf[i] as number) >= 0;
    const op = this.ops[i] as LinOp<I, O>;
    const after = this.model.step(this.state, op.input, op.output, op.unknown);
    if (after === undefined) return false;
    const key = this.keyId(this.model.key(after));
    // A pool operation that leaves the state as it is is as good as not used at all.
    if (key === this.stateKey && (pooled || this.mutation === 'pool-unchanged.known-too'))
      return false;
    if (this.overwrites(op, key)) return false;
    return this.enter(i, pooled ? POOLED : CHOSEN, after, key);
  }

  /** Records the configuration with operation i linearized and pushes it; false if seen. */
  private enter(i: number, how: number, after: S, key: number): boolean {
    this.flip(i);
    if (this.visit(key)) {
      this.push(i, how, after, key);
      return true;
    }
    this.flip(i);
    return false;
  }

  /**
   * Whether `op`, leading to state key `key`, would make the pool operation just used pointless:
   * from the state before that pool operation it leads to the same state, so the configuration
   * without the pool operation (tried from there, the parent's candidates being the same) has
   * everything this one has, and one more pool operation unused.
   */
  private overwrites(op: LinOp<I, O>, key: number): boolean {
    const d = this.depth - 1;
    if (d < 0 || this.stackHow[d] !== POOLED) return false;
    const before = this.model.step(this.stackState[d] as S, op.input, op.output, op.unknown);
    if (before === undefined) return false;
    return (
      this.mutation === 'pool-overwritten.any-legal' || this.keyId(this.model.key(before)) === key
    );
  }

  /** Forces read-only call entry e; false if its configuration was seen (then backtrack). */
  private force(e: number): boolean {
    const i = e >> 1;
    this.flip(i);
    if (this.visit(this.stateKey)) {
      this.push(i, FORCED, this.state, this.stateKey);
      return true;
    }
    // Seen before and nothing followed: nothing follows from this configuration either.
    this.flip(i);
    return false;
  }

  /** Explores at most `budget` more configurations. */
  run(budget: number, shouldStop?: () => boolean): SliceOutcome {
    if (this.done !== undefined) return this.done;
    if (this.readsDue() && this.doomFromStart(shouldStop)) return this.finish('violation');
    const stopAt = this.states + budget;
    let entry = this.entry;
    for (;;) {
      let pushed = false;
      if (entry === FRESH) {
        const found = this.examine();
        if (found === COMPLETE) return this.finish('ok');
        if (found >= 0) pushed = this.force(found);
        if (found === OPEN) entry = this.depth === 0 ? 0 : (this.candEnd[this.depth - 1] as number);
        else if (!pushed) entry = this.backtrack();
      } else if (entry < (this.candEnd[this.depth] as number)) {
        pushed = this.tryCandidate(entry);
        if (!pushed) entry++;
      } else entry = this.backtrack();
      if (entry === EXHAUSTED) return this.finish('violation');
      if (!pushed) continue;
      if (this.readsDue() && this.doomFromStart(shouldStop)) return this.finish('violation');
      entry = FRESH;
      if (this.states >= stopAt || ((this.states & STOP_EVERY) === 0 && shouldStop?.() === true)) {
        this.entry = FRESH;
        return 'paused';
      }
    }
  }

  /** Whether it is time to check every read against the whole history (once). */
  private readsDue(): boolean {
    return this.states >= this.checkReadsAt && !this.readsChecked;
  }

  /** Ends the search with a verdict. */
  private finish(verdict: 'ok' | 'violation'): 'ok' | 'violation' {
    this.done = verdict;
    if (verdict === 'ok') {
      this.lowWater = 0;
      this.keepBest();
    }
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
