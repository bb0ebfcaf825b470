/**
 * What a failure detector costs and buys, from one seed of the cluster protocol's metrics
 * (cluster-metrics.ts and detector-metrics.ts): how many storage nodes the manager leader
 * declared dead, how long each had been silent when it was (detection time), and how many of
 * them were false suspicions (declared dead, then heard again still running), with how long
 * each was wrongly held dead. Absent for other protocols: the cluster is recognised by its
 * manager's mark, so other protocols' lessons print no such rows.
 */
import type { Metric } from '../core/metrics.js';
import type { RunResult } from '../run/run-result.js';

const CLUSTER_MARK = 'cluster.manager-leads';

/** One metric's spread in one seed (or several seeds', merged by `sumDetectorMeasures`). */
interface DetectorSpread {
  readonly count: number;
  /** The median of the seeds' medians, and the largest value seen; undefined when none. */
  readonly p50Us?: number;
  readonly maxUs?: number;
}

export interface DetectorMeasures {
  readonly declared: DetectorSpread;
  readonly falseSuspicions: DetectorSpread;
}

const spreadOf = (m: Metric | undefined): DetectorSpread =>
  m === undefined ? { count: 0 } : { count: m.count, p50Us: m.p50Us, maxUs: m.maxUs };

export function detectorMeasures(result: RunResult): { detector?: DetectorMeasures } {
  if (result.stats.marks[CLUSTER_MARK] === undefined) return {};
  return {
    detector: {
      declared: spreadOf(result.metrics.failureDetection),
      falseSuspicions: spreadOf(result.metrics.falseSuspicions),
    },
  };
}

function merge(all: readonly DetectorSpread[]): DetectorSpread {
  const p50s = all.flatMap((s) => (s.p50Us === undefined ? [] : [s.p50Us])).sort((a, b) => a - b);
  const maxes = all.flatMap((s) => (s.maxUs === undefined ? [] : [s.maxUs]));
  const count = all.reduce((n, s) => n + s.count, 0);
  if (p50s.length === 0) return { count };
  return { count, p50Us: p50s[Math.floor(p50s.length / 2)] as number, maxUs: Math.max(...maxes) };
}

/** Several seeds' measures as one; undefined unless every seed has them. */
export function sumDetectorMeasures(
  all: readonly (DetectorMeasures | undefined)[],
): DetectorMeasures | undefined {
  if (all.length === 0 || all.some((m) => m === undefined)) return undefined;
  const ms = all as readonly DetectorMeasures[];
  return {
    declared: merge(ms.map((m) => m.declared)),
    falseSuspicions: merge(ms.map((m) => m.falseSuspicions)),
  };
}
