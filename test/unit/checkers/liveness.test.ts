/**
 * The liveness checker: every final operation completes after healing; a run with no final
 * operation to wait for checked nothing and says so. Then the checker against broken copies of
 * itself (test/support/mutation-suite.ts): each mutant is `livenessChecker.check` given a run
 * rewritten the way one real mistake would read it.
 */
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../src/checkers/checker-definition.js';
import type { History } from '../../../src/core/history.js';
import { checkLiveness, livenessChecker } from '../../../src/checkers/liveness.js';
import { type Mutant, mutationSuite, type RecordedCase } from '../../support/mutation-suite.js';

describe('liveness checker', () => {
  it('passes when every final operation completed', () => {
    expect(checkLiveness(0, 3)).toMatchObject({
      verdict: 'ok',
      summary: 'all 3 final operations completed after healing',
    });
  });

  it('reports final operations that did not complete', () => {
    expect(checkLiveness(1, 3)).toMatchObject({ verdict: 'violation' });
  });

  it('is unknown when there was no final operation to wait for', () => {
    expect(checkLiveness(0, 0)).toMatchObject({
      verdict: 'unknown',
      summary: 'checked nothing: the workload asked for no final operation',
    });
  });
});

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

/** What liveness reads of a run: how many final operations there were and how many hung. */
interface Finals {
  readonly incomplete: number;
  readonly total: number;
}

const verdictOf = (f: Finals): string => {
  const run = record({ finalOpsIncomplete: f.incomplete, finalOpsTotal: f.total });
  return (livenessChecker.check(run)[0] as { verdict: string }).verdict;
};

const CASES: readonly RecordedCase<Finals>[] = [
  { name: 'all 3 final reads completed', input: { incomplete: 0, total: 3 }, verdict: 'ok' },
  { name: '1 of 3 final reads hung', input: { incomplete: 1, total: 3 }, verdict: 'violation' },
  { name: 'all 3 final reads hung', input: { incomplete: 3, total: 3 }, verdict: 'violation' },
  { name: 'no final reads at all', input: { incomplete: 0, total: 0 }, verdict: 'unknown' },
];

const MUTANTS: readonly Mutant<Finals>[] = [
  {
    mistake: 'is satisfied when some final operation completed',
    judge: (f) => verdictOf(f.incomplete < f.total ? { ...f, incomplete: 0 } : f),
  },
  {
    mistake: 'counts the completed operations as the hung ones',
    judge: (f) => verdictOf({ ...f, incomplete: f.total - f.incomplete }),
  },
  {
    mistake: 'says ok when there was nothing to wait for',
    judge: (f) => (f.total === 0 ? 'ok' : verdictOf(f)),
  },
];

mutationSuite('the liveness checker and its broken copies', verdictOf, CASES, MUTANTS);
