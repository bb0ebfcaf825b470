/**
 * The `linearizability` checker of scenario runs: a run's kv history against the `kv-list`
 * model, split by key, with a state budget rather than a clock so the verdict is as
 * deterministic as the run (a budget that runs out gives `unknown`, naming the key).
 */
import type { History } from '../../core/history.js';
import { formatDuration } from '../../core/time.js';
import type { CheckResult } from '../check-result.js';
import { checkLinearizable } from './check.js';
import { linOpsFromHistory } from './from-history.js';
import { kvListModel } from './models/index.js';

/** Configurations one key may explore before the verdict is `unknown`. */
export const RUN_STATES_MAX = 2_000_000;

export function checkRunLinearizable(history: History): CheckResult {
  const ops = linOpsFromHistory(history);
  const r = checkLinearizable(ops, kvListModel, {
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
