/**
 * The crdt protocol in a scenario file: a data type that does not fit the workload is reported at
 * `options.type`, with the types that fit and a way out, like every other scenario error.
 */
import { describe, expect, it } from 'vitest';
import { formatScenarioError, parseScenario } from '../../../../src/scenario/index.js';

const scenario = (options: string, workload: string) =>
  [
    'protocol: crdt',
    `options: ${options}`,
    `workload: ${workload}`,
    'phases: { faulty: 1s, healed: 1s, final: 1s }',
    '',
  ].join('\n');

function problems(text: string): string[] {
  const r = parseScenario(text, 's.yaml');
  if (r.ok) throw new Error('expected errors, the scenario parsed');
  return r.errors.map(formatScenarioError);
}

describe('crdt scenarios', () => {
  it('parse with a type that fits, and run the convergence checker by default', () => {
    const r = parseScenario(scenario('{ type: pn-counter }', '{ type: counter }'), 's.yaml');
    expect(r.ok && r.scenario.checkers.map((c) => c.name)).toEqual([
      'liveness',
      'convergence',
      'invariants',
    ]);
  });

  it('name a type of another workload at options.type, with the types that fit', () => {
    expect(problems(scenario('{ type: or-set }', '{ type: counter }'))).toEqual([
      's.yaml:2:18 options.type: or-set does not fit the counter workload: expected one of pn-counter, g-counter, or use workload: { type: set } for or-set',
    ]);
  });

  it('name a type that cannot take one of the operations the mix asks for', () => {
    expect(problems(scenario('{ type: g-counter }', '{ type: counter }'))).toEqual([
      "s.yaml:2:18 options.type: g-counter cannot take the counter workload's dec (workload.mix.dec is 1): expected one of pn-counter, or set workload.mix.dec to 0",
    ]);
    const r = parseScenario(
      scenario('{ type: g-counter }', '{ type: counter, mix: { inc: 1, read: 1 } }'),
      's.yaml',
    );
    expect(r.ok).toBe(true);
  });

  it('suggest the nearest type for a typo', () => {
    expect(problems(scenario('{ type: pn-countr }', '{ type: counter }'))).toEqual([
      expect.stringMatching(
        /^s\.yaml:2:18 options\.type: unknown CRDT type "pn-countr": expected one of .* \(did you mean pn-counter\?\)$/,
      ),
    ]);
  });
});
