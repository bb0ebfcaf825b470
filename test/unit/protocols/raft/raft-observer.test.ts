/**
 * The Raft cluster observer on hand-built states: each of Figure 3's properties is reported when
 * broken and not when it holds, including the case a fuzz sweep of 10,000 seeds showed was easy
 * to get wrong: a candidate paused long enough for later terms to commit entries may still win
 * its old term, and owes nothing to entries committed in higher terms.
 */
import { describe, expect, it } from 'vitest';
import type { Entry } from '../../../../src/protocols/raft/messages.js';
import { createRaftObserver } from '../../../../src/protocols/raft/raft-observer.js';
import { freshState, type RaftState } from '../../../../src/protocols/raft/raft-state.js';

const entry = (term: number, index: number, digest = term * 100 + index): Entry => ({
  term,
  index,
  digest,
  cmd: { f: 'noop' },
});

function node(
  id: string,
  term: number,
  entries: Entry[],
  commitIndex: number,
  leader = false,
): RaftState {
  const s = freshState(id, [], 0);
  s.term = term;
  for (const e of entries) s.log.append(e);
  s.commitIndex = commitIndex;
  if (leader)
    s.role = {
      kind: 'leader',
      since: 0,
      nextIndex: new Map(),
      matchIndex: new Map(),
      lastAckUs: new Map(),
      probeAcked: new Map(),
      probe: 0,
      noopIndex: entries.length,
      waiting: new Map(),
      reads: [],
      appendedAt: new Map(),
    };
  return s;
}

const violated = (o: ReturnType<typeof createRaftObserver>) =>
  o
    .results()
    .filter((p) => p.violation !== undefined)
    .map((p) => p.name);

describe('raft observer', () => {
  it('two leaders of one term break election safety', () => {
    const o = createRaftObserver();
    o.observe('n1', node('n1', 3, [], 0, true), 1);
    o.observe('n2', node('n2', 3, [], 0, true), 2);
    expect(violated(o)).toEqual(['election-safety']);
  });

  it('the same (index, term) after different prefixes breaks log matching', () => {
    const o = createRaftObserver();
    o.observe('n1', node('n1', 2, [entry(1, 1), entry(2, 2)], 0), 1);
    o.observe('n2', node('n2', 2, [entry(1, 1, 999), entry(2, 2)], 0), 2);
    expect(violated(o)).toEqual(['log-matching']);
  });

  it('different entries committed at one index break state-machine safety', () => {
    const o = createRaftObserver();
    o.observe('n1', node('n1', 2, [entry(1, 1)], 1), 1);
    o.observe('n2', node('n2', 2, [entry(2, 1)], 1), 2);
    expect(violated(o)).toContain('state-machine-safety');
  });

  it('a higher-term leader without an entry committed earlier breaks leader completeness', () => {
    const o = createRaftObserver();
    o.observe('n1', node('n1', 2, [entry(2, 1)], 1, true), 1);
    o.observe('n3', node('n3', 3, [], 0, true), 2);
    expect(violated(o)).toEqual(['leader-completeness']);
  });

  it('a paused candidate winning an older term owes nothing to entries committed later', () => {
    const o = createRaftObserver();
    o.observe('n1', node('n1', 2, [entry(2, 1)], 1, true), 1); // term 2 commits index 1
    o.observe('n3', node('n3', 1, [], 0, true), 2); // the term-1 candidate wakes up and wins term 1
    expect(violated(o)).toEqual([]);
    expect(o.results().find((p) => p.name === 'leader-completeness')?.checks).toBe(0);
  });
});
