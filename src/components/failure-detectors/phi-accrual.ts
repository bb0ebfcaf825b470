/**
 * The phi accrual failure detector (Hayashibara, Défago, Yared & Katayama, "The φ Accrual
 * Failure Detector", SRDS 2004), as Akka and Cassandra run it. Instead of a yes/no, it gives a
 * suspicion level φ = -log10(P(a heartbeat arrives later than now)), where the inter-arrival
 * times are taken as normally distributed with the mean and standard deviation of the last
 * `maxSampleSize` intervals. φ = 1 means a 10% chance the peer is merely late, φ = 8 (the
 * default threshold) 10^-8. So the same threshold adapts to a slow or jittery network: the
 * wider the intervals seen, the longer a silence must be to reach it.
 *
 * Akka's refinements, each an option with a range: `minStdDeviationUs` keeps a very regular
 * heartbeat from making φ jump at the first late one; `acceptableHeartbeatPauseUs` is added to
 * the mean, a pause (a GC, a stall) that is expected and not to be suspected; and
 * `firstHeartbeatEstimateUs` seeds the window so φ means something after the first heartbeat.
 * The normal CDF uses the logistic approximation Akka uses (error under 10^-4).
 *
 * Pure: a state per peer, every time passed in as integer microseconds, no clock read. The
 * window's mean and variance are recomputed from the window at each heartbeat (two passes),
 * never carried as running sums of intervals and of their squares: those sums drift as large
 * intervals enter and leave the window (the squares pass 2^53 and round), and the variance
 * taken as E[x²] - mean² cancels catastrophically, so a link that was once slow would keep a
 * wrong deviation for ever. The heartbeat copies the window anyway, so the passes cost the same
 * order (one copy of the window per heartbeat).
 */
import { type Checked, checkOptions, type Ranges } from './option-ranges.js';

export interface PhiAccrualOptions {
  /** φ at or above which the peer is suspected. */
  readonly threshold: number;
  /** Intervals kept: the sampling window. */
  readonly maxSampleSize: number;
  readonly minStdDeviationUs: number;
  readonly acceptableHeartbeatPauseUs: number;
  /** The interval assumed before any is measured. */
  readonly firstHeartbeatEstimateUs: number;
}

export const PHI_ACCRUAL_RANGES: Ranges<PhiAccrualOptions> = {
  threshold: { min: 0.5, max: 32, integer: false, about: 'suspicion level that suspects' },
  maxSampleSize: { min: 1, max: 100_000, integer: true, about: 'intervals in the window' },
  minStdDeviationUs: {
    min: 1,
    max: 60_000_000,
    integer: true,
    about: 'floor of the deviation, µs',
  },
  acceptableHeartbeatPauseUs: {
    min: 0,
    max: 3_600_000_000,
    integer: true,
    about: 'pause added to the mean, µs',
  },
  firstHeartbeatEstimateUs: {
    min: 1,
    max: 3_600_000_000,
    integer: true,
    about: 'interval assumed before any is measured, µs',
  },
};

/** Akka's defaults (akka.remote.watch-failure-detector), in microseconds. */
export const PHI_ACCRUAL_DEFAULTS: PhiAccrualOptions = {
  threshold: 8,
  maxSampleSize: 1000,
  minStdDeviationUs: 100_000,
  acceptableHeartbeatPauseUs: 3_000_000,
  firstHeartbeatEstimateUs: 1_000_000,
};

/** What the detector knows of one peer: the last heartbeat and the window of intervals. */
export interface PhiAccrualState {
  readonly lastHeartbeatUs: number | undefined;
  /** The last `maxSampleSize` inter-arrival times, oldest first. */
  readonly intervalsUs: readonly number[];
  /** Mean of the window, computed from it. */
  readonly meanUs: number;
  /** Variance of the window (over n, as Akka), computed from it as the mean squared deviation. */
  readonly varianceUs2: number;
}

export interface PhiAccrualDetector {
  readonly options: PhiAccrualOptions;
  initial(): PhiAccrualState;
  heartbeat(state: PhiAccrualState, nowUs: number): PhiAccrualState;
  /** φ at `nowUs`: 0 before the first heartbeat (nothing to be late against). */
  phi(state: PhiAccrualState, nowUs: number): number;
  isSuspected(state: PhiAccrualState, nowUs: number): boolean;
}

