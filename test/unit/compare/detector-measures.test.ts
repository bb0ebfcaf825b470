/**
 * The failure-detector rows' measures from one seed's metrics: nodes declared dead and false
 * suspicions with their spreads, only for a run of the cluster (its manager's mark); and
 * several seeds merged: counts summed, the median of the seeds' medians, the largest maximum.
 */
import { expect, it } from 'vitest';
import { detectorMeasures, sumDetectorMeasures } from '../../../src/compare/detector-measures.js';
import type { Metric, Metrics } from '../../../src/core/metrics.js';
import type { RunResult } from '../../../src/run/run-result.js';

const m = (count: number, p50Us: number, maxUs: number): Metric => ({
  label: 'x',
  count,
  meanUs: p50Us,
  p50Us,
  p99Us: maxUs,
  maxUs,
});
const run = (marks: Record<string, number>, metrics: Metrics) =>
  ({ metrics, stats: { marks } }) as unknown as RunResult;

it('is absent for a protocol other than the cluster', () => {
  expect(detectorMeasures(run({ 'role.primary': 2 }, { failureDetection: m(1, 5, 5) }))).toEqual(
    {},
  );
});

it('counts declarations and false suspicions, zero when none was seen', () => {
  const cluster = { 'cluster.manager-leads': 1 };
  expect(detectorMeasures(run(cluster, {})).detector).toEqual({
    declared: { count: 0 },
    falseSuspicions: { count: 0 },
  });
  const both = { failureDetection: m(3, 300, 700), falseSuspicions: m(2, 100, 150) };
  expect(detectorMeasures(run(cluster, both)).detector).toEqual({
    declared: { count: 3, p50Us: 300, maxUs: 700 },
    falseSuspicions: { count: 2, p50Us: 100, maxUs: 150 },
  });
});

it('merges seeds: counts summed, the median of medians, the largest max', () => {
  const seed = (n: number, p50: number, max: number) => ({
    declared: { count: n, p50Us: p50, maxUs: max },
    falseSuspicions: { count: 0 },
  });
  expect(sumDetectorMeasures([seed(1, 100, 100), seed(2, 300, 900), seed(1, 200, 250)])).toEqual({
    declared: { count: 4, p50Us: 200, maxUs: 900 },
    falseSuspicions: { count: 0 },
  });
  expect(sumDetectorMeasures([seed(1, 1, 1), undefined])).toBeUndefined();
});
