/**
 * The phi accrual detector, driven with explicit times: φ grows with silence, a steady heartbeat
 * (with jitter) never reaches the threshold, a long pause does, a pause within the acceptable
 * one does not, a jittery history tolerates more silence than a regular one, and options out of
 * their ranges are refused with one message each.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  PHI_ACCRUAL_DEFAULTS,
  type PhiAccrualDetector,
  phiAccrualDetector,
  type PhiAccrualState,
  phiOf,
} from '../../../../src/components/failure-detectors/phi-accrual.js';
import { Prng } from '../../../../src/core/prng.js';

const MS = 1000;

function detector(options: Parameters<typeof phiAccrualDetector>[0] = {}): PhiAccrualDetector {
  const d = phiAccrualDetector(options);
  if (!d.ok) throw new Error(d.problems.join('; '));
  return d.value;
}

/** Heartbeats every `everyUs` (± `jitterUs`) from 0 to `untilUs`; the state and the last time. */
function beat(d: PhiAccrualDetector, everyUs: number, jitterUs: number, untilUs: number) {
  const r = new Prng('phi-test');
  let s: PhiAccrualState = d.initial();
  let t = 0;
  let maxPhi = 0;
  while (t <= untilUs) {
    s = d.heartbeat(s, t);
    const next = t + everyUs + (jitterUs > 0 ? r.int(-jitterUs, jitterUs) : 0);
    // The worst moment: just before the next heartbeat arrives.
    maxPhi = Math.max(maxPhi, d.phi(s, next - 1));
    t = next;
  }
  return { s, last: t - 0, maxPhi };
}

/** Mean and (population) deviation computed directly, for comparison. */
function twoPass(xs: readonly number[]): { mean: number; std: number } {
  const mean = xs.reduce((a, x) => a + x, 0) / xs.length;
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / xs.length;
  return { mean, std: Math.sqrt(variance) };
}

