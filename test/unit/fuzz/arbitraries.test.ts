/**
 * The library's fast-check arbitraries, used as a user's vitest suite would use them: for every
 * generated schedule of crashes, pauses and isolating partitions in the faulty phase, synchronous
 * primary/backup loses no acknowledged write. A few runs keep it fast; a failure would shrink
 * to the smallest schedule that loses one.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  faultScheduleArbitrary,
  loadScenario,
  runSeed,
  scenarioArbitrary,
} from '../../../src/index.js';

const base = await loadScenario('scenarios/fast/pb-sync-crash.yaml');

describe('faultScheduleArbitrary', () => {
  it('keeps every fault and its inverse inside the faulty phase, in time order', () => {
    fc.assert(
      fc.property(faultScheduleArbitrary(base, { maxFaults: 8 }), (schedule) => {
        expect(schedule.length).toBeLessThanOrEqual(8);
        for (const f of schedule) {
          expect(f.atUs).toBeGreaterThanOrEqual(0);
          expect(f.atUs + (f.forUs ?? 0)).toBeLessThanOrEqual(base.phases.faultyUs);
        }
        expect(schedule.map((f) => f.atUs)).toEqual(
          [...schedule.map((f) => f.atUs)].sort((a, b) => a - b),
        );
      }),
      { numRuns: 200 },
    );
  });
});

describe('scenarioArbitrary', () => {
  test.prop([scenarioArbitrary(base, { maxFaults: 3 }), fc.nat({ max: 1000 })], { numRuns: 4 })(
    'pb-sync-crash loses no acknowledged write under any generated schedule',
    (scenario, seed) => {
      expect(scenario.faults.nemeses).toEqual([]);
      const { result } = runSeed(scenario, seed);
      expect(result.checks.find((c) => c.checker === 'durability')?.verdict).toBe('ok');
    },
  );
});
