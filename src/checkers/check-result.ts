/**
 * What every checker returns: a verdict (`ok`, `violation`, or `unknown` when it could not
 * decide, e.g. a budget ran out or there was nothing to judge), one sentence a person can read,
 * and evidence (the operations, nodes and times) for reports.
 */
export type Verdict = 'ok' | 'violation' | 'unknown';

export interface CheckResult {
  readonly checker: string;
  readonly verdict: Verdict;
  readonly summary: string;
  readonly evidence?: unknown;
}

/** The run's verdict: any violation makes it invalid; else any unknown makes it unknown. */
export function combineVerdicts(results: readonly CheckResult[]): 'valid' | 'invalid' | 'unknown' {
  if (results.some((r) => r.verdict === 'violation')) return 'invalid';
  if (results.some((r) => r.verdict === 'unknown')) return 'unknown';
  return 'valid';
}
