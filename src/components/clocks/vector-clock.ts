/**
 * Vector clocks (Fidge 1988, Mattern 1989): one counter per node, so that comparing two clocks
 * says whether one event happened before the other, after it, or concurrently. A node missing
 * from a clock counts as 0, and zeros are never stored, so equal clocks have equal entries.
 * Immutable: every operation returns a new clock. Entries are kept sorted by node id, so
 * iteration, encoding and comparison never depend on insertion order.
 *
 *   const a = VectorClock.from({ a: 1, b: 1 });
 *   const b = VectorClock.from({ b: 1, c: 1, d: 1 });
 *   a.compare(b);                                  // 'concurrent'
 *   a.merge(b).increment('a').toString();          // '{a:2, b:1, c:1, d:1}'
 *
 * Named bug `vector-clock.ignore-missing-entries` (research catalogue #39, GoVector#68): compare
 * walks only the first clock's entries, so a node the other clock has and this one lacks is
 * ignored, and {b:1,c:1,d:1} is judged to descend from {a:1,b:1}. Off unless asked for.
 * Left out: pruning (Riak's old vclock trimming), which loses causality by design.
 */
import { assert } from '../../core/assert.js';
import type { NodeId } from '../../core/ids.js';
import type { Dot } from './dot.js';

/** How two clocks (or the events they stamp) are ordered. */
export type CausalOrder = 'before' | 'after' | 'equal' | 'concurrent';

export type VectorClockBug = 'vector-clock.ignore-missing-entries';

export interface VectorClockOptions {
  readonly bugs?: ReadonlySet<string>;
}

export class VectorClock {
  static readonly EMPTY = new VectorClock([], []);

  /** Sorted node ids and their counters (all > 0), index for index. */
  private constructor(
    private readonly nodes: readonly NodeId[],
    private readonly counters: readonly number[],
  ) {}

  /** A clock from `{ node: counter }` or `[node, counter]` pairs; zero entries are dropped. */
  static from(
    entries: Readonly<Record<NodeId, number>> | readonly (readonly [NodeId, number])[],
  ): VectorClock {
    const pairs = Array.isArray(entries) ? [...entries] : Object.entries(entries);
    pairs.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    const nodes: NodeId[] = [];
    const counters: number[] = [];
    for (const [node, counter] of pairs) {
      assert(Number.isSafeInteger(counter) && counter >= 0, `bad counter ${node}:${counter}`);
      assert(nodes[nodes.length - 1] !== node, `node ${node} twice in a vector clock`);
      if (counter > 0) {
        nodes.push(node);
        counters.push(counter);
      }
    }
    return nodes.length === 0 ? VectorClock.EMPTY : new VectorClock(nodes, counters);
  }

  get size(): number {
    return this.nodes.length;
  }

  get(node: NodeId): number {
    const i = this.indexOf(node);
    return i >= 0 ? (this.counters[i] as number) : 0;
  }

  /** Whether the event `dot` is in this clock's past (or is its own latest event). */
  covers(dot: Dot): boolean {
    return this.get(dot.node) >= dot.counter;
  }

  /** The clock after one more event at `node`. */
  increment(node: NodeId): VectorClock {
    return this.with(node, this.get(node) + 1);
  }

  /** This clock with `node`'s counter raised to at least `counter`. */
  with(node: NodeId, counter: number): VectorClock {
    if (this.get(node) >= counter) return this;
    const nodes = [...this.nodes];
    const counters = [...this.counters];
    const i = this.indexOf(node);
    if (i >= 0) counters[i] = counter;
    else {
      const at = insertionPoint(nodes, node);
      nodes.splice(at, 0, node);
      counters.splice(at, 0, counter);
    }
    return new VectorClock(nodes, counters);
  }

  /** The least clock at or after both: the entry-wise maximum. */
  merge(other: VectorClock): VectorClock {
    if (other.size === 0 || other === this) return this;
    if (this.size === 0) return other;
    const nodes: NodeId[] = [];
    const counters: number[] = [];
    let i = 0;
    let j = 0;
    while (i < this.nodes.length || j < other.nodes.length) {
      const a = this.nodes[i];
      const b = other.nodes[j];
      if (b === undefined || (a !== undefined && a < b)) {
        nodes.push(a as NodeId);
        counters.push(this.counters[i++] as number);
      } else if (a === undefined || b < a) {
        nodes.push(b);
        counters.push(other.counters[j++] as number);
      } else {
        nodes.push(a);
        counters.push(Math.max(this.counters[i++] as number, other.counters[j++] as number));
      }
    }
    return new VectorClock(nodes, counters);
  }

  /** How this clock is ordered against `other`; a node missing from either counts as 0. */
  compare(other: VectorClock, options: VectorClockOptions = {}): CausalOrder {
    const onlyOwn = options.bugs?.has('vector-clock.ignore-missing-entries') ?? false;
    let less = false;
    let greater = false;
    let i = 0;
    let j = 0;
    // One walk over both sorted entry lists; with the bug, nodes only `other` has are skipped.
    while (i < this.nodes.length || j < other.nodes.length) {
      const a = this.nodes[i];
      const b = other.nodes[j];
      if (b === undefined || (a !== undefined && a < b)) {
        greater = true;
        i++;
      } else if (a === undefined || b < a) {
        if (!onlyOwn) less = true;
        j++;
      } else {
        const x = this.counters[i++] as number;
        const y = other.counters[j++] as number;
        if (x < y) less = true;
        else if (x > y) greater = true;
      }
    }
    if (less && greater) return 'concurrent';
    if (less) return 'before';
    return greater ? 'after' : 'equal';
  }

  /** Whether this clock is at or after `other` (Riak's `descends`). */
  descends(other: VectorClock): boolean {
    const order = this.compare(other);
    return order === 'after' || order === 'equal';
  }

  equals(other: VectorClock): boolean {
    if (other.size !== this.size) return false;
    for (let i = 0; i < this.nodes.length; i++) {
      if (this.nodes[i] !== other.nodes[i] || this.counters[i] !== other.counters[i]) return false;
    }
    return true;
  }

  /** `[node, counter]` pairs sorted by node id: the encoding for messages and the WAL. */
  entries(): [NodeId, number][] {
    return this.nodes.map((n, i) => [n, this.counters[i] as number]);
  }

  toString(): string {
    return `{${this.nodes.map((n, i) => `${n}:${this.counters[i]}`).join(', ')}}`;
  }

  private indexOf(node: NodeId): number {
    let lo = 0;
    let hi = this.nodes.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const n = this.nodes[mid] as NodeId;
      if (n === node) return mid;
      if (n < node) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}

function insertionPoint(sorted: readonly string[], key: string): number {
  let at = 0;
  while (at < sorted.length && (sorted[at] as string) < key) at++;
  return at;
}
