/**
 * A test-only checker, to show that a checker is one module plus one registry entry: after
 * healing, the final read of the register must not return a value that an acknowledged write
 * had already replaced, nor `nil` once any write was acknowledged. It is a necessary condition
 * of linearizability that a person can check by eye, and it names the write that was lost.
 */
import type { CheckResult } from '../../src/checkers/check-result.js';
import type { CheckerDefinition } from '../../src/checkers/checker-definition.js';
import type { Operation } from '../../src/core/history.js';
import type { ToyInput, ToyOutput } from './toy-writes.js';

type Op = Operation<ToyInput, ToyOutput>;

function check(history: readonly Op[], formatOp: (op: Op) => string): CheckResult {
  const name = 'last-write-survives';
  const final = history.find((op) => op.phase === 'final' && op.outcome === 'ok');
  if (final === undefined)
    return { checker: name, verdict: 'unknown', summary: 'no final read completed' };
  const acked = history.filter((op) => op.input.f === 'write' && op.outcome === 'ok');
  const seen = final.output?.value ?? null;
  const writer = history.find((op) => op.input.f === 'write' && op.input.value === seen);
  // The read may return any write not definitely followed by an acknowledged one.
  const replaced = acked.find(
    (w) => writer === undefined || (writer.completeUs ?? Infinity) < w.invokeUs,
  );
  if (replaced === undefined || (seen === null && acked.length === 0)) {
    return { checker: name, verdict: 'ok', summary: `the final read saw ${formatOp(final)}` };
  }
  return {
    checker: name,
    verdict: 'violation',
    summary: `${formatOp(final)} after ${formatOp(replaced)} was acknowledged: the write was lost`,
    evidence: { final: final.id, lost: replaced.id },
  };
}

export const lastWriteSurvives: CheckerDefinition = {
  name: 'last-write-survives',
  summary: 'the final read returns the last acknowledged write (or one that may follow it)',
  appliesTo: 'toy-writes histories',
  fits: (scope) =>
    scope.workload.name === 'toy-writes' ? undefined : 'it reads toy-writes histories',
  check: (run) => [check(run.history as readonly Op[], run.formatOp as (op: Op) => string)],
};
