/**
 * Strongly connected components (Tarjan, "Depth-first search and linear graph algorithms", SIAM
 * J. Comput. 1972), iterative so a long chain of dependencies cannot overflow the stack. Every
 * cycle lies inside one component, so the cycle search looks only inside components of more than
 * one transaction. `mask` keeps only edges with one of those labels, and `within` (when given)
 * only nodes in that set: how the search asks "is there a cycle of ww edges alone here?".
 */
import type { DependencyGraph } from './dependency-graph.js';

export function stronglyConnected(
  g: DependencyGraph,
  mask: number,
  within?: ReadonlySet<number>,
): number[][] {
  const index = new Int32Array(g.size).fill(-1);
  const low = new Int32Array(g.size);
  const onStack = new Uint8Array(g.size);
  const stack: number[] = [];
  const out: number[][] = [];
  let counter = 0;
  const nodes = within ?? range(g.size);
  for (const root of nodes) {
    if (index[root] !== -1) continue;
    // Each frame: the node and the iterator over its out-edges.
    const frames: [number, Iterator<[number, { types: number }]>][] = [];
    const open = (v: number) => {
      index[v] = low[v] = counter++;
      stack.push(v);
      onStack[v] = 1;
      frames.push([v, g.out[v]!.entries()]);
    };
    open(root);
    while (frames.length > 0) {
      const [v, it] = frames[frames.length - 1]!;
      const step = it.next();
      if (!step.done) {
        const [w, e] = step.value;
        if ((e.types & mask) === 0 || (within !== undefined && !within.has(w))) continue;
        if (index[w] === -1) open(w);
        else if (onStack[w] === 1) low[v] = Math.min(low[v]!, index[w]!);
        continue;
      }
      frames.pop();
      if (frames.length > 0) {
        const parent = frames[frames.length - 1]![0];
        low[parent] = Math.min(low[parent]!, low[v]!);
      }
      if (low[v] === index[v]) out.push(popComponent(stack, onStack, v));
    }
  }
  return out;
}

function popComponent(stack: number[], onStack: Uint8Array, v: number): number[] {
  const component: number[] = [];
  for (;;) {
    const w = stack.pop()!;
    onStack[w] = 0;
    component.push(w);
    if (w === v) return component;
  }
}

function* range(n: number): Generator<number> {
  for (let i = 0; i < n; i++) yield i;
}
