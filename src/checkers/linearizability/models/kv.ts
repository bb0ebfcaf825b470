/**
 * Porcupine's key/value model (`kvModel`), for the kv conformance histories: per key a string,
 * initially `""`; get must return it exactly, put replaces it, append concatenates WITHOUT a
 * separator. The model is partitioned by key (P-compositionality), so its state is the string of
 * one key. A delete (not in Porcupine's model) sets it back to `""`, the absent key's value. Outputs of put and append are ignored; an unknown get changes nothing and an unknown
 * put or append applies (the search may still leave it out).
 */
import type { KvInput } from '../../../core/history.js';
import type { Model } from '../types.js';
import { validateKv } from './validate-kv.js';
import { appendRead } from './explain.js';
import { pruneKvUnknowns } from './prune-unseen.js';
import { madeOfAppends } from './made-of-appends.js';

export const kvModel: Model<string, KvInput, string> = {
  name: 'kv',
  summary:
    'Porcupine kv store: per-key string, append concatenates without separator, partitioned by key',
  init: () => '',
  step(state, input, output, unknown) {
    switch (input.f) {
      case 'get':
        return unknown || output === state ? state : undefined;
      case 'put':
        return input.value;
      case 'append':
        return state + input.value;
      case 'delete':
        return '';
    }
  },
  readOnly: (input) => input.f === 'get',
  // Appends only add characters at the end: a get can be satisfied later only by an extension.
  monotone: (input) => input.f === 'append',
  // What a get still needs must begin with the value of an append that can still come.
  mayHoldLater: (state, _input, output, pending) =>
    output.startsWith(state) &&
    (pending === undefined ||
      output.length === state.length ||
      madeOfAppends(pending, output, state.length)),
  sets: (input) => (input.f === 'put' ? input.value : input.f === 'delete' ? '' : undefined),
  key: (state) => state,
  partition: (input) => input.key,
  prune: (ops) => pruneKvUnknowns(ops, false),
  validate: (input, output, unknown) => validateKv(input, output, unknown, false),
  explain(ctx) {
    const { culprit } = ctx;
    if (culprit.input.f !== 'get' || culprit.unknown) return undefined;
    // Appends join without a separator: presence is a substring test, and strays cannot be told apart.
    return appendRead(ctx, culprit.output, (v, w) => v.indexOf(w), undefined);
  },
  describe(input, output, unknown) {
    if (input.f === 'get') return `get(${input.key}) -> ${unknown ? '?' : JSON.stringify(output)}`;
    if (input.f === 'delete') return `delete(${input.key}) -> ${unknown ? '?' : 'ok'}`;
    return `${input.f}(${input.key}, ${JSON.stringify(input.value)}) -> ${unknown ? '?' : 'ok'}`;
  },
};