export function phiAccrualDetector(
  given: Partial<PhiAccrualOptions> = {},
): Checked<PhiAccrualDetector> {
  const checked = checkOptions(PHI_ACCRUAL_RANGES, PHI_ACCRUAL_DEFAULTS, given);
  if (!checked.ok) return checked;
  const o = checked.value;
  const phi = (s: PhiAccrualState, nowUs: number) => {
    if (s.lastHeartbeatUs === undefined || s.intervalsUs.length === 0) return 0;
    const std = Math.max(Math.sqrt(s.varianceUs2), o.minStdDeviationUs);
    return phiOf(nowUs - s.lastHeartbeatUs, s.meanUs + o.acceptableHeartbeatPauseUs, std);
  };
  return {
    ok: true,
    value: {
      options: o,
      initial: () => ({ lastHeartbeatUs: undefined, intervalsUs: [], meanUs: 0, varianceUs2: 0 }),
      heartbeat: (s, nowUs) => heartbeat(o, s, nowUs),
      phi,
      isSuspected: (s, nowUs) => phi(s, nowUs) >= o.threshold,
    },
  };
}

function heartbeat(o: PhiAccrualOptions, s: PhiAccrualState, nowUs: number): PhiAccrualState {
  if (s.lastHeartbeatUs === undefined) {
    // Akka seeds the window with two intervals around the estimate, so the first φ is sane.
    const est = o.firstHeartbeatEstimateUs;
    const sd = est / 4;
    return withInterval(withInterval(s, est - sd, o, undefined), est + sd, o, nowUs);
  }
  // A heartbeat stamped before the last one (reordered) says nothing new.
  if (nowUs <= s.lastHeartbeatUs) return s;
  return withInterval(s, nowUs - s.lastHeartbeatUs, o, nowUs);
}

/** The state with `us` entered into the window (the oldest left out when it is full). */
function withInterval(
  s: PhiAccrualState,
  us: number,
  o: PhiAccrualOptions,
  lastHeartbeatUs: number | undefined,
): PhiAccrualState {
  const from = s.intervalsUs;
  const drop = from.length >= o.maxSampleSize ? 1 : 0;
  // One copy, of the new length: the kept intervals, then `us`.
  const intervalsUs = new Array<number>(from.length - drop + 1);
  for (let k = drop; k < from.length; k++) intervalsUs[k - drop] = from[k] as number;
  intervalsUs[from.length - drop] = us;
  const { meanUs, varianceUs2 } = windowStats(intervalsUs);
  return { lastHeartbeatUs, intervalsUs, meanUs, varianceUs2 };
}

/**
 * Mean and variance of a non-empty window, two passes: the sum of integer intervals (at most
 * 100,000 of at most an hour each) is exact in a double, and the squared deviations are small
 * numbers summed, with no cancellation.
 */
function windowStats(intervalsUs: readonly number[]): { meanUs: number; varianceUs2: number } {
  const n = intervalsUs.length;
  let sum = 0;
  for (let k = 0; k < n; k++) sum += intervalsUs[k] as number;
  const meanUs = sum / n;
  let squares = 0;
  for (let k = 0; k < n; k++) {
    const d = (intervalsUs[k] as number) - meanUs;
    squares += d * d;
  }
  return { meanUs, varianceUs2: squares / n };
}

/**
 * φ for a silence of `elapsedUs` when intervals are normal with this mean and deviation:
 * -log10(1 - CDF(elapsed)), with Akka's logistic approximation of the CDF, written so that a
 * long silence gives a large finite φ instead of log10(0).
 */
export function phiOf(elapsedUs: number, meanUs: number, stdUs: number): number {
  const y = (elapsedUs - meanUs) / stdUs;
  const e = Math.exp(-y * (1.5976 + 0.070566 * y * y));
  return elapsedUs > meanUs ? -Math.log10(e / (1 + e)) : -Math.log10(1 - 1 / (1 + e));
}
