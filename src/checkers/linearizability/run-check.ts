/**
 * The `linearizability` checker of scenario runs: a run's history against the model its workload
 * names (the kv workload's is `kv-list`), split by key, with a state budget rather than a clock
 * so the verdict is as deterministic as the run (a budget that runs out gives `unknown`, naming
 * the key).
 */
import type { History } from '../../core/history.js';
import { formatDuration } from '../../core/time.js';
import type { CheckResult } from '../check-result.js';
import { checkLinearizable } from './check.js';
import { linOpsFromHistory } from './from-history.js';
import type { CheckerDefinition } from '../checker-definition.js';
import type { AnyModel } from './types.js';

/** Configurations one key may explore before the verdict is `unknown`. */
const RUN_STATES_MAX = 2_000_000;

export const linearizabilityChecker: CheckerDefinition = {
  name: 'linearizability',
  summary:
    'what clients saw has a legal sequential order that respects real time (the workload’s model, split by key); a violation names the operation nothing explains',
  appliesTo: 'workloads that name a sequential model',
  fits: (scope) =>
    scope.workload.hasModel
      ? undefined
      : `the ${scope.workload.name} workload names no sequential model`,
  check: (run) => (run.model === undefined ? [] : [checkRunLinearizable(run.history, run.model)]),
};

function checkRunLinearizable(history: History, model: AnyModel): CheckResult {
  const ops = linOpsFromHistory(history);
  const r = checkLinearizable(ops, model, {
    statesMax: RUN_STATES_MAX,
    formatTime: formatDuration,
  });
  const keys = r.partitions.length;
  if (r.verdict === 'ok')
    return {
      checker: 'linearizability',
      verdict: 'ok',
      summary: `${ops.length} operations on ${keys} keys are linearizable`,
    };
  if (r.verdict === 'unknown') {
    return {
      checker: 'linearizability',
      verdict: 'unknown',
      summary: `the search ran out of its budget (${RUN_STATES_MAX} states) on key ${r.failing?.partition}`,
      evidence: r,
    };
  }
  // The evidence's sentence already says times as durations (virtual microseconds).
  const ev = r.evidence!;
  return {
    checker: 'linearizability',
    verdict: 'violation',
    summary: ev.sentence,
    evidence: { ...ev, times: 'virtual microseconds' },
  };
}
