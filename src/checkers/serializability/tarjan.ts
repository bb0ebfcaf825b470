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
  // Inside a component, arrays sized to it (a slot per member), so that searching many small
  // components of a large graph costs their size, not the graph's.
  const slots = within === undefined ? undefined : new Map([...within].map((v, i) => [v, i]));
  const size = slots?.size ?? g.size;
  const slot = slots === undefined ? (v: number) => v : (v: number) => slots.get(v)!;
  const index = new Int32Array(size).fill(-1);
  const low = new Int32Array(size);
  const onStack = new Uint8Array(size);
  const stack: number[] = [];
  const out: number[][] = [];
  let counter = 0;
  const nodes = within ?? range(g.size);
  for (const root of nodes) {
    if (index[slot(root)] !== -1) continue;
    // Each frame: the node and the iterator over its out-edges.
    const frames: [number, Iterator<[number, { types: number }]>][] = [];
    const open = (v: number) => {
      const i = slot(v);
      index[i] = low[i] = counter++;
      stack.push(v);
      onStack[i] = 1;
      frames.push([v, g.out[v]!.entries()]);
    };
    open(root);
    while (frames.length > 0) {
      const [v, it] = frames[frames.length - 1]!;
      const step = it.next();
      if (!step.done) {
        const [w, e] = step.value;
        if ((e.types & mask) === 0 || (within !== undefined && !within.has(w))) continue;
        const j = slot(w);
        if (index[j] === -1) open(w);
        else if (onStack[j] === 1) low[slot(v)] = Math.min(low[slot(v)]!, index[j]!);
        continue;
      }
      frames.pop();
      const i = slot(v);
      if (frames.length > 0) {
        const parent = slot(frames[frames.length - 1]![0]);
        low[parent] = Math.min(low[parent]!, low[i]!);
      }
      if (low[i] === index[i]) out.push(popComponent(stack, onStack, v, slot));
    }
  }
  return out;
}

function popComponent(
  stack: number[],
  onStack: Uint8Array,
  v: number,
  slot: (v: number) => number,
): number[] {
  const component: number[] = [];
  for (;;) {
    const w = stack.pop()!;
    onStack[slot(w)] = 0;
    component.push(w);
    if (w === v) return component;
  }
}

function* range(n: number): Generator<number> {
  for (let i = 0; i < n; i++) yield i;
}
