/**
 * A partitioned model made whole: one state holding every partition's state, so a history is
 * checked as a single search. This is Porcupine's `kvNoPartitionModel` for any model; the
 * checker uses it for `--no-partition`, and the brute-force oracle always, so that the oracle
 * does not share the checker's P-compositionality.
 */
import type { Model, PendingOps } from '../types.js';
import { partitionPending } from './pending-view.js';

/**
 * The same model without P-compositionality: one state holding every partition's state, so a
 * history is checked as a whole. A model without `partition` is returned as it is. Partitions
 * whose state equals the initial one are left out of the key, so equal states have equal keys.
 */
export function withoutPartitions<S, I, O>(model: Model<S, I, O>): Model<unknown, I, O> {
  const partitionOf = model.partition?.bind(model);
  if (partitionOf === undefined) return model as Model<unknown, I, O>;
  type Whole = ReadonlyMap<string, S>;
  const initKey = model.key(model.init());
  const sub = (state: Whole, p: string): S => (state.has(p) ? (state.get(p) as S) : model.init());
  return {
    name: `${model.name} (unpartitioned)`,
    summary: `${model.summary}; all partitions in one state`,
    init: (): Whole => new Map(),
    step(state, input, output, unknown) {
      const whole = state as Whole;
      const p = partitionOf(input);
      const next = model.step(sub(whole, p), input, output, unknown);
      if (next === undefined) return undefined;
      return new Map(whole).set(p, next);
    },
    key(state) {
      const entries: [string, string | number][] = [];
      for (const [p, s] of state as Whole) {
        const k = model.key(s);
        if (k !== initKey) entries.push([p, k]);
      }
      entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      return JSON.stringify(entries);
    },
    ...(model.readOnly !== undefined ? { readOnly: model.readOnly.bind(model) } : {}),
    ...(model.monotone !== undefined ? { monotone: model.monotone.bind(model) } : {}),
    // Operations on other partitions leave this one's state alone, so the question is per partition.
    ...(model.mayHoldLater !== undefined
      ? {
          mayHoldLater: (state: unknown, input: I, output: O, pending?: PendingOps<I>) => {
            const p = partitionOf(input);
            const mine = pending && partitionPending(pending, p, partitionOf);
            return model.mayHoldLater!(sub(state as Whole, p), input, output, mine);
          },
        }
      : {}),
    describe: (input, output, unknown) => model.describe(input, output, unknown),
  };
}
