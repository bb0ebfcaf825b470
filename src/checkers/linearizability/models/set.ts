/**
 * A grow-only set of numbers: add(n) always succeeds, read returns the members, compared as a set
 * (order and repeats in the output do not matter). The state is kept sorted and without repeats,
 * so equal sets have equal states and equal keys.
 */
import type { Model } from '../types.js';
import { expectField, functionOf, isInteger } from './validate.js';

export type SetInput = { readonly f: 'add'; readonly value: number } | { readonly f: 'read' };
/** A read's output carries `values`; an add's output is `{}` and ignored. */
export interface SetOutput {
  readonly values?: readonly number[];
}
/** Sorted ascending, no repeats. */
export type SetState = readonly number[];

function sameMembers(state: SetState, values: readonly number[]): boolean {
  const canonical = [...new Set(values)].sort((a, b) => a - b);
  return canonical.length === state.length && canonical.every((v, i) => v === state[i]);
}

export const setModel: Model<SetState, SetInput, SetOutput> = {
  name: 'set',
  summary: 'grow-only set of numbers: add(n), read returns the members (compared as a set)',
  init: () => [],
  step(state, input, output, unknown) {
    if (input.f === 'add') {
      if (state.includes(input.value)) return state;
      return [...state, input.value].sort((a, b) => a - b);
    }
    if (unknown) return state;
    return output.values !== undefined && sameMembers(state, output.values) ? state : undefined;
  },
  readOnly: (input) => input.f === 'read',
  // Adds only grow the set: a read that misses a member can no longer be matched.
  monotone: (input) => input.f === 'add',
  mayHoldLater: (state, _input, output) => {
    const seen = new Set(output.values ?? []);
    return state.every((v) => seen.has(v));
  },
  key: (state) => state.join(','),
  validate(input, output, unknown) {
    const f = functionOf(input, ['add', 'read']);
    if ('error' in f) return f.error;
    if (f.f === 'add') return expectField(input, 'value', 'an integer', isInteger);
    if (unknown) return undefined;
    const members = (v: unknown) => Array.isArray(v) && v.every(isInteger);
    return expectField(output, 'values', 'the integers read', members);
  },
  explain({ culprit, before, concurrent, time }) {
    if (culprit.input.f !== 'read' || culprit.unknown) return undefined;
    const got = new Set(culprit.output.values ?? []);
    const at = `read() returned {${[...got].join(', ')}} at ${time(culprit.ret)}`;
    for (const o of before)
      if (o.input.f === 'add' && !got.has(o.input.value))
        return `${at}, but add(${o.input.value}) completed at ${time(o.ret)} and ${o.input.value} is missing`;
    const added = new Set(
      [...before, ...concurrent].flatMap((o) => (o.input.f === 'add' ? [o.input.value] : [])),
    );
    for (const v of got)
      if (!added.has(v)) return `${at}, but nothing added ${v} before it returned`;
    return undefined;
  },
  describe(input, output, unknown) {
    if (input.f === 'add') return `add(${input.value}) -> ${unknown ? '?' : 'ok'}`;
    return `read() -> ${unknown ? '?' : `{${(output.values ?? []).join(', ')}}`}`;
  },
};
