/**
 * The fixed-timeout detector, driven with explicit times: silent for less than the timeout is
 * trusted, for the timeout or more suspected, a heartbeat restores trust, and a bad timeout is
 * refused.
 */
import { describe, expect, it } from 'vitest';
import { fixedTimeoutDetector } from '../../../../src/components/failure-detectors/fixed-timeout.js';

const d = (() => {
  const r = fixedTimeoutDetector({ timeoutUs: 500 });
  if (!r.ok) throw new Error(r.problems.join('; '));
  return r.value;
})();

describe('fixed-timeout detector', () => {
  it('suspects after exactly the timeout of silence, and a heartbeat clears it', () => {
    let s = d.initial(0);
    s = d.heartbeat(s, 1_000);
    expect(d.isSuspected(s, 1_499)).toBe(false);
    expect(d.isSuspected(s, 1_500)).toBe(true);
    expect(d.suspicion(s, 1_250)).toBe(0.5);
    s = d.heartbeat(s, 1_600);
    expect(d.isSuspected(s, 1_700)).toBe(false);
  });

  it('gives a peer never heard from the timeout from the start', () => {
    const s = d.initial(100);
    expect(d.isSuspected(s, 599)).toBe(false);
    expect(d.isSuspected(s, 600)).toBe(true);
  });

  it('never moves its last heartbeat back for a late, reordered one', () => {
    const s = d.heartbeat(d.heartbeat(d.initial(0), 1_000), 900);
    expect(s.lastHeartbeatUs).toBe(1_000);
  });

  it('refuses a timeout out of range', () => {
    const r = fixedTimeoutDetector({ timeoutUs: 0 });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.problems[0]).toBe(
        'timeoutUs: expected an integer from 1 to 3600000000 (silence before suspicion, µs), got 0',
      );
  });
});
