/**
 * The Raft cluster observer on hand-built states: each of Figure 3's properties is reported when
 * broken and not when it holds, including the case a fuzz sweep of 10,000 seeds showed was easy
 * to get wrong: a candidate paused long enough for later terms to commit entries may still win
 * its old term, and owes nothing to entries committed in higher terms. Then each property
 * against broken copies of the observer (test/support/mutation-suite.ts): the real observer
 * behind a wrapper that breaks one rule as a real mistake would (comparing terms where it must
 * compare logs, forgetting what it saw when a node crashes), over recorded sequences of states.
 */
import { describe, expect, it } from 'vitest';
import type { Entry } from '../../../../src/protocols/raft/messages.js';
import { createRaftObserver } from '../../../../src/protocols/raft/raft-observer.js';
import { freshState, type RaftState } from '../../../../src/protocols/raft/raft-state.js';
import { SessionKv } from '../../../../src/protocols/raft/session-kv.js';
import { type Mutant, mutationSuite, type RecordedCase } from '../../../support/mutation-suite.js';

/** The minimum election timeout the observed nodes run with: 150 ms. */
const TIMEOUT_US = 150_000;

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
  const s = freshState(id, [], 0, new SessionKv());
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
    const o = createRaftObserver(TIMEOUT_US);
    o.observe('n1', node('n1', 3, [], 0, true), 1);
    o.observe('n2', node('n2', 3, [], 0, true), 2);
    expect(violated(o)).toEqual(['election-safety']);
  });

  it('the same (index, term) after different prefixes breaks log matching', () => {
    const o = createRaftObserver(TIMEOUT_US);
    o.observe('n1', node('n1', 2, [entry(1, 1), entry(2, 2)], 0), 1);
    o.observe('n2', node('n2', 2, [entry(1, 1, 999), entry(2, 2)], 0), 2);
    expect(violated(o)).toEqual(['log-matching']);
  });

  it('different entries committed at one index break state-machine safety', () => {
    const o = createRaftObserver(TIMEOUT_US);
    o.observe('n1', node('n1', 2, [entry(1, 1)], 1), 1);
    o.observe('n2', node('n2', 2, [entry(2, 1)], 1), 2);
    expect(violated(o)).toContain('state-machine-safety');
  });

  it('a higher-term leader without an entry committed earlier breaks leader completeness', () => {
    const o = createRaftObserver(TIMEOUT_US);
    o.observe('n1', node('n1', 2, [entry(2, 1)], 1, true), 1);
    o.observe('n3', node('n3', 3, [], 0, true), 2);
    expect(violated(o)).toEqual(['leader-completeness']);
  });

  it('a paused candidate winning an older term owes nothing to entries committed later', () => {
    const o = createRaftObserver(TIMEOUT_US);
    o.observe('n1', node('n1', 2, [entry(2, 1)], 1, true), 1); // term 2 commits index 1
    o.observe('n3', node('n3', 1, [], 0, true), 2); // the term-1 candidate wakes up and wins term 1
    expect(violated(o)).toEqual([]);
    expect(o.results().find((p) => p.name === 'leader-completeness')?.checks).toBe(0);
  });
});

/** One observation: a node's state after a step (undefined: it crashed), at a time. */
type Seen = readonly [node: string, state: RaftState | undefined, atUs: number];
type Property =
  | 'election-safety'
  | 'log-matching'
  | 'leader-completeness'
  | 'state-machine-safety'
  | 'leader-stability';

/**
 * The recorded states rebuilt: an observer marks a log as looked at (`changedFrom`), so every
 * judge, real or broken, must see states no other judge has seen.
 */
const fresh = (steps: readonly Seen[]): Seen[] =>
  steps.map(([id, s, at]): Seen => {
    if (s === undefined) return [id, s, at];
    const entries = s.log.slice(1, s.log.lastIndex);
    const copy = node(id, s.term, entries, s.commitIndex, s.role.kind === 'leader');
    copy.lastHeardUs = s.lastHeardUs;
    if (s.role.kind !== 'leader') copy.role = { ...s.role } as RaftState['role'];
    return [id, copy, at];
  });

