/**
 * The `serializability` checker of scenario runs over the bank workload: the run's history as
 * bank transactions (a transfer appends its id to both accounts' lists, a read reads every
 * list: bank.ts), judged by the Elle-style checker (check.ts) plus the balance check. A
 * violation names the first anomaly (G0, G1a, G1b, G1c, G2-item, wrong-balance…) and its cycle.
 */
import type { BankInput, BankOutput } from '../../core/bank-ops.js';
import type { History, Operation } from '../../core/history.js';
import type { CheckResult } from '../check-result.js';
import type { CheckerDefinition } from '../checker-definition.js';
import { type BankTxn, checkBank } from './bank.js';

export const serializabilityChecker: CheckerDefinition = {
  name: 'serializability',
  summary:
    'the transactions clients ran have a serial order that explains every read (Elle’s write-write, write-read and read-write dependencies have no cycle), and every balance matches the transfers its account lists',
  appliesTo: 'bank histories',
  fits: (scope) =>
    scope.workload.name === 'bank' ? undefined : `the ${scope.workload.name} workload is not bank`,
  check: (run) => [checkRunSerializable(run.history)],
};

/** A history operation as the checker's bank transaction (pending ones are unknown: `info`). */
function bankTxn(op: Operation<BankInput, BankOutput>): BankTxn {
  const outcome = op.outcome === 'pending' ? 'info' : op.outcome;
  const base = { index: op.id, process: op.client, outcome } as const;
  const i = op.input;
  if (i.f === 'transfer')
    return { ...base, op: { f: 'transfer', id: i.id, from: i.from, to: i.to, amount: i.amount } };
  const accounts = outcome === 'ok' && op.output !== undefined ? op.output : {};
  return { ...base, op: { f: 'read', accounts } };
}

function checkRunSerializable(history: History): CheckResult {
  const txns = (history as readonly Operation<BankInput, BankOutput>[]).map(bankTxn);
  const r = checkBank(txns);
  if (r.verdict === 'ok')
    return {
      checker: 'serializability',
      verdict: txns.length === 0 ? 'unknown' : 'ok',
      summary:
        txns.length === 0
          ? 'checked nothing: no transactions'
          : `serializable: ${r.committed} committed of ${r.txns} transactions, ${r.edges} dependencies, no cycle`,
    };
  const first = r.anomalies[0];
  return {
    checker: 'serializability',
    verdict: 'violation',
    summary: `${r.anomalyTypes.join(', ')}: ${first?.sentences.join(' ') ?? ''}`,
    evidence: { anomalyTypes: r.anomalyTypes, anomalies: r.anomalies.slice(0, 5) },
  };
}
