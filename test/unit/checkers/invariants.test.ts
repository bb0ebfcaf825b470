/**
 * The invariants checker: a run a protocol assertion cut short is a violation, and each property
 * of the protocol's cluster observer is reported as a check of its own. Then the checker against
 * broken copies of itself (test/support/mutation-suite.ts): each mutant is
 * `invariantsChecker.check` given a run rewritten the way one real mistake would read it.
 */
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../src/checkers/checker-definition.js';
import type { History } from '../../../src/core/history.js';
import { invariantsChecker } from '../../../src/checkers/invariants.js';
import type { ObservedProperty } from '../../../src/core/protocol.js';
import { type Mutant, mutationSuite, type RecordedCase } from '../../support/mutation-suite.js';

/** A run record with nothing in it but what a test sets. */
const record = (fields: Partial<RunRecord>): RunRecord => ({
  history: [] as History,
  model: undefined,
  formatOp: (op) => op.f,
  finalOpsTotal: 0,
  finalOpsIncomplete: 0,
  observed: [],
  error: undefined,
  ...fields,
});

/** What invariants reads of a run: the error that ended it, and the observer's properties. */
interface Judged {
  readonly error: string | undefined;
  readonly observed: readonly ObservedProperty[];
}

/** Every result the checker reports, as `name:verdict`, in order. */
const verdictOf = (j: Judged): string =>
  invariantsChecker
    .check(record(j))
    .map((r) => `${r.checker}:${r.verdict}`)
    .join(' ');

const held = (name: string): ObservedProperty => ({ name, checks: 7 });
const broken = (name: string): ObservedProperty => ({
  name,
  checks: 7,
  violation: { atUs: 1500, node: 'n2', message: 'became leader of term 3, which n1 already led' },
});

describe('invariants checker', () => {
  it('reports the assertion that ended a run, and each observed property under its name', () => {
    const results = invariantsChecker.check(
      record({
        error: 'assertion failed: n1: commitIndex 4 beyond the log end 3',
        observed: [held('log-matching'), broken('election-safety')],
      }),
    );
    expect(results.map((r) => [r.checker, r.verdict, r.summary])).toEqual([
      ['invariants', 'violation', 'assertion failed: n1: commitIndex 4 beyond the log end 3'],
      ['log-matching', 'ok', 'held at 7 checks'],
      [
        'election-safety',
        'violation',
        'n2 at 1.5ms: became leader of term 3, which n1 already led',
      ],
    ]);
  });
});

const CASES: readonly RecordedCase<Judged>[] = [
  {
    name: 'a clean run',
    input: { error: undefined, observed: [held('election-safety'), held('log-matching')] },
    verdict: 'invariants:ok election-safety:ok log-matching:ok',
  },
  {
    name: 'an assertion ended the run',
    input: { error: 'assertion failed: n1 asked to overwrite committed index 4', observed: [] },
    verdict: 'invariants:violation',
  },
  {
    name: 'the second observed property broke',
    input: { error: undefined, observed: [held('election-safety'), broken('log-matching')] },
    verdict: 'invariants:ok election-safety:ok log-matching:violation',
  },
];

const MUTANTS: readonly Mutant<Judged>[] = [
  {
    mistake: 'ignores the assertion that cut the run short',
    judge: (j) => verdictOf({ ...j, error: undefined }),
  },
  {
    mistake: 'never reports the observer’s properties',
    judge: (j) => verdictOf({ ...j, observed: [] }),
  },
  {
    mistake: 'counts a property as held because it was checked',
    judge: (j) => verdictOf({ ...j, observed: j.observed.map((p) => held(p.name)) }),
  },
  {
    mistake: 'reports only the first observed property',
    judge: (j) => verdictOf({ ...j, observed: j.observed.slice(0, 1) }),
  },
];

mutationSuite('the invariants checker and its broken copies', verdictOf, CASES, MUTANTS);
