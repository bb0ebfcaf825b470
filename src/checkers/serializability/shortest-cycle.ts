/**
 * A shortest cycle through a component, by breadth-first search from a few of its nodes back to
 * themselves, as Elle does to keep its evidence small (a component can hold thousands of
 * transactions; the cycle that explains it rarely more than a handful). Only edges with a label
 * in `mask` are followed, and only nodes of the component visited. At most CYCLE_STARTS_MAX
 * starting nodes are tried, so a huge component costs a bounded number of searches.
 */
import type { DependencyGraph } from './dependency-graph.js';

const CYCLE_STARTS_MAX = 32;

/** The cycle's nodes in order (the edge from the last leads back to the first), or undefined. */
export function shortestCycle(
  g: DependencyGraph,
  component: readonly number[],
  mask: number,
): number[] | undefined {
  const members = new Set(component);
  const sorted = [...component].sort((a, b) => a - b);
  let best: number[] | undefined;
  for (const start of sorted.slice(0, CYCLE_STARTS_MAX)) {
    const cycle = cycleThrough(g, start, members, mask, best?.length);
    if (cycle !== undefined && (best === undefined || cycle.length < best.length)) best = cycle;
    if (best?.length === 2) break;
  }
  return best;
}

/** A shortest cycle through `start`, shorter than `limit` when one is given. */
function cycleThrough(
  g: DependencyGraph,
  start: number,
  members: ReadonlySet<number>,
  mask: number,
  limit: number | undefined,
): number[] | undefined {
  const parent = new Map<number, number>([[start, -1]]);
  let frontier = [start];
  for (let depth = 1; frontier.length > 0; depth++) {
    if (limit !== undefined && depth >= limit) return undefined;
    const next: number[] = [];
    for (const v of frontier)
      for (const [w, e] of g.out[v]!) {
        if ((e.types & mask) === 0 || !members.has(w)) continue;
        if (w === start) return pathTo(parent, v);
        if (parent.has(w)) continue;
        parent.set(w, v);
        next.push(w);
      }
    frontier = next;
  }
  return undefined;
}

function pathTo(parent: ReadonlyMap<number, number>, last: number): number[] {
  const path: number[] = [];
  for (let v = last; v !== -1; v = parent.get(v)!) path.push(v);
  return path.reverse();
}
