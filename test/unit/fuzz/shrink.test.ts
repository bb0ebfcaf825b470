/**
 * The shrinker on scenarios of every shape: one without a `faults:` section at all (nothing to
 * materialize, and nothing to delete) still shrinks its phases and clients, and the document it
 * writes parses and fails the same checker.
 */
import { describe, expect, it } from 'vitest';
import { shrinkFailure, yamlText } from '../../../src/fuzz/shrink.js';
import { runSeed } from '../../../src/run/run-seed.js';
import { formatScenarioError, parseScenario } from '../../../src/scenario/index.js';

/** Nine messages in ten are lost and final reads get 60 ms: liveness fails on every seed. */
const NO_FAULTS = `protocol: primary-backup
network: { loss: 0.9 }
workload: { clients: 2, timeout: 20ms }
phases: { faulty: 300ms, healed: 100ms, final: 60ms }
`;

describe('shrinkFailure', () => {
  it('shrinks a scenario that has no faults: key', () => {
    const parsed = parseScenario(NO_FAULTS, 'no-faults.yaml');
    if (!parsed.ok) throw new Error(parsed.errors.map(formatScenarioError).join('\n'));
    const { result } = runSeed(parsed.scenario, 1);
    expect(result.checks.find((c) => c.checker === 'liveness')?.verdict).toBe('violation');

    const outcome = shrinkFailure({
      text: NO_FAULTS,
      file: 'no-faults.yaml',
      seed: 1,
      bugs: [],
      swarm: false,
      faults: result.faults,
      checker: 'liveness',
      runsMax: 20,
    });
    expect(outcome.faultsBefore).toEqual([]);
    expect(outcome.faultyUsAfter).toBeLessThanOrEqual(300_000);
    const text = yamlText(outcome.document);
    const again = parseScenario(text, 'no-faults.yaml');
    if (!again.ok) throw new Error(again.errors.map(formatScenarioError).join('\n'));
    const rerun = runSeed(again.scenario, 1).result;
    expect(rerun.checks.find((c) => c.checker === 'liveness')?.verdict).toBe('violation');
  });
});