/** The real observer's verdict on property `p` after it saw exactly these states. */
function verdictOn(p: Property, steps: readonly Seen[]): string {
  const o = createRaftObserver(TIMEOUT_US);
  for (const [node, s, at] of steps) o.observe(node, s, at);
  return o.results().some((r) => r.name === p && r.violation) ? 'violation' : 'ok';
}

/** The real observer's verdict on property `p` after it saw `steps`. */
const judge = (p: Property) => (steps: readonly Seen[]) => verdictOn(p, fresh(steps));

/** A copy that starts afresh at every crash, forgetting leaders, entries and commits. */
const forgetsOnCrash = (p: Property) => (steps: readonly Seen[]) => {
  let o = createRaftObserver(TIMEOUT_US);
  let broken = false;
  for (const [node, s, at] of fresh(steps)) {
    if (s === undefined) {
      broken ||= o.results().some((r) => r.name === p && r.violation);
      o = createRaftObserver(TIMEOUT_US);
    } else o.observe(node, s, at);
  }
  return broken || o.results().some((r) => r.name === p && r.violation) ? 'violation' : 'ok';
};

/** Each state shown with its log's chain hashes replaced: `chain(log, i)` instead. */
function withChains(
  steps: readonly Seen[],
  chain: (s: RaftState, i: number) => number | undefined,
) {
  return fresh(steps).map(([node, s, at]): Seen => {
    if (s === undefined) return [node, s, at];
    const log = new Proxy(s.log, {
      get: (t, k) => {
        if (k === 'chainAt') return (i: number) => chain(s, i);
        const v = Reflect.get(t, k, t);
        return typeof v === 'function' ? v.bind(t) : v;
      },
    });
    return [node, { ...s, log }, at];
  });
}

/** A copy that compares the terms of entries where it must compare the logs up to them. */
const termsOnly = (p: Property) => (steps: readonly Seen[]) =>
  verdictOn(
    p,
    withChains(steps, (s, i) => s.log.termAt(i)),
  );

/** A copy that checks only that a log reaches an index, not what it holds there. */
const lengthOnly = (p: Property) => (steps: readonly Seen[]) =>
  verdictOn(
    p,
    withChains(steps, (s, i) => (i <= s.log.lastIndex ? 0 : undefined)),
  );

/** A copy that checks each node's first term as leader only. */
const firstLeadershipOnly = (p: Property) => (steps: readonly Seen[]) => {
  const led = new Map<string, number>();
  return judge(p)(
    steps.filter(([node, s]) => {
      if (s?.role.kind !== 'leader') return true;
      const first = led.get(node) ?? s.term;
      led.set(node, first);
      return s.term === first;
    }),
  );
};

const leaderAt = (id: string, term: number, entries: Entry[] = [], commit = 0) =>
  node(id, term, entries, commit, true);

const cases = (
  list: readonly (readonly [name: string, steps: readonly Seen[], verdict: string])[],
): RecordedCase<readonly Seen[]>[] =>
  list.map(([name, input, verdict]) => ({ name, input, verdict }));

const mutants = (
  p: Property,
  list: readonly (readonly [
    mistake: string,
    copy: (p: Property) => (s: readonly Seen[]) => string,
  ])[],
): Mutant<readonly Seen[]>[] => list.map(([mistake, copy]) => ({ mistake, judge: copy(p) }));

mutationSuite(
  'raft observer: election-safety and its broken copies',
  judge('election-safety'),
  cases([
    [
      'leaders of terms 2 and 3',
      [
        ['n1', leaderAt('n1', 2), 1],
        ['n2', leaderAt('n2', 3), 2],
      ],
      'ok',
    ],
    [
      'two leaders of term 3',
      [
        ['n1', leaderAt('n1', 3), 1],
        ['n2', leaderAt('n2', 3), 2],
      ],
      'violation',
    ],
    [
      'the leader of term 3 crashes and another node leads term 3',
      [
        ['n1', leaderAt('n1', 3), 1],
        ['n1', undefined, 2],
        ['n2', leaderAt('n2', 3), 3],
      ],
      'violation',
    ],
    [
      'n1 leads term 2, n2 term 3, then n1 term 3 too',
      [
        ['n1', leaderAt('n1', 2), 1],
        ['n2', leaderAt('n2', 3), 2],
        ['n1', leaderAt('n1', 3), 3],
      ],
      'violation',
    ],
  ]),
  mutants('election-safety', [
    ['forgets the leaders it saw when a node crashes', forgetsOnCrash],
    ['checks each node’s first term as leader only', firstLeadershipOnly],
  ]),
);

