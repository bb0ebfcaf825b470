/**
 * A counter: add(n) always succeeds, read returns the sum of the adds so far (initially 0). An
 * unknown add applies when placed; an unknown read changes nothing.
 */
import type { Model } from '../types.js';
import { expectField, functionOf, isInteger } from './validate.js';

export type CounterInput = { readonly f: 'add'; readonly value: number } | { readonly f: 'read' };
/** A read's output carries `value`; an add's output is `{}` and ignored. */
export interface CounterOutput {
  readonly value?: number;
}

export const counterModel: Model<number, CounterInput, CounterOutput> = {
  name: 'counter',
  summary: 'counter of numbers: add(n), read returns the sum, initially 0',
  init: () => 0,
  step(state, input, output, unknown) {
    if (input.f === 'add') return state + input.value;
    return unknown || output.value === state ? state : undefined;
  },
  readOnly: (input) => input.f === 'read',
  // Adding non-negative numbers never lowers the sum: a read below it can no longer be matched.
  monotone: (input) => input.f === 'add' && input.value >= 0,
  mayHoldLater: (state, _input, output) => output.value === undefined || output.value >= state,
  key: (state) => state,
  validate(input, output, unknown) {
    const f = functionOf(input, ['add', 'read']);
    if ('error' in f) return f.error;
    if (f.f === 'add') return expectField(input, 'value', 'an integer', isInteger);
    return unknown ? undefined : expectField(output, 'value', 'the integer read', isInteger);
  },
  explain({ culprit, before, concurrent, time }) {
    if (culprit.input.f !== 'read' || culprit.unknown || culprit.output.value === undefined)
      return undefined;
    const adds = [...before, ...concurrent].filter((o) => o.input.f === 'add');
    if (adds.some((o) => o.input.f === 'add' && o.input.value < 0)) return undefined;
    const sum = (ops: typeof adds) =>
      ops.reduce((a, o) => a + (o.input.f === 'add' ? o.input.value : 0), 0);
    const got = culprit.output.value;
    const done = before.filter((o) => o.input.f === 'add');
    const at = `read() returned ${got} at ${time(culprit.ret)}`;
    if (got < sum(done))
      return `${at}, but ${done.length === 1 ? 'the add' : `the ${done.length} adds`} that completed before it began already ${done.length === 1 ? 'makes' : 'sum to'} ${sum(done)}`;
    if (got > sum(adds))
      return `${at}, but all the adds that could have happened by then sum to only ${sum(adds)}`;
    return undefined;
  },
  describe(input, output, unknown) {
    if (input.f === 'add') return `add(${input.value}) -> ${unknown ? '?' : 'ok'}`;
    return `read() -> ${unknown ? '?' : String(output.value)}`;
  },
};
