/**
 * A causal context: the set of dots a replica has seen (Almeida, Shoker, Baquero 2018, §6), kept
 * compact as a version vector for the gap-free prefix of each node's dots plus a "dot cloud" of
 * the dots seen beyond a gap. A delta carries only the dots it made or removed, so merging deltas
 * out of order leaves gaps for a while; the cloud holds them until the missing dots arrive and
 * the prefix closes over them. Without the cloud, the context would have to claim dots it never
 * saw, and a later merge would wrongly treat their elements as removed.
 */
import { assert } from '../../core/assert.js';
import type { NodeId } from '../../core/ids.js';
import { compareDots, type Dot, dotText } from '../clocks/dot.js';
import { VectorClock } from '../clocks/vector-clock.js';
import { asArray, asObject, decodeClock, decodeDot, encodeClock, encodeDot } from './codec.js';
import type { Json } from './crdt-type.js';
import { unionSorted } from './sorted.js';

export class CausalContext {
  static readonly EMPTY = new CausalContext(VectorClock.EMPTY, []);

  private constructor(
    /** Every dot (n, k) with k ≤ compact.get(n) is in the context. */
    readonly compact: VectorClock,
    /** The other dots in it, sorted; none is covered by or adjacent to `compact`. */
    readonly cloud: readonly Dot[],
  ) {}

  /** A context holding exactly `dots` (any order, repeats allowed). */
  static of(dots: readonly Dot[]): CausalContext {
    return CausalContext.EMPTY.add(dots);
  }

  has(dot: Dot): boolean {
    if (this.compact.covers(dot)) return true;
    for (const d of this.cloud) if (d.node === dot.node && d.counter === dot.counter) return true;
    return false;
  }

  /** A dot for a new event at `node`: one past every dot of `node` seen. */
  next(node: NodeId): Dot {
    let counter = this.compact.get(node);
    for (const d of this.cloud) if (d.node === node) counter = Math.max(counter, d.counter);
    return { node, counter: counter + 1 };
  }

  add(dots: readonly Dot[]): CausalContext {
    if (dots.length === 0) return this;
    const sorted = [...dots].sort(compareDots);
    return CausalContext.compacted(this.compact, unionSorted(this.cloud, sorted, compareDots));
  }

  join(other: CausalContext): CausalContext {
    if (other === this || other === CausalContext.EMPTY) return this;
    if (this === CausalContext.EMPTY) return other;
    const compact = this.compact.merge(other.compact);
    if (this.cloud.length === 0 && other.cloud.length === 0) {
      return new CausalContext(compact, []);
    }
    return CausalContext.compacted(compact, unionSorted(this.cloud, other.cloud, compareDots));
  }

  equals(other: CausalContext): boolean {
    if (!this.compact.equals(other.compact) || this.cloud.length !== other.cloud.length) {
      return false;
    }
    return this.cloud.every((d, i) => compareDots(d, other.cloud[i] as Dot) === 0);
  }

  encode(): Json {
    return { compact: encodeClock(this.compact), cloud: this.cloud.map(encodeDot) };
  }

  static decode(j: Json): CausalContext {
    const o = asObject(j, 'causal context');
    const compact = decodeClock(o.compact ?? null);
    const cloud = asArray(o.cloud ?? null, 'dot cloud').map(decodeDot);
    return CausalContext.compacted(compact, [...cloud].sort(compareDots));
  }

  toString(): string {
    const cloud = this.cloud.length > 0 ? ` + {${this.cloud.map(dotText).join(', ')}}` : '';
    return `${this.compact.toString()}${cloud}`;
  }

  /** Moves every cloud dot that extends a node's gap-free prefix into the compact vector. */
  private static compacted(compact: VectorClock, cloud: readonly Dot[]): CausalContext {
    const raised = new Map<NodeId, number>();
    const kept: Dot[] = [];
    for (const d of cloud) {
      assert(d.counter > 0, () => `dot ${dotText(d)}: counters start at 1`);
      const top = raised.get(d.node) ?? compact.get(d.node);
      if (d.counter <= top) continue;
      const last = kept[kept.length - 1];
      if (d.counter === top + 1) raised.set(d.node, d.counter);
      else if (last === undefined || compareDots(last, d) !== 0) kept.push(d);
    }
    let vv = compact;
    for (const [node, counter] of raised) vv = vv.with(node, counter);
    // Sorted by node, then counter: each node's dots come in order, so one pass closes every gap
    // that can be closed.
    return new CausalContext(vv, kept);
  }
}
