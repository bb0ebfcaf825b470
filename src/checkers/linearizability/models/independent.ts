/**
 * `jepsen.independent`: many copies of one model, one per key, each operation touching one key
 * (`:value [key inner]` in a Jepsen history). Linearizability is local (Herlihy & Wing), so each
 * key is checked on its own: the model is partitioned by key, as `kv` is, and every other method
 * hands the inner operation to the inner model. An inner model that is itself partitioned splits
 * each key further.
 */
import type { ExplainContext, LinOp, Model } from '../types.js';
import { mapPending } from './pending-view.js';
import { isObject, shown } from './validate.js';

export interface IndependentInput<I> {
  /** The key, as text (the Jepsen codec uses its canonical EDN). */
  readonly key: string;
  readonly inner: I;
}

/** The operation with its inner input, as the inner model sees it. */
function innerOp<I, O>(o: LinOp<IndependentInput<I>, O>): LinOp<I, O> {
  return { ...o, input: o.input.inner };
}

function innerContext<I, O>(ctx: ExplainContext<IndependentInput<I>, O>): ExplainContext<I, O> {
  return {
    culprit: innerOp(ctx.culprit),
    before: ctx.before.map(innerOp),
    concurrent: ctx.concurrent.map(innerOp),
    time: ctx.time,
  };
}

export function independentModel<S, I, O>(inner: Model<S, I, O>): Model<S, IndependentInput<I>, O> {
  const innerPartition = inner.partition?.bind(inner);
  const model: Model<S, IndependentInput<I>, O> = {
    name: `independent ${inner.name}`,
    summary: `one ${inner.name} per key (jepsen.independent), checked key by key`,
    init: () => inner.init(),
    step: (state, input, output, unknown) => inner.step(state, input.inner, output, unknown),
    key: (state) => inner.key(state),
    partition: (input) =>
      innerPartition === undefined ? input.key : `${input.key} ${innerPartition(input.inner)}`,
    validate(input, output, unknown) {
      if (!isObject(input) || typeof input.key !== 'string' || !('inner' in input))
        return `expected an operation on one key {key, inner}, found ${shown(input)}`;
      return inner.validate?.(input.inner, output, unknown);
    },
    describe: (input, output, unknown) =>
      `[${input.key}] ${inner.describe(input.inner, output, unknown)}`,
  };
  if (inner.readOnly !== undefined)
    model.readOnly = (input, output, unknown) => inner.readOnly!(input.inner, output, unknown);
  if (inner.monotone !== undefined) model.monotone = (input) => inner.monotone!(input.inner);
  if (inner.mayHoldLater !== undefined)
    model.mayHoldLater = (state, input, output, pending) =>
      inner.mayHoldLater!(
        state,
        input.inner,
        output,
        pending && mapPending(pending, (i) => i.inner),
      );
  if (inner.sets !== undefined)
    model.sets = (input, output, unknown) => inner.sets!(input.inner, output, unknown);
  if (inner.prune !== undefined) model.prune = (ops) => inner.prune!(ops.map(innerOp));
  if (inner.explain !== undefined) model.explain = (ctx) => inner.explain!(innerContext(ctx));
  return model;
}
