/**
 * faultline's own key/value semantics (src/protocols/shared/kv-store.ts), for the histories
 * `faultline run` writes: a key is absent (`null`) until written, put replaces its value, append
 * joins with one space (onto an absent key it just sets the value, onto `""` it gives `" v"`), get
 * returns the value or `null`, delete makes the key absent again. Partitioned by key, so the state is one key's value. Outputs of put
 * and append are ignored; an unknown get changes nothing and an unknown put or append applies.
 */
import type { KvInput, KvOutput } from '../../../core/history.js';
import type { Model } from '../types.js';
import { validateKv } from './validate-kv.js';
import { appendRead } from './explain.js';
import { pruneKvUnknowns } from './prune-unseen.js';
import { madeOfAppends } from './made-of-appends.js';

export type KvListState = string | null;

export const kvListModel: Model<KvListState, KvInput, KvOutput> = {
  name: 'kv-list',
  summary:
    'faultline kv store: per-key value or null, append joins with a space, partitioned by key',
  init: () => null,
  step(state, input, output, unknown) {
    switch (input.f) {
      case 'get':
        return unknown || output === state ? state : undefined;
      case 'put':
        return input.value;
      case 'append':
        return state === null ? input.value : `${state} ${input.value}`;
      case 'delete':
        return null;
    }
  },
  readOnly: (input) => input.f === 'get',
  // Appends only add words at the end: a get can still be satisfied later only if what it
  // returned is the current value followed by more words.
  monotone: (input) => input.f === 'append',
  mayHoldLater: (state, _input, output, pending) => {
    if (output === null) return state === null;
    if (state !== null && output !== state && !output.startsWith(`${state} `)) return false;
    if (pending === undefined || output === state) return true;
    return madeOfAppends(pending, output, state === null ? 0 : state.length + 1, ' ');
  },
  sets: (input) => (input.f === 'put' ? input.value : input.f === 'delete' ? null : undefined),
  // Prefixed so that an absent key never shares a key with any string value.
  key: (state) => (state === null ? 'nil' : `=${state}`),
  partition: (input) => input.key,
  prune: (ops) => pruneKvUnknowns(ops, true),
  validate: (input, output, unknown) => validateKv(input, output, unknown, true),
  explain(ctx) {
    const { culprit } = ctx;
    if (culprit.input.f !== 'get' || culprit.unknown) return undefined;
    const words = (v: string) => v.split(' ');
    return appendRead(ctx, culprit.output, (v, w) => words(v).indexOf(w), words);
  },
  describe(input, output, unknown) {
    if (input.f === 'get')
      return `get(${input.key}) -> ${unknown ? '?' : output === null ? 'nil' : JSON.stringify(output)}`;
    if (input.f === 'delete') return `delete(${input.key}) -> ${unknown ? '?' : 'ok'}`;
    return `${input.f}(${input.key}, ${JSON.stringify(input.value)}) -> ${unknown ? '?' : 'ok'}`;
  },
};