describe('phi accrual detector', () => {
  // A window of 50 intervals: the seeded first estimate (1 s) has left it after 5 s of beats.
  const d = detector({
    acceptableHeartbeatPauseUs: 0,
    minStdDeviationUs: 10 * MS,
    maxSampleSize: 50,
  });

  it('is 0 before the first heartbeat, and grows with silence after the last', () => {
    expect(d.phi(d.initial(), 5_000 * MS)).toBe(0);
    const { s } = beat(d, 100 * MS, 5 * MS, 10_000 * MS);
    const last = s.lastHeartbeatUs!;
    const phis = [0, 50, 100, 150, 200, 400].map((ms) => d.phi(s, last + ms * MS));
    for (let i = 1; i < phis.length; i++) expect(phis[i]!).toBeGreaterThan(phis[i - 1]!);
    expect(phis[0]!).toBeLessThan(0.01);
  });

  it('never reaches the threshold under a steady heartbeat with jitter', () => {
    const { maxPhi } = beat(d, 100 * MS, 10 * MS, 60_000 * MS);
    expect(maxPhi).toBeLessThan(d.options.threshold);
  });

  it('crosses the threshold on a long pause, and suspects', () => {
    const { s } = beat(d, 100 * MS, 10 * MS, 10_000 * MS);
    const last = s.lastHeartbeatUs!;
    expect(d.isSuspected(s, last + 150 * MS)).toBe(false);
    expect(d.isSuspected(s, last + 1_000 * MS)).toBe(true);
    expect(d.phi(s, last + 1_000 * MS)).toBeGreaterThan(d.options.threshold);
  });

  it('does not suspect a pause within acceptableHeartbeatPauseUs', () => {
    const tolerant = detector({ acceptableHeartbeatPauseUs: 3_000 * MS });
    const { s } = beat(tolerant, 100 * MS, 10 * MS, 10_000 * MS);
    expect(tolerant.isSuspected(s, s.lastHeartbeatUs! + 2_500 * MS)).toBe(false);
    expect(tolerant.isSuspected(s, s.lastHeartbeatUs! + 5_000 * MS)).toBe(true);
  });

  it('tolerates a longer silence after a jittery history than after a regular one', () => {
    const regular = beat(d, 100 * MS, 0, 10_000 * MS).s;
    const jittery = beat(d, 100 * MS, 60 * MS, 10_000 * MS).s;
    const at = (s: PhiAccrualState) => d.phi(s, s.lastHeartbeatUs! + 250 * MS);
    expect(at(jittery)).toBeLessThan(at(regular));
  });

  it('keeps only the last maxSampleSize intervals', () => {
    const small = detector({ maxSampleSize: 10 });
    const { s } = beat(small, 100 * MS, 0, 5_000 * MS);
    expect(s.intervalsUs).toHaveLength(10);
    expect(s.meanUs).toBe(100 * MS);
    expect(s.varianceUs2).toBe(0);
  });

  it('property: the state is the last maxSampleSize intervals (seeds first), stats afresh', () => {
    const est = 1_000 * MS + 2; // a quarter of it is fractional: the seeds are not integers
    const times = fc.array(fc.integer({ min: 1, max: 5_000 * MS }), {
      minLength: 1,
      maxLength: 40,
    });
    const size = fc.integer({ min: 1, max: 12 });
    fc.assert(
      fc.property(times, size, (gaps, max) => {
        const det = detector({ maxSampleSize: max, firstHeartbeatEstimateUs: est });
        let s = det.initial();
        let t = 0;
        const all = [est - est / 4, est + est / 4];
        for (const [k, gap] of gaps.entries()) {
          t += k === 0 ? 0 : gap;
          s = det.heartbeat(s, t);
          if (k > 0) all.push(gap);
          const window = all.slice(-max);
          const meanUs = window.reduce((a, x) => a + x, 0) / window.length;
          const squares = window.reduce((a, x) => a + (x - meanUs) * (x - meanUs), 0);
          expect(s).toEqual({
            lastHeartbeatUs: t,
            intervalsUs: window,
            meanUs,
            varianceUs2: squares / window.length,
          });
        }
      }),
      { numRuns: 200, seed: 3 },
    );
  });

  it('keeps the variance of the window after huge intervals have left it', () => {
    // Running sums of intervals and squares drift here: the hour-long intervals' squares
    // (~1.3e19) round, and what is left after they leave swamps a variance of 17 µs².
    const fine = detector({ minStdDeviationUs: 1, acceptableHeartbeatPauseUs: 0 });
    let s = fine.initial();
    let t = 0;
    for (let i = 0; i < 5_000; i++) {
      t += 3_600_000_000 - ((i * 7919) % 1_000_003);
      s = fine.heartbeat(s, t);
    }
    for (let i = 0; i < 2_000; i++) {
      t += 100 * MS + 5 * (i % 3);
      s = fine.heartbeat(s, t);
    }
    const { mean, std } = twoPass(s.intervalsUs);
    expect(std).toBeCloseTo(5 * Math.sqrt(2 / 3), 1); // intervals of 100 ms + 0, 5 or 10 µs
    for (const lateUs of [0, 5, 10, 15]) {
      const elapsed = 100 * MS + lateUs;
      expect(fine.phi(s, t + elapsed)).toBeCloseTo(phiOf(elapsed, mean, std), 6);
    }
  });

  it('ignores a heartbeat stamped before the last one', () => {
    let s = d.heartbeat(d.initial(), 1_000 * MS);
    s = d.heartbeat(s, 1_100 * MS);
    expect(d.heartbeat(s, 1_050 * MS)).toBe(s);
  });

  it("matches phi's definition: 1 at one deviation ~0.8 and 10% tail near 1.28", () => {
    expect(phiOf(100, 100, 10)).toBeCloseTo(0.301, 2); // half the mass is later: -log10(0.5)
    expect(phiOf(112.8, 100, 10)).toBeCloseTo(1, 1); // 10% of arrivals are later than μ + 1.28σ
  });

  it('refuses options out of their ranges, naming each', () => {
    const r = phiAccrualDetector({ threshold: 0, maxSampleSize: 1.5 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual([
      'threshold: expected a number from 0.5 to 32 (suspicion level that suspects), got 0',
      'maxSampleSize: expected an integer from 1 to 100000 (intervals in the window), got 1.5',
    ]);
  });

  it("defaults to Akka's settings", () => {
    expect(detector().options).toEqual(PHI_ACCRUAL_DEFAULTS);
    expect(PHI_ACCRUAL_DEFAULTS.threshold).toBe(8);
  });
});
