/**
 * The Multi-Paxos observer on hand-made states: two nodes learning different commands for one
 * slot break agreement, a command no client asked for breaks validity, a node learning a slot
 * twice in one life breaks integrity; no-ops are valid, and a crash (and learning the same
 * command again) breaks nothing.
 */
import { describe, expect, it } from 'vitest';
import { type Command, NOOP } from '../../../../src/protocols/multi-paxos/messages.js';
import { createMultiPaxosObserver } from '../../../../src/protocols/multi-paxos/multi-paxos-observer.js';
import {
  freshState,
  type MultiPaxosState,
} from '../../../../src/protocols/multi-paxos/multi-paxos-state.js';

const put = (id: string): Command => ({ cmd: { f: 'put', key: 'k', value: id }, id });

function node(id: string, learned: [number, Command][], requested: string | null = null) {
  const s: MultiPaxosState = freshState(id, 0);
  s.ready = true;
  s.lastRequested = requested;
  s.learned.push(...learned);
  return s;
}

const violated = (o: ReturnType<typeof createMultiPaxosObserver>) =>
  o
    .results()
    .flatMap((r) => (r.violation === undefined ? [] : [`${r.name}: ${r.violation.message}`]));

describe('multi-paxos observer', () => {
  it('holds when every node learns the same commands, no-ops included, across a crash', () => {
    const o = createMultiPaxosObserver();
    o.observe('n1', node('n1', [], 'c1#1'), 1);
    o.observe(
      'n1',
      node('n1', [
        [1, put('c1#1')],
        [2, NOOP],
      ]),
      2,
    );
    o.observe('n2', node('n2', [[1, put('c1#1')]]), 3);
    o.observe('n2', undefined, 4);
    o.observe('n2', node('n2', [[1, put('c1#1')]]), 5);
    expect(violated(o)).toEqual([]);
    expect(o.results().find((r) => r.name === 'agreement')?.checks).toBe(4);
  });

  it('finds two commands learned for one slot', () => {
    const o = createMultiPaxosObserver();
    o.observe('n1', node('n1', [[1, put('c1#1')]], 'c1#1'), 1);
    o.observe('n2', node('n2', [[1, NOOP]]), 2);
    expect(violated(o)).toEqual(['agreement: learned noop for slot 1, where n1 learned c1#1']);
  });

  it('finds a command no client asked for, and a slot learned twice in one life', () => {
    const o = createMultiPaxosObserver();
    o.observe('n1', node('n1', [[1, put('c9#9')]]), 1);
    o.observe('n1', node('n1', [[1, put('c9#9')]]), 2);
    expect(violated(o)).toEqual([
      'validity: learned c9#9 for slot 1, a command no client asked for',
      'integrity: learned slot 1 a second time',
    ]);
  });
});
