/**
 * The oracle the real linearizability checker is tested against (DESIGN §8): it tries every
 * order of the operations that respects real time and accepts if one of them is legal under the
 * model. Nothing clever: no partitioning (a partitioned model is lifted to one state over all
 * partitions, like Porcupine's `kvNoPartitionModel`), no just-in-time linearization, only a cache
 * of configurations already known to fail. Exponential, meant for histories of about 8 operations.
 *
 * Rules: A must precede B iff A returned before B was called (`A.ret < B.call`, closed
 * intervals); operations that overlap may go in either order. An unknown operation may be left
 * out entirely, or placed anywhere after its call: its `ret` is ignored, as if it were +∞.
 */
import { assert } from '../../core/assert.js';
import type { LinOp, Model } from './types.js';
import { withoutPartitions } from './models/without-partitions.js';

export { withoutPartitions };

/** Bitmasks of the configurations are 32-bit integers. */
const OPS_MAX = 30;

export function bruteForceLinearizable<S, I, O>(
  ops: readonly LinOp<I, O>[],
  model: Model<S, I, O>,
): boolean {
  assert(ops.length <= OPS_MAX, `bruteForceLinearizable: ${ops.length} ops, at most ${OPS_MAX}`);
  const whole = withoutPartitions(model);
  const n = ops.length;
  let knownMask = 0;
  // predecessors[i]: the known ops that returned before op i was called.
  const predecessors = ops.map((x) => {
    let mask = 0;
    ops.forEach((y, j) => {
      if (!y.unknown && y.ret < x.call) mask |= 1 << j;
    });
    return mask;
  });
  ops.forEach((op, i) => {
    if (!op.unknown) knownMask |= 1 << i;
  });
  const failed = new Set<string>();

  const search = (done: number, state: unknown): boolean => {
    if ((done & knownMask) === knownMask) return true;
    const k = whole.key(state);
    const memo = `${done}|${typeof k}|${k}`;
    if (failed.has(memo)) return false;
    for (let i = 0; i < n; i++) {
      const bit = 1 << i;
      if ((done & bit) !== 0 || ((predecessors[i] as number) & ~done) !== 0) continue;
      const op = ops[i] as LinOp<I, O>;
      const next = whole.step(state, op.input, op.output, op.unknown);
      if (next !== undefined && search(done | bit, next)) return true;
    }
    failed.add(memo);
    return false;
  };
  return search(0, whole.init());
}
