/**
 * The fixed-timeout heartbeat detector: a peer is suspected once no heartbeat has arrived for
 * `timeoutUs` (Chandra & Toueg's unreliable failure detector in its simplest form). It is the
 * baseline phi accrual is measured against: one number to tune, too short for a slow network
 * and it suspects live peers, too long and a dead one goes unnoticed. The answer is binary, and
 * the suspicion level is the silence as a fraction of the timeout.
 *
 * Pure: a state per peer, every time passed in as integer microseconds, no clock read.
 */
import { type Checked, checkOptions, type Ranges } from './option-ranges.js';

export interface FixedTimeoutOptions {
  /** Silence after which the peer is suspected. */
  readonly timeoutUs: number;
}

export const FIXED_TIMEOUT_RANGES: Ranges<FixedTimeoutOptions> = {
  timeoutUs: { min: 1, max: 3_600_000_000, integer: true, about: 'silence before suspicion, µs' },
};

export const FIXED_TIMEOUT_DEFAULTS: FixedTimeoutOptions = { timeoutUs: 1_000_000 };

/** What the detector knows of one peer: when it last heard from it. */
export interface FixedTimeoutState {
  readonly lastHeartbeatUs: number | undefined;
}

export interface FixedTimeoutDetector {
  readonly options: FixedTimeoutOptions;
  /** The state before any heartbeat: a peer never heard from is trusted for a timeout from
   * `startUs` (when the detector started watching it). */
  initial(startUs: number): FixedTimeoutState;
  heartbeat(state: FixedTimeoutState, nowUs: number): FixedTimeoutState;
  /** Silence as a fraction of the timeout: 1 or more means suspected. */
  suspicion(state: FixedTimeoutState, nowUs: number): number;
  isSuspected(state: FixedTimeoutState, nowUs: number): boolean;
}

export function fixedTimeoutDetector(
  given: Partial<FixedTimeoutOptions> = {},
): Checked<FixedTimeoutDetector> {
  const checked = checkOptions(FIXED_TIMEOUT_RANGES, FIXED_TIMEOUT_DEFAULTS, given);
  if (!checked.ok) return checked;
  const options = checked.value;
  const silence = (s: FixedTimeoutState, nowUs: number) =>
    Math.max(0, nowUs - (s.lastHeartbeatUs ?? 0));
  return {
    ok: true,
    value: {
      options,
      initial: (startUs) => ({ lastHeartbeatUs: startUs }),
      heartbeat: (s, nowUs) => ({ lastHeartbeatUs: Math.max(nowUs, s.lastHeartbeatUs ?? nowUs) }),
      suspicion: (s, nowUs) => silence(s, nowUs) / options.timeoutUs,
      isSuspected: (s, nowUs) => silence(s, nowUs) >= options.timeoutUs,
    },
  };
}
