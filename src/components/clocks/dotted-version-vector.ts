/**
 * Dotted version vectors (Preguiça, Baquero, Almeida, Fonte, Gonçalves 2010), in the form Riak
 * stores siblings with (DVVSet, Almeida et al. 2014): every write gets its own dot from the node
 * that took it, and carries the version vector the client read before writing (its causal
 * context). A stored value is made obsolete only by a write whose context covers its dot, so two
 * clients writing through one node keep both values as siblings — the case where per-node
 * version vectors either lose one or, with per-client ids, explode in size.
 *
 *   let s = dvvUpdate([], VectorClock.EMPTY, 'n1', 'x');   // [x @ n1:1]
 *   const ctx = dvvJoin(s);                                // {n1:1}: what a get returns
 *   s = dvvUpdate(s, VectorClock.EMPTY, 'n1', 'y');        // blind write: [x @ n1:1, y @ n1:2]
 *   s = dvvUpdate(s, dvvJoin(s), 'n2', 'z');               // read then write: [z @ n2:1]
 *
 * Left out: the compact per-node encoding of DVVSet (siblings here are listed one by one, sorted
 * by dot) and pruning.
 */
import { assert } from '../../core/assert.js';
import type { NodeId } from '../../core/ids.js';
import { compareDots, type Dot } from './dot.js';
import { VectorClock } from './vector-clock.js';

/** A value tagged with a dotted version vector: its write's dot and what that write had seen. */
export interface DottedValue<V> {
  readonly dot: Dot;
  readonly context: VectorClock;
  readonly value: V;
}

/** The siblings of one key, sorted by dot, none obsolete by another. */
export type Siblings<V> = readonly DottedValue<V>[];

/** The causal context of a set of siblings: every dot and context in it, as one clock. */
export function dvvJoin<V>(siblings: Siblings<V>): VectorClock {
  let clock = VectorClock.EMPTY;
  for (const s of siblings) clock = clock.merge(s.context).with(s.dot.node, s.dot.counter);
  return clock;
}

/**
 * A write of `value` at `node` by a client that had read `context`: the new sibling gets the next
 * dot of `node`, and every sibling the client had seen is discarded.
 */
export function dvvUpdate<V>(
  siblings: Siblings<V>,
  context: VectorClock,
  node: NodeId,
  value: V,
): Siblings<V> {
  const counter = Math.max(dvvJoin(siblings).get(node), context.get(node)) + 1;
  const written: DottedValue<V> = { dot: { node, counter }, context, value };
  const kept = siblings.filter((s) => !context.covers(s.dot));
  return [...kept, written].sort((a, b) => compareDots(a.dot, b.dot));
}

/** Two replicas' siblings joined: every sibling neither side has made obsolete. */
export function dvvSync<V>(a: Siblings<V>, b: Siblings<V>): Siblings<V> {
  const all = [...a, ...b].sort((x, y) => compareDots(x.dot, y.dot));
  const unique = all.filter((s, i) => {
    const prev = all[i - 1];
    if (prev === undefined || compareDots(prev.dot, s.dot) !== 0) return true;
    assert(prev.context.equals(s.context), () => `dot ${s.dot.node}:${s.dot.counter} reused`);
    return false;
  });
  return unique.filter((s) => !unique.some((o) => o !== s && o.context.covers(s.dot)));
}
