/**
 * The narrowing evidence is built with: a galloping binary search for the smallest size whose
 * trial fails, from a hint. With a good hint it costs two trials; a trial that says nothing
 * ("unknown": out of budget or time) never counts as a failure, and then no minimality is claimed.
 */
import { describe, expect, it } from 'vitest';
import {
  smallestFailing,
  type TrialVerdict,
} from '../../../../src/checkers/linearizability/evidence-trials.js';

/** Sizes from `first` up fail; `unknownAt` say nothing. Counts the trials. */
function trials(first: number, unknownAt: readonly number[] = []) {
  const asked: number[] = [];
  const fails = (size: number): TrialVerdict => {
    asked.push(size);
    if (unknownAt.includes(size)) return 'unknown';
    return size >= first ? 'fails' : 'holds';
  };
  return { fails, asked };
}

describe('smallestFailing', () => {
  it('finds the smallest failing size from a good hint in two trials', () => {
    const t = trials(37);
    expect(smallestFailing(0, 100, 37, t.fails)).toEqual({ fails: 37, minimal: true });
    expect(t.asked).toEqual([37, 36]);
  });

  it('finds it from a poor hint or none, above or below, in logarithmically many', () => {
    for (const hint of [0, 1, 20, 60, 99]) {
      const t = trials(37);
      expect(smallestFailing(0, 100, hint, t.fails)).toEqual({ fails: 37, minimal: true });
      expect(t.asked.length).toBeLessThanOrEqual(14);
    }
  });

  it('coarse: stops within a factor of two, on the failing side', () => {
    const t = trials(11);
    const r = smallestFailing(0, 100, 1, t.fails, true);
    expect(r.fails).toBe(16);
    expect(r.minimal).toBe(false);
    expect(t.asked).toEqual([1, 2, 4, 8, 16]);
    expect(smallestFailing(0, 100, 1, trials(1).fails, true)).toEqual({ fails: 1, minimal: true });
  });

  it('never takes an unknown for a failure, and claims no minimality across one', () => {
    const r = smallestFailing(0, 100, 37, trials(37, [36]).fails);
    expect(r).toEqual({ fails: 37, minimal: false });
    const all = smallestFailing(0, 100, 37, () => 'unknown');
    expect(all).toEqual({ fails: 100, minimal: false });
  });
});
