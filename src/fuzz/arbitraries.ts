/**
 * fast-check arbitraries over fault schedules, for property tests in a user's own vitest suite
 * (`@fast-check/vitest`'s `test.prop`): "for every schedule of crashes, partitions and pauses in
 * the faulty phase, my protocol loses no acknowledged write". A failing schedule shrinks like
 * any fast-check value, towards fewer and shorter faults.
 *
 * Times are whole milliseconds; every fault and its inverse fall inside the faulty phase. A
 * schedule can take more nodes down than `faults.maxDown` (scheduled faults are deliberate):
 * pass `maxFaults` to keep it small, or check a property that holds whatever a minority does.
 */
import fc from 'fast-check';
import { US_PER_MS } from '../core/time.js';
import type { Scenario } from '../scenario/index.js';
import type { PartitionAction } from '../faults/partition-entry.js';
import type { NodeAction } from '../faults/process-fault.js';
import type { ScheduledFault } from '../sim/faults.js';

export type ScheduleFaultKind = 'crash' | 'pause' | 'partition';

export interface FaultScheduleOptions {
  /** The most faults in one schedule (default 5). */
  readonly maxFaults?: number;
  /** Which kinds to draw (default all three). */
  readonly kinds?: readonly ScheduleFaultKind[];
  /** The shortest fault (default 10 ms). */
  readonly minForMs?: number;
}

export function faultScheduleArbitrary(
  scenario: Scenario,
  options: FaultScheduleOptions = {},
): fc.Arbitrary<ScheduledFault[]> {
  const faultyMs = Math.floor(scenario.phases.faultyUs / US_PER_MS);
  const minForMs = Math.max(1, options.minForMs ?? 10);
  const kinds = options.kinds ?? ['crash', 'pause', 'partition'];
  const lastStartMs = faultyMs - minForMs;
  if (
    lastStartMs < 0 ||
    kinds.length === 0 ||
    (scenario.nodes < 2 && kinds.every((k) => k === 'partition'))
  )
    return fc.constant([]);
  const usable = scenario.nodes < 2 ? kinds.filter((k) => k !== 'partition') : kinds;
  const fault = fc
    .record({
      kind: fc.constantFrom(...usable),
      node: fc.integer({ min: 0, max: scenario.nodes - 1 }),
      atMs: fc.integer({ min: 0, max: lastStartMs }),
      // A share of what is left of the faulty phase, so the inverse comes before it ends.
      forPermille: fc.integer({ min: 0, max: 1000 }),
    })
    .map(({ kind, node, atMs, forPermille }): ScheduledFault => {
      const forMs = minForMs + Math.floor(((faultyMs - atMs - minForMs) * forPermille) / 1000);
      const action: PartitionAction | NodeAction =
        kind === 'partition'
          ? { kind: 'partition', spec: { shape: 'isolate', node } }
          : { kind, node };
      return { atUs: atMs * US_PER_MS, action, forUs: forMs * US_PER_MS };
    });
  return fc
    .array(fault, { maxLength: options.maxFaults ?? 5 })
    .map((faults) => [...faults].sort((a, b) => a.atUs - b.atUs));
}

/** The base scenario with its random nemeses replaced by a generated schedule. */
export function scenarioArbitrary(
  base: Scenario,
  options: FaultScheduleOptions = {},
): fc.Arbitrary<Scenario> {
  return faultScheduleArbitrary(base, options).map((schedule) => ({
    ...base,
    faults: { ...base.faults, schedule, nemeses: [] },
  }));
}
