/**
 * faultline's own histories (what clients of a simulated run saw) as operations for the search:
 * `fail` operations definitely did not happen and are dropped; `info` operations may or may not
 * have happened and stay open to the end; times are the virtual microseconds of invocation and
 * completion. Their model is the workload's (`kv-list` for the kv workload).
 */
import type { History, KvInput, KvOutput } from '../../core/history.js';
import type { LinOp } from './types.js';

export function linOpsFromHistory<I = KvInput, O = KvOutput>(
  history: History<I, O>,
): LinOp<I, O | null>[] {
  const ops: LinOp<I, O | null>[] = [];
  for (const op of history) {
    if (op.outcome === 'fail') continue;
    const unknown = op.outcome !== 'ok';
    ops.push({
      id: op.id,
      client: op.client,
      input: op.input,
      output: unknown ? null : (op.output ?? null),
      unknown,
      call: op.invokeUs,
      ret: unknown || op.completeUs === undefined ? Infinity : op.completeUs,
    });
  }
  return ops;
}
