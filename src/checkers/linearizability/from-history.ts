/**
 * faultline's own histories (what clients of a simulated run saw) as operations for the search:
 * `fail` operations definitely did not happen and are dropped; `info` operations may or may not
 * have happened and stay open to the end; times are the virtual microseconds of invocation and
 * completion. Their model is `kv-list`.
 */
import type { History, KvInput, KvOutput } from '../../core/history.js';
import type { LinOp } from './types.js';

export function linOpsFromHistory(history: History): LinOp<KvInput, KvOutput>[] {
  const ops: LinOp<KvInput, KvOutput>[] = [];
  for (const op of history) {
    if (op.outcome === 'fail') continue;
    const unknown = op.outcome !== 'ok';
    ops.push({
      id: op.id,
      client: op.client,
      input: op.input as KvInput,
      output: unknown ? null : ((op.output ?? null) as KvOutput),
      unknown,
      call: op.invokeUs,
      ret: unknown || op.completeUs === undefined ? Infinity : op.completeUs,
    });
  }
  return ops;
}
