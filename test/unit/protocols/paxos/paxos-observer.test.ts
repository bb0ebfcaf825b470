/**
 * The Paxos observer on hand-made states: two nodes learning different values for one instance
 * break agreement, a value no client asked for breaks validity, a node learning an older
 * instance after a newer one breaks integrity; a crash (and re-learning the same value) does not.
 */
import { describe, expect, it } from 'vitest';
import type { Committed } from '../../../../src/protocols/paxos/messages.js';
import { createPaxosObserver } from '../../../../src/protocols/paxos/paxos-observer.js';
import { freshState, type PaxosState } from '../../../../src/protocols/paxos/paxos-state.js';

function node(id: string, committed: Committed, requested: number | null = null): PaxosState {
  const s = freshState(id, 0);
  s.ready = true;
  s.lastRequested = requested;
  s.registers.set('k', { promised: 0, accepted: null, committed });
  return s;
}

const violated = (o: ReturnType<typeof createPaxosObserver>) =>
  o
    .results()
    .flatMap((r) => (r.violation === undefined ? [] : [`${r.name}: ${r.violation.message}`]));

describe('paxos observer', () => {
  it('holds when every node learns the same value, across a crash', () => {
    const o = createPaxosObserver();
    o.observe('n1', node('n1', { instance: 0, value: null }, 7), 1);
    o.observe('n1', node('n1', { instance: 1, value: 7 }), 2);
    o.observe('n2', node('n2', { instance: 1, value: 7 }), 3);
    o.observe('n2', undefined, 4);
    o.observe('n2', node('n2', { instance: 1, value: 7 }), 5);
    expect(violated(o)).toEqual([]);
    expect(o.results().find((r) => r.name === 'agreement')?.checks).toBe(3);
  });

  it('finds two values learned for one instance', () => {
    const o = createPaxosObserver();
    o.observe('n1', node('n1', { instance: 0, value: null }, 7), 1);
    o.observe('n2', node('n2', { instance: 0, value: null }, 8), 1);
    o.observe('n1', node('n1', { instance: 1, value: 7 }), 2);
    o.observe('n2', node('n2', { instance: 1, value: 8 }), 3);
    expect(violated(o)).toEqual(['agreement: learned 8 for instance 1 of k, where n1 learned 7']);
  });

  it('finds a value no client asked for, and an instance learned after a newer one', () => {
    const o = createPaxosObserver();
    const s = node('n1', { instance: 2, value: 9 });
    o.observe('n1', s, 1);
    s.registers.set('k', { promised: 0, accepted: null, committed: { instance: 1, value: 9 } });
    o.observe('n1', s, 2);
    expect(violated(o)).toEqual([
      'validity: learned 9 for instance 2 of k, a value no client asked for',
      'integrity: learned instance 1 of k (value 9) after it had learned instance 2 (value 9)',
    ]);
  });
});
