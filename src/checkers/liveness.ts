/**
 * Liveness after healing (TigerBeetle's second phase): once the network is whole and every node
 * is back, the cluster must serve the final reads within the final phase. A safety checker that
 * passes on a cluster that stopped serving proves little, so runs check this too. A run with no
 * final operation to wait for checked nothing, and says so (`unknown`), never `ok`.
 */
import type { CheckResult } from './check-result.js';
import type { CheckerDefinition } from './checker-definition.js';

export const livenessChecker: CheckerDefinition = {
  name: 'liveness',
  summary: 'after faults heal, the final reads complete within the final phase',
  appliesTo: 'workloads with clients (they read the final state)',
  fits: (scope) =>
    scope.workload.hasClients ? undefined : `the ${scope.workload.name} workload has no clients`,
  check: (run) => [checkLiveness(run.finalOpsIncomplete, run.finalOpsTotal)],
};

export function checkLiveness(finalOpsIncomplete: number, finalOpsTotal: number): CheckResult {
  if (finalOpsTotal === 0)
    return {
      checker: 'liveness',
      verdict: 'unknown',
      summary: 'checked nothing: the workload asked for no final operation',
    };
  if (finalOpsIncomplete === 0)
    return {
      checker: 'liveness',
      verdict: 'ok',
      summary: `all ${finalOpsTotal} final operations completed after healing`,
    };
  return {
    checker: 'liveness',
    verdict: 'violation',
    summary:
      `${finalOpsIncomplete} of ${finalOpsTotal} final operations did not complete within the ` +
      'final phase after healing',
    evidence: { finalOpsIncomplete, finalOpsTotal },
  };
}