mutationSuite(
  'raft observer: log-matching and its broken copies',
  judge('log-matching'),
  cases([
    [
      'two nodes with the same log',
      [
        ['n1', node('n1', 2, [entry(1, 1), entry(2, 2)], 0), 1],
        ['n2', node('n2', 2, [entry(1, 1), entry(2, 2)], 0), 2],
      ],
      'ok',
    ],
    [
      'entry 2 of term 2 after different entries 1 of term 1',
      [
        ['n1', node('n1', 2, [entry(1, 1), entry(2, 2)], 0), 1],
        ['n2', node('n2', 2, [entry(1, 1, 999), entry(2, 2)], 0), 2],
      ],
      'violation',
    ],
    [
      'the same, with a crash of the first node between',
      [
        ['n1', node('n1', 2, [entry(1, 1), entry(2, 2)], 0), 1],
        ['n1', undefined, 2],
        ['n2', node('n2', 2, [entry(1, 1, 999), entry(2, 2)], 0), 3],
      ],
      'violation',
    ],
  ]),
  mutants('log-matching', [
    ['compares the terms at an index, not the logs up to it', termsOnly],
    ['forgets the entries it saw when a node crashes', forgetsOnCrash],
  ]),
);

mutationSuite(
  'raft observer: leader-completeness and its broken copies',
  judge('leader-completeness'),
  cases([
    [
      'the leader of term 3 holds what term 2 committed',
      [
        ['n1', leaderAt('n1', 2, [entry(2, 1)], 1), 1],
        ['n3', leaderAt('n3', 3, [entry(2, 1)]), 2],
      ],
      'ok',
    ],
    [
      'the leader of term 3 has a shorter log than term 2 committed',
      [
        ['n1', leaderAt('n1', 2, [entry(2, 1)], 1), 1],
        ['n3', leaderAt('n3', 3), 2],
      ],
      'violation',
    ],
    [
      'the leader of term 3 holds a different entry where term 2 committed',
      [
        ['n1', leaderAt('n1', 2, [entry(2, 1)], 1), 1],
        ['n3', leaderAt('n3', 3, [entry(1, 1)]), 2],
      ],
      'violation',
    ],
    [
      'term 2 commits, its leader crashes, and term 3 lacks the entry',
      [
        ['n1', leaderAt('n1', 2, [entry(2, 1)], 1), 1],
        ['n1', undefined, 2],
        ['n3', leaderAt('n3', 3), 3],
      ],
      'violation',
    ],
  ]),
  mutants('leader-completeness', [
    ['checks that the new leader’s log is long enough, not what it holds', lengthOnly],
    ['forgets what was committed when a node crashes', forgetsOnCrash],
  ]),
);

mutationSuite(
  'raft observer: state-machine-safety and its broken copies',
  judge('state-machine-safety'),
  cases([
    [
      'two nodes commit the same entry at index 1',
      [
        ['n1', node('n1', 2, [entry(2, 1)], 1), 1],
        ['n2', node('n2', 2, [entry(2, 1)], 1), 2],
      ],
      'ok',
    ],
    [
      'two nodes commit different entries of term 2 at index 1',
      [
        ['n1', node('n1', 2, [entry(2, 1)], 1), 1],
        ['n2', node('n2', 2, [entry(2, 1, 777)], 1), 2],
      ],
      'violation',
    ],
    [
      'n1 commits index 1, crashes, and n2 commits another entry there',
      [
        ['n1', node('n1', 2, [entry(2, 1)], 1), 1],
        ['n1', undefined, 2],
        ['n2', node('n2', 3, [entry(3, 1)], 1), 3],
      ],
      'violation',
    ],
  ]),
  mutants('state-machine-safety', [
    ['compares the terms of committed entries, not the entries', termsOnly],
    ['forgets what was committed when a node crashes', forgetsOnCrash],
  ]),
);

