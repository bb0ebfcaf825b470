/**
 * A FIFO queue of numbers: enqueue always succeeds, dequeue returns the head (`null` when the
 * queue is empty, which leaves it empty). An unknown dequeue removes the head if there is one,
 * since it may have taken effect with an output nobody saw.
 */
import type { Model } from '../types.js';
import { expectField, functionOf, isInteger } from './validate.js';

export type FifoQueueInput =
  | { readonly f: 'enqueue'; readonly value: number }
  | { readonly f: 'dequeue' };
/** A dequeue's output carries `value` (`null`: the queue was empty); an enqueue's is `{}`. */
export interface FifoQueueOutput {
  readonly value?: number | null;
}
/** Head first. */
export type FifoQueueState = readonly number[];

export const fifoQueueModel: Model<FifoQueueState, FifoQueueInput, FifoQueueOutput> = {
  name: 'fifo-queue',
  summary: 'FIFO queue of numbers: enqueue(n), dequeue returns the head or null when empty',
  init: () => [],
  step(state, input, output, unknown) {
    if (input.f === 'enqueue') return [...state, input.value];
    if (unknown) return state.length === 0 ? state : state.slice(1);
    const head = state.length === 0 ? null : (state[0] as number);
    if ((output.value ?? null) !== head) return undefined;
    return head === null ? state : state.slice(1);
  },
  // A dequeue that saw an empty queue is legal only on the empty queue, which it leaves empty.
  readOnly: (input, output, unknown) =>
    input.f === 'dequeue' && !unknown && (output.value ?? null) === null,
  key: (state) => state.join(','),
  validate(input, output, unknown) {
    const f = functionOf(input, ['enqueue', 'dequeue']);
    if ('error' in f) return f.error;
    if (f.f === 'enqueue') return expectField(input, 'value', 'an integer', isInteger);
    if (unknown) return undefined;
    const value = (v: unknown) => v === null || v === undefined || isInteger(v);
    return expectField(output, 'value', 'the integer dequeued or null', value);
  },
  explain({ culprit, before, concurrent, time }) {
    if (culprit.input.f !== 'dequeue' || culprit.unknown) return undefined;
    const got = culprit.output.value ?? null;
    const all = [...before, ...concurrent];
    if (got !== null) {
      if (!all.some((o) => o.input.f === 'enqueue' && o.input.value === got))
        return `dequeue() returned ${got} at ${time(culprit.ret)}, but nothing enqueued ${got} before it returned`;
      return undefined;
    }
    const enqueued = before.filter((o) => o.input.f === 'enqueue').length;
    // Dequeues that may have taken something: known ones that got a value, and unknown ones.
    const taken = all.filter(
      (o) => o.input.f === 'dequeue' && (o.unknown || (o.output.value ?? null) !== null),
    ).length;
    if (enqueued > taken)
      return `dequeue() found the queue empty at ${time(culprit.ret)}, but ${enqueued} ${enqueued === 1 ? 'enqueue' : 'enqueues'} had completed before it began and at most ${taken} ${taken === 1 ? 'dequeue' : 'dequeues'} could have taken ${enqueued === 1 ? 'it' : 'them'}`;
    return undefined;
  },
  describe(input, output, unknown) {
    if (input.f === 'enqueue') return `enqueue(${input.value}) -> ${unknown ? '?' : 'ok'}`;
    return `dequeue() -> ${unknown ? '?' : output.value === null || output.value === undefined ? 'empty' : String(output.value)}`;
  },
};
