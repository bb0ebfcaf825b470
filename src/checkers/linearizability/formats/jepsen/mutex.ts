/**
 * Jepsen lock operations for the `mutex` model, as Knossos's mutex histories write them:
 * `{:process 3, :type :invoke, :f :acquire}` and `:release`; values and `:error` are not looked at.
 * A `:fail` (`:error :not-held`) did not happen and is dropped.
 */
import type { MutexInput, MutexOutput } from '../../models/mutex.js';
import type { JepsenCodec } from './codec.js';

const FUNCTIONS = ['acquire', 'release'] as const;

export const mutexCodec: JepsenCodec<MutexInput, MutexOutput> = {
  functions: FUNCTIONS,
  decode(op, fields) {
    if (op.f !== 'acquire' && op.f !== 'release') return fields.unknownF(op, FUNCTIONS);
    return { input: { f: op.f }, output: {}, unknown: op.outcome !== 'ok' };
  },
  encode: (input) => ({ f: input.f, invokeValue: 'nil', completeValue: 'nil' }),
};
