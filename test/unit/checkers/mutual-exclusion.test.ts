/**
 * The mutual-exclusion checker on recorded lock histories, and against broken copies of itself
 * (test/support/mutation-suite.ts): each mutant rewrites what the checker is given the way a
 * real mistake would (rejected writes counted as taken, writes judged in token order instead of
 * the store's, grants or acknowledgements ignored, keys run together), and some recorded case
 * must get a different verdict from it.
 */
import { describe, expect, it } from 'vitest';
import { checkMutualExclusion } from '../../../src/checkers/mutual-exclusion.js';
import type { History, Operation } from '../../../src/core/history.js';
import type { LockInput, StoreEntry } from '../../../src/core/lock-ops.js';
import { type Mutant, mutationSuite, type RecordedCase } from '../../support/mutation-suite.js';

let nextId = 0;

function op(
  input: LockInput,
  output: unknown,
  at: number,
  outcome: 'ok' | 'fail' = 'ok',
): Operation {
  return {
    id: nextId++,
    client: 'c1',
    f: input.f,
    input,
    output,
    invokeUs: at,
    completeUs: at + 10,
    outcome,
    phase: input.f === 'audit' ? 'final' : 'faulty',
  };
}

const acquire = (owner: string, token: number, at: number, lock = 'lock0') =>
  op({ f: 'acquire', lock, owner, ttlMs: 100 }, { token }, at);
const write = (owner: string, value: string, at: number, lock = 'lock0') =>
  op({ f: 'write', lock, owner, value, workMs: 1 }, null, at);
const entry = (owner: string, token: number, value: string, accepted = true, key = 'lock0') =>
  ({ key, owner, token, value, accepted }) satisfies StoreEntry;
const audit = (entries: StoreEntry[]) => op({ f: 'audit' }, { entries }, 10_000);

const verdict = (h: History) => checkMutualExclusion({ history: h }).verdict;

const CASES: readonly RecordedCase<History>[] = [
  {
    name: 'two leases one after the other',
    input: [
      acquire('c1.1', 1, 0),
      write('c1.1', 'c1.1.w1', 20),
      acquire('c2.1', 2, 200),
      write('c2.1', 'c2.1.w1', 220),
      audit([entry('c1.1', 1, 'c1.1.w1'), entry('c2.1', 2, 'c2.1.w1')]),
    ],
    verdict: 'ok',
  },
  {
    name: 'a stale write the fenced store refused',
    input: [
      acquire('c1.1', 1, 0),
      acquire('c2.1', 2, 200),
      write('c2.1', 'c2.1.w1', 220),
      audit([entry('c2.1', 2, 'c2.1.w1'), entry('c1.1', 1, 'c1.1.w1', false)]),
    ],
    verdict: 'ok',
  },
  {
    name: 'a paused holder writing after the next one (unfenced)',
    input: [
      acquire('c1.1', 1, 0),
      acquire('c2.1', 2, 200),
      audit([entry('c2.1', 2, 'c2.1.w1'), entry('c1.1', 1, 'c1.1.w1')]),
    ],
    verdict: 'violation',
  },
  {
    name: "one holder's writes split by another's",
    input: [
      audit([
        entry('c1.1', 1, 'c1.1.w1'),
        entry('c2.1', 2, 'c2.1.w1'),
        entry('c1.1', 1, 'c1.1.w2'),
      ]),
    ],
    verdict: 'violation',
  },
  {
    name: 'two holders under one token',
    input: [audit([entry('c1.1', 3, 'c1.1.w1'), entry('c2.1', 3, 'c2.1.w1')])],
    verdict: 'violation',
  },
  {
    name: 'a token granted again after a restart',
    input: [acquire('c1.1', 5, 0), acquire('c2.1', 1, 500), audit([])],
    verdict: 'violation',
  },
  {
    name: 'an acknowledged write missing from the audit',
    input: [acquire('c1.1', 1, 0), write('c1.1', 'c1.1.w1', 20), audit([])],
    verdict: 'violation',
  },
  {
    name: 'two locks, each in order',
    input: [
      audit([
        entry('c1.1', 2, 'c1.1.w1', true, 'lock0'),
        entry('c2.1', 1, 'c2.1.w1', true, 'lock1'),
        entry('c1.1', 2, 'c1.1.w2', true, 'lock0'),
      ]),
    ],
    verdict: 'ok',
  },
  { name: 'no audit', input: [acquire('c1.1', 1, 0)], verdict: 'unknown' },
];

const mapAudit = (h: History, f: (e: StoreEntry[]) => StoreEntry[]): History =>
  h.map((o) =>
    o.input && (o.input as LockInput).f === 'audit'
      ? { ...o, output: { entries: f([...(o.output as { entries: StoreEntry[] }).entries]) } }
      : o,
  );

const MUTANTS: readonly Mutant<History>[] = [
  {
    mistake: 'counts a rejected write as taken',
    judge: (h) => verdict(mapAudit(h, (es) => es.map((e) => ({ ...e, accepted: true })))),
  },
  {
    mistake: "judges writes in token order instead of the store's order",
    judge: (h) => verdict(mapAudit(h, (es) => es.sort((a, b) => a.token - b.token))),
  },
  {
    mistake: 'ignores the grants in the history',
    judge: (h) => verdict(h.filter((o) => (o.input as LockInput).f !== 'acquire')),
  },
  {
    mistake: 'ignores acknowledged writes',
    judge: (h) => verdict(h.filter((o) => (o.input as LockInput).f !== 'write')),
  },
  {
    mistake: 'runs every key together',
    judge: (h) => verdict(mapAudit(h, (es) => es.map((e) => ({ ...e, key: 'lock0' })))),
  },
];

mutationSuite('mutual-exclusion', verdict, CASES, MUTANTS);

describe('mutual-exclusion findings', () => {
  it('names the stale write and the lease it came after', () => {
    const r = checkMutualExclusion({ history: CASES[2]?.input as History });
    expect(r.summary).toMatch(
      /took c1\.1's write c1\.1\.w1 with token 1 after c2\.1's with token 2/,
    );
  });

  it('counts the writes taken and refused', () => {
    const r = checkMutualExclusion({ history: CASES[1]?.input as History });
    expect(r.evidence).toMatchObject({ accepted: 1, rejected: 1, grants: 2 });
  });
});
