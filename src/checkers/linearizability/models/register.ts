/**
 * A single read/write register, the smallest model worth checking: reads must return the last
 * value written, `null` before any write. Writes always succeed, so a write whose outcome is
 * unknown simply may or may not have happened (the search decides whether to place it).
 */
import type { Model } from '../types.js';
import { staleRead } from './explain.js';

export type RegisterInput =
  | { readonly f: 'read' }
  | { readonly f: 'write'; readonly value: number };
/** A read's output carries `value` (`null`: never written); a write's output is `{}` and ignored. */
export interface RegisterOutput {
  readonly value?: number | null;
}
export type RegisterState = number | null;

export const registerModel: Model<RegisterState, RegisterInput, RegisterOutput> = {
  name: 'register',
  summary: 'read/write register of numbers, initially null',
  init: () => null,
  step(state, input, output, unknown) {
    if (input.f === 'write') return input.value;
    if (unknown) return state;
    return (output.value ?? null) === state ? state : undefined;
  },
  readOnly: (input) => input.f === 'read',
  // `nil` cannot collide with a number, even if the caller turns keys into strings.
  key: (state) => state ?? 'nil',
  explain(ctx) {
    const { culprit, time } = ctx;
    if (culprit.input.f !== 'read' || culprit.unknown) return undefined;
    const got = culprit.output.value ?? null;
    return staleRead(
      ctx,
      `read() returned ${String(got ?? 'nil')} at ${time(culprit.ret)}`,
      got,
      (o) => (o.input.f === 'write' ? { value: o.input.value, certain: !o.unknown } : undefined),
      (o) => registerModel.describe(o.input, o.output, false).replace(' -> ok', ''),
      (v) => String(v ?? 'nil'),
    );
  },
  describe(input, output, unknown) {
    if (input.f === 'write') return `write(${input.value}) -> ${unknown ? '?' : 'ok'}`;
    return `read() -> ${unknown ? '?' : String(output.value ?? 'nil')}`;
  },
};
