/**
 * A single read/write register, the smallest model worth checking: reads must return the last
 * value written. Writes always succeed, so a write whose outcome is unknown simply may or may not
 * have happened (the search decides whether to place it).
 *
 * Two readings of a read that returned nil, chosen by `initial`:
 * - without it (the default), the register starts at nil and a read of nil says it was never
 *   written, as Porcupine and etcd read it;
 * - with it (`--initial 0`), Knossos's `(model/register 0)`: the register starts at `initial`
 *   and a read whose value is nil (a crashed read, a read that did not say) matches anything.
 */
import type { Model } from '../types.js';
import { staleRead } from './explain.js';
import { expectField, functionOf, isInteger } from './validate.js';

export type RegisterInput =
  | { readonly f: 'read' }
  | { readonly f: 'write'; readonly value: number };
/** A read's output carries `value` (`null`: nil); a write's output is `{}` and ignored. */
export interface RegisterOutput {
  readonly value?: number | null;
}
export type RegisterState = number | null;

export interface RegisterOptions {
  /** Knossos's semantics: the register starts here and a read of nil matches anything. */
  readonly initial?: number | null;
}

const isValue = (v: unknown) => v === null || isInteger(v);

/** The model, in etcd semantics (no options) or Knossos's (`initial` given). */
export function makeRegisterModel(
  options: RegisterOptions = {},
): Model<RegisterState, RegisterInput, RegisterOutput> {
  const knossos = options.initial !== undefined;
  const initial = options.initial ?? null;
  const model: Model<RegisterState, RegisterInput, RegisterOutput> = {
    name: 'register',
    summary: knossos
      ? `read/write register of numbers (Knossos: initially ${initial ?? 'nil'}, a read of nil matches anything)`
      : 'read/write register of numbers, initially null',
    init: () => initial,
    step(state, input, output, unknown) {
      if (input.f === 'write') return input.value;
      if (unknown) return state;
      const value = output.value ?? null;
      return value === state || (knossos && value === null) ? state : undefined;
    },
    readOnly: (input) => input.f === 'read',
    // Nothing is monotone: a read not legal now can only become legal through a write.
    mayHoldLater: (state, input, output) => model.step(state, input, output, false) !== undefined,
    sets: (input) => (input.f === 'write' ? input.value : undefined),
    // `nil` cannot collide with a number, even if the caller turns keys into strings.
    key: (state) => state ?? 'nil',
    validate(input, output, unknown) {
      const f = functionOf(input, ['read', 'write']);
      if ('error' in f) return f.error;
      if (f.f === 'write') return expectField(input, 'value', 'an integer', isInteger);
      return unknown
        ? undefined
        : expectField(output, 'value', 'the integer read or null', isValue);
    },
    explain(ctx) {
      const { culprit, time } = ctx;
      if (culprit.input.f !== 'read' || culprit.unknown) return undefined;
      const got = culprit.output.value ?? null;
      // Knossos: a nil read never fails, and the initial value needs no write to be read.
      const wrote = ctx.before.some((o) => o.input.f === 'write' && !o.unknown);
      if (knossos && (got === null || (got === initial && !wrote))) return undefined;
      return staleRead(
        ctx,
        `read() returned ${String(got ?? 'nil')} at ${time(culprit.ret)}`,
        got,
        (o) => (o.input.f === 'write' ? { value: o.input.value, certain: !o.unknown } : undefined),
        (o) => model.describe(o.input, o.output, false).replace(' -> ok', ''),
        (v) => String(v ?? 'nil'),
      );
    },
    describe(input, output, unknown) {
      if (input.f === 'write') return `write(${input.value}) -> ${unknown ? '?' : 'ok'}`;
      return `read() -> ${unknown ? '?' : String(output.value ?? 'nil')}`;
    },
  };
  return model;
}

export const registerModel = makeRegisterModel();
