/**
 * A dot: one event, named by the node that made it and that node's count of its events so far,
 * `(node, counter)` with counters from 1. Dotted version vectors (Preguiça et al.) and the causal
 * contexts of delta-state CRDTs (Almeida, Shoker, Baquero) are built from dots. Dots are unique
 * only while a node never forgets how many it has made: a protocol that can lose un-synced state
 * in a crash must not hand out a dot before it is durable (or must name the node anew).
 */
import type { NodeId } from '../../core/ids.js';

export interface Dot {
  readonly node: NodeId;
  readonly counter: number;
}

/** The stable order of dots: by node id, then counter. */
export function compareDots(a: Dot, b: Dot): number {
  if (a.node !== b.node) return a.node < b.node ? -1 : 1;
  return a.counter - b.counter;
}

/** `n1:3`, for messages and diffs. */
export const dotText = (d: Dot): string => `${d.node}:${d.counter}`;
