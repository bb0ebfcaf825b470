/**
 * Cycles in the dependency graph, named as Elle names them. Inside each strongly connected
 * component the search asks first for a cycle of ww edges alone (G0, write cycle), then of ww and
 * wr edges (G1c, cyclic information flow), and only then of any edges (G2-item, a cycle with an
 * anti-dependency), and reports the first it finds: the most severe anomaly the component shows,
 * with a shortest cycle as its evidence. Each step of the cycle becomes a sentence in Elle's
 * style ("T1 < T2 because T2 read T1's append of 3 to key :x").
 */
import type { Anomaly, AnomalyType, CycleStep } from './anomaly.js';
import { type DependencyGraph, type Edge, RW, WR, WW } from './dependency-graph.js';
import { shortestCycle } from './shortest-cycle.js';
import { stronglyConnected } from './tarjan.js';
import { type Txn, txnName } from './txn.js';

/** Components reported at most; the rest are counted in `cyclesLeftOut`. */
export const CYCLES_REPORTED_MAX = 64;

const SEARCHES: readonly [AnomalyType, number][] = [
  ['G0', WW],
  ['G1c', WW | WR],
  ['G2-item', WW | WR | RW],
];

export interface CycleSearch {
  readonly anomalies: Anomaly[];
  /** Components of more than one transaction: each holds at least one cycle. */
  readonly components: number;
  readonly cyclesLeftOut: number;
}

export function findCycles(g: DependencyGraph, txns: readonly Txn[]): CycleSearch {
  const components = stronglyConnected(g, WW | WR | RW).filter((c) => c.length > 1);
  components.sort((a, b) => first(a) - first(b));
  const anomalies: Anomaly[] = [];
  for (const component of components.slice(0, CYCLES_REPORTED_MAX)) {
    const found = classify(g, component);
    if (found !== undefined) anomalies.push(cycleAnomaly(g, txns, found.type, found.cycle));
  }
  return {
    anomalies,
    components: components.length,
    cyclesLeftOut: Math.max(0, components.length - CYCLES_REPORTED_MAX),
  };
}

/** The component's earliest transaction: components are reported in history order. */
function first(component: readonly number[]): number {
  let min = Number.POSITIVE_INFINITY;
  for (const p of component) if (p < min) min = p;
  return min;
}

/** The most severe kind of cycle in a component, and a shortest one of that kind. */
function classify(g: DependencyGraph, component: readonly number[]) {
  for (const [type, mask] of SEARCHES) {
    const within = new Set(component);
    const sub =
      mask === (WW | WR | RW)
        ? [component]
        : stronglyConnected(g, mask, within).filter((c) => c.length > 1);
    for (const c of sub) {
      const cycle = shortestCycle(g, c, mask);
      if (cycle !== undefined) return { type, cycle };
    }
  }
  return undefined;
}

function cycleAnomaly(
  g: DependencyGraph,
  txns: readonly Txn[],
  type: AnomalyType,
  cycle: readonly number[],
): Anomaly {
  const mask = SEARCHES.find(([t]) => t === type)![1];
  const steps = cycle.map((a, i) => {
    const b = cycle[(i + 1) % cycle.length]!;
    return step(g.out[a]!.get(b)!, txns[a]!, txns[b]!, mask);
  });
  const sentences = steps.map((s, i) =>
    i === steps.length - 1 ? `However, ${s.sentence}: a contradiction!` : `${s.sentence}.`,
  );
  return { type, txns: cycle.map((p) => txns[p]!), steps, sentences };
}

/** The edge explained by its strongest label the search used: ww, then wr, then rw. */
function step(e: Edge, a: Txn, b: Txn, mask: number): CycleStep {
  const A = txnName(a);
  const B = txnName(b);
  if ((e.types & mask & WW) !== 0) {
    const w = e.ww!;
    return {
      type: 'ww',
      from: a,
      to: b,
      key: w.key,
      sentence: `${A} < ${B}, because ${B} appended ${w.value2} after ${A} appended ${w.value} to key ${w.key}`,
    };
  }
  if ((e.types & mask & WR) !== 0) {
    const w = e.wr!;
    return {
      type: 'wr',
      from: a,
      to: b,
      key: w.key,
      sentence: `${A} < ${B}, because ${B} read ${A}'s append of ${w.value} to key ${w.key}`,
    };
  }
  const w = e.rw!;
  return {
    type: 'rw',
    from: a,
    to: b,
    key: w.key,
    sentence: `${A} < ${B}, because ${A} read key ${w.key} without ${B}'s append of ${w.value}`,
  };
}
