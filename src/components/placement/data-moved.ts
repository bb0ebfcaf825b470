/**
 * How much data a membership change moves, against the ideal. With consistent hashing and
 * virtual nodes (hash-ring.ts), shards map to replica sets by walking the ring; when one node
 * joins a ring of n, it should take 1/(n+1) of every replica slot and nothing else should move,
 * and when one of n leaves, only its 1/n should. This counts the replica slots whose node
 * changed (a shard whose set went from {n1, n2, n3} to {n1, n2, n6} moved one slot) and sets
 * them beside that ideal, in integers; the ratio is for people and reports, never a decision.
 */
import type { Ring } from './hash-ring.js';

export interface DataMoved {
  /** Replica slots (shard × replica) whose node changed. */
  readonly moved: number;
  /** Replica slots in all: shards × replicas. */
  readonly slots: number;
  /** What an ideal placement moves: slots / n, n the larger of the two memberships. */
  readonly ideal: number;
  /** moved / ideal (1 is ideal). */
  readonly ratio: number;
}

export function dataMoved(
  before: Ring,
  after: Ring,
  shards: readonly string[],
  replicas: number,
): DataMoved {
  let moved = 0;
  for (const shard of shards) {
    const was = before.preferenceList(shard, replicas);
    for (const node of after.preferenceList(shard, replicas)) if (!was.includes(node)) moved++;
  }
  const slots = shards.length * Math.min(replicas, after.nodes.length, before.nodes.length);
  const n = Math.max(before.nodes.length, after.nodes.length);
  const ideal = slots / n;
  return { moved, slots, ideal, ratio: ideal === 0 ? 0 : moved / ideal };
}

/** One line for a trace or a report: `moved 130 of 1024 replica slots (12.7%); ideal 12.5%`. */
export function dataMovedText(d: DataMoved): string {
  const pct = (x: number) => `${d.slots === 0 ? 0 : Math.round((x * 1000) / d.slots) / 10}%`;
  return `moved ${d.moved} of ${d.slots} replica slots (${pct(d.moved)}); ideal 1/n is ${pct(d.ideal)}`;
}
