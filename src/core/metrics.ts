/**
 * Measures of a run, in virtual time, pluggable per protocol and per workload: a protocol brings
 * a collector that watches its marks and the faults the world reports (how long until a failure
 * is suspected, until a new leader serves…), a workload may summarize its own history. Each
 * measure is a set of durations summarized as p50 / p99 / max, under a name and a label a person
 * reads (`failover`). A protocol without a primary reports its own measures, or none.
 */
import type { NodeId } from './ids.js';
import type { Micros } from './time.js';

export interface Summary {
  readonly count: number;
  readonly meanUs: number;
  readonly p50Us: number;
  readonly p99Us: number;
  readonly maxUs: number;
}

/**
 * One measure of a run: durations in virtual microseconds, summarized, with its label; or, with
 * `unit: 'count'`, plain counts (records, bytes) in the same fields.
 */
export interface Metric extends Summary {
  readonly label: string;
  readonly unit?: 'count';
  /** A target the measure should stay under (`failover < 30s`), judged on `targetOn`. */
  readonly targetUs?: number;
  /** `max` (the default): every value under the target; `p99`: all but the slowest 1%. */
  readonly targetOn?: 'max' | 'p99';
}

/** A run's measures by name (`failover`, `replicationLag`), in the order they were reported. */
export type Metrics = Readonly<Record<string, Metric>>;

export function summarize(values: readonly number[]): Summary | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    meanUs: Math.round(sum / sorted.length),
    p50Us: at(0.5),
    p99Us: at(0.99),
    maxUs: sorted[sorted.length - 1] as number,
  };
}

/** A labelled measure, or nothing when no value was seen. */
export function metric(
  label: string,
  values: readonly number[],
  unit?: 'count',
): Metric | undefined {
  const s = summarize(values);
  if (s === undefined) return undefined;
  return unit === undefined ? { label, ...s } : { label, unit, ...s };
}

/** The measure with a target it should stay under; nothing stays nothing. */
export function withTarget(
  m: Metric | undefined,
  targetUs: number,
  targetOn: 'max' | 'p99' = 'max',
): Metric | undefined {
  if (m === undefined) return undefined;
  return targetOn === 'max' ? { ...m, targetUs } : { ...m, targetUs, targetOn };
}

/** Whether a measure met its target. */
export const targetMet = (m: Metric): boolean =>
  m.targetUs === undefined || (m.targetOn === 'p99' ? m.p99Us : m.maxUs) < m.targetUs;

/**
 * Watches one run for a protocol: the host reports every mark a node emits and every failure or
 * restart it causes; `result()` gives the measures at the end. It may only observe.
 */
export interface MetricsCollector {
  /** `node` crashed, was paused, or was cut off from a majority. */
  nodeFailed(node: NodeId, now: Micros): void;
  nodeRestarted(node: NodeId, now: Micros): void;
  mark(node: NodeId, name: string, value: number | undefined, now: Micros): void;
  result(): Metrics;
}

/** Several collectors watching one run as one: each sees everything; their measures merged. */
export function joinCollectors(...collectors: readonly MetricsCollector[]): MetricsCollector {
  return {
    nodeFailed: (node, now) => {
      for (const c of collectors) c.nodeFailed(node, now);
    },
    nodeRestarted: (node, now) => {
      for (const c of collectors) c.nodeRestarted(node, now);
    },
    mark: (node, name, value, now) => {
      for (const c of collectors) c.mark(node, name, value, now);
    },
    result: () => Object.assign({}, ...collectors.map((c) => c.result())) as Metrics,
  };
}
