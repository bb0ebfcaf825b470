/**
 * Invariants: no protocol assertion fired during the run (a protocol's `checkInvariants`, or an
 * `assert` in its code), and every property the protocol's cluster observer checks held (Raft's
 * election safety, log matching…), each reported as a check of its own. It is the one checker
 * that judges a run a protocol error cut short: that error is its finding.
 */
import type { ObservedProperty } from '../core/protocol.js';
import { formatDuration } from '../core/time.js';
import type { CheckResult } from './check-result.js';
import type { CheckerDefinition } from './checker-definition.js';

export const invariantsChecker: CheckerDefinition = {
  name: 'invariants',
  summary:
    'no protocol assertion (checkInvariants or assert) fired during the run, and every property the protocol’s observer checks held',
  appliesTo: 'every run',
  fits: () => undefined,
  judgesFailedRuns: true,
  check: (run) => [assertions(run.error), ...run.observed.map(observedCheck)],
};

/** The protocol's own assertions: a run that an assertion ended is a violation. */
export function assertions(error: string | undefined): CheckResult {
  return error === undefined
    ? { checker: 'invariants', verdict: 'ok', summary: 'no assertion fired' }
    : { checker: 'invariants', verdict: 'violation', summary: error };
}

/** A protocol observer's property as a check: each is reported under its own name. */
function observedCheck(p: ObservedProperty): CheckResult {
  if (p.violation !== undefined) {
    const v = p.violation;
    return {
      checker: p.name,
      verdict: 'violation',
      summary: `${v.node} at ${formatDuration(v.atUs)}: ${v.message}`,
      evidence: v,
    };
  }
  return { checker: p.name, verdict: 'ok', summary: `held at ${p.checks} checks` };
}
