/**
 * The limits that bound a run's memory, not just its events: the history's length and size, the
 * events waiting in the queue, the fault log. Each is named in the scenario's `limits:`, has a
 * default far above what shipped scenarios use, and a run that reaches one stops with a status
 * that names it; liveness, which such a run cannot judge, is `unknown` and says why.
 */
import { describe, expect, it } from 'vitest';
import { runSeed } from '../../../src/run/run-seed.js';
import { formatScenarioError, parseScenario, type Scenario } from '../../../src/scenario/index.js';

function scenario(text: string): Scenario {
  const r = parseScenario(text, 'limits.yaml');
  if (!r.ok) throw new Error(r.errors.map(formatScenarioError).join('\n'));
  return r.scenario;
}

const RAFT = `protocol: raft
workload: { type: kv, clients: 3, keys: 2, mix: { get: 1, append: 3 }, think: 1ms }
phases: { faulty: 3s, healed: 500ms, final: 1s }
`;

describe('default limits', () => {
  it('every resource a run holds has a named default', () => {
    expect(scenario('protocol: raft\n').limits).toEqual({
      eventsMax: 20_000_000,
      virtualTimeUsMax: 28_000_000,
      pendingEventsMax: 1_000_000,
      historyOpsMax: 20_000,
      historyBytesMax: 64 * 1024 * 1024,
      faultRecordsMax: 50_000,
    });
  });
});

describe('a run that reaches a limit says which', () => {
  it.each([
    ['historyOps: 50', 'history-ops-limit', 'limits.historyOps'],
    ['historyBytes: 5000', 'history-bytes-limit', 'limits.historyBytes'],
    ['pendingEvents: 20', 'pending-events-limit', 'limits.pendingEvents'],
    ['events: 2000', 'event-limit', 'limits.events'],
  ])('limits: { %s } ends the run with %s', (limit, status, name) => {
    const { result } = runSeed(scenario(`${RAFT}limits: { ${limit} }\n`), 1);
    expect(result.status).toBe(status);
    const liveness = result.checks.find((c) => c.checker === 'liveness');
    expect(liveness?.verdict).toBe('unknown');
    expect(liveness?.summary).toContain(name);
    expect(result.verdict).not.toBe('valid');
  });

  it('limits: { faultRecords: 5 } ends the run with fault-records-limit', () => {
    const s = scenario(
      `${RAFT}faults: { random: [{ kind: pause, every: 20ms, for: 5ms }] }\nlimits: { faultRecords: 5 }\n`,
    );
    const { result } = runSeed(s, 1);
    expect(result.status).toBe('fault-records-limit');
    expect(result.faults.length).toBeLessThanOrEqual(6);
  });

  it('the history stops growing at the limit', () => {
    const { result, history } = runSeed(scenario(`${RAFT}limits: { historyOps: 50 }\n`), 1);
    expect(history.length).toBeLessThanOrEqual(50);
    expect(result.endUs).toBeLessThan(3_000_000);
  });
});
