/**
 * The compare-and-set register of Porcupine's etcd test (`etcdModel`), which the Jepsen etcd
 * histories in ../shared/conformance/porcupine are checked against. The subtle rule is the failed
 * cas: `:fail :cas [A B]` completed and says "the register did not hold A" at its linearization
 * point, it is not "nothing happened". An unknown output is always legal: a read changes nothing,
 * a write sets the value, a cas sets `to` exactly when the register held `from`.
 */
import type { Model } from '../types.js';

export type CasRegisterInput =
  | { readonly f: 'read' }
  | { readonly f: 'write'; readonly value: number }
  | { readonly f: 'cas'; readonly from: number; readonly to: number };
/** read → `{ value }` (`null`: nil), cas → `{ ok }`, write → `{}`. */
export interface CasRegisterOutput {
  readonly value?: number | null;
  readonly ok?: boolean;
}
export type CasRegisterState = number | null;

export const casRegisterModel: Model<CasRegisterState, CasRegisterInput, CasRegisterOutput> = {
  name: 'cas-register',
  summary: 'etcd compare-and-set register (Porcupine etcdModel): a failed cas means the value was not `from`',
  init: () => null,
  step(state, input, output, unknown) {
    switch (input.f) {
      case 'read':
        if (unknown) return state;
        // Porcupine: legal iff (no value and state nil) or value == state.
        return (output.value ?? null) === state ? state : undefined;
      case 'write':
        return input.value;
      case 'cas': {
        const matches = state === input.from;
        if (unknown) return matches ? input.to : state;
        if (output.ok === true) return matches ? input.to : undefined;
        return matches ? undefined : state;
      }
    }
  },
  // A read changes nothing; a completed failed cas is legal only where the register did not hold
  // `from`, and there it changes nothing either.
  readOnly: (input, output, unknown) => input.f === 'read' || (input.f === 'cas' && !unknown && output.ok !== true),
  key: (state) => state ?? 'nil',
  describe(input, output, unknown) {
    switch (input.f) {
      case 'read':
        return `read() -> ${unknown ? '?' : String(output.value ?? 'nil')}`;
      case 'write':
        return `write(${input.value}) -> ${unknown ? '?' : 'ok'}`;
      case 'cas':
        return `cas(${input.from}→${input.to}) -> ${unknown ? '?' : output.ok === true ? 'ok' : 'fail'}`;
    }
  },
};
