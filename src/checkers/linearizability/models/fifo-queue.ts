/**
 * A FIFO queue of numbers: enqueue always succeeds, dequeue returns the head (`null` when the
 * queue is empty, which leaves it empty). An unknown dequeue removes the head if there is one,
 * since it may have taken effect with an output nobody saw.
 */
import type { Model } from '../types.js';

export type FifoQueueInput = { readonly f: 'enqueue'; readonly value: number } | { readonly f: 'dequeue' };
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
  readOnly: (input, output, unknown) => input.f === 'dequeue' && !unknown && (output.value ?? null) === null,
  key: (state) => state.join(','),
  describe(input, output, unknown) {
    if (input.f === 'enqueue') return `enqueue(${input.value}) -> ${unknown ? '?' : 'ok'}`;
    return `dequeue() -> ${unknown ? '?' : output.value === null || output.value === undefined ? 'empty' : String(output.value)}`;
  },
};