/** A node of term 1 that last heard from its leader at `heardUs`, in the role given. */
function heardAt(id: string, heardUs: number, role: 'follower' | 'precandidate' | 'candidate') {
  const s = node(id, role === 'candidate' ? 2 : 1, [], 0);
  s.lastHeardUs = heardUs;
  if (role === 'follower') s.role = { kind: 'follower', leader: 'n1' };
  else if (role === 'precandidate') s.role = { kind: 'precandidate', grants: new Set([id]) };
  else s.role = { kind: 'candidate', votes: new Set([id]) };
  return s;
}

describe('raft observer: leader-stability', () => {
  it('a node standing for election 5 ms after hearing from its leader breaks it', () => {
    const o = createRaftObserver(TIMEOUT_US);
    o.observe('n2', heardAt('n2', 1_000, 'follower'), 1_000);
    o.observe('n2', heardAt('n2', 1_000, 'candidate'), 6_000);
    expect(o.results().find((p) => p.name === 'leader-stability')?.violation?.message).toBe(
      'stood for election (RequestVote, term 2) 5ms after it last heard from a leader, ' +
        'within the minimum election timeout of 150ms',
    );
  });

  it('an election an election timeout after the last AppendEntries is no finding', () => {
    const o = createRaftObserver(TIMEOUT_US);
    o.observe('n2', heardAt('n2', 1_000, 'follower'), 1_000);
    o.observe('n2', heardAt('n2', 1_000, 'precandidate'), 161_000);
    o.observe('n2', heardAt('n2', 1_000, 'candidate'), 162_000);
    expect(violated(o)).toEqual([]);
    expect(o.results().find((p) => p.name === 'leader-stability')?.checks).toBe(2);
  });
});

/** A copy that remembers when a node first heard from a leader, never the later times. */
const firstHeardOnly = (p: Property) => (steps: readonly Seen[]) => {
  const first = new Map<string, number>();
  return verdictOn(
    p,
    fresh(steps).map(([id, s, at]): Seen => {
      if (s === undefined) return [id, s, at];
      const heard = first.get(id) ?? s.lastHeardUs;
      first.set(id, heard);
      s.lastHeardUs = heard;
      return [id, s, at];
    }),
  );
};

/** A copy that watches RequestVote only, and lets PreVote pass. */
const requestVoteOnly = (p: Property) => (steps: readonly Seen[]) =>
  judge(p)(steps.filter(([, s]) => s?.role.kind !== 'precandidate'));

mutationSuite(
  'raft observer: leader-stability and its broken copies',
  judge('leader-stability'),
  cases([
    [
      'RequestVote 5 ms after the last heartbeat',
      [
        ['n2', heardAt('n2', 1_000, 'follower'), 1_000],
        ['n2', heardAt('n2', 1_000, 'candidate'), 6_000],
      ],
      'violation',
    ],
    [
      'RequestVote an election timeout after the last heartbeat',
      [
        ['n2', heardAt('n2', 1_000, 'follower'), 1_000],
        ['n2', heardAt('n2', 1_000, 'candidate'), 161_000],
      ],
      'ok',
    ],
    [
      'PreVote 5 ms after the last heartbeat',
      [
        ['n2', heardAt('n2', 1_000, 'follower'), 1_000],
        ['n2', heardAt('n2', 1_000, 'precandidate'), 6_000],
      ],
      'violation',
    ],
    [
      'heartbeats at 1 ms and 200 ms, PreVote at 205 ms',
      [
        ['n2', heardAt('n2', 1_000, 'follower'), 1_000],
        ['n2', heardAt('n2', 200_000, 'follower'), 200_000],
        ['n2', heardAt('n2', 200_000, 'precandidate'), 205_000],
      ],
      'violation',
    ],
  ]),
  mutants('leader-stability', [
    ['measures from the first time a node heard from a leader', firstHeardOnly],
    ['watches RequestVote only, not PreVote', requestVoteOnly],
  ]),
);
