/**
 * The compare-and-set register of Porcupine's etcd test (`etcdModel`), which the Jepsen etcd
 * histories in ../shared/conformance/porcupine are checked against. The subtle rule is the failed
 * cas: `:fail :cas [A B]` completed and says "the register did not hold A" at its linearization
 * point, it is not "nothing happened". An unknown output is always legal: a read changes nothing,
 * a write sets the value, a cas sets `to` exactly when the register held `from`.
 *
 * With `initial` (`--initial 0`) it is Knossos's `(model/cas-register 0)` instead: the register
 * starts at `initial`, and a read whose value is nil matches anything (Knossos treats a nil read
 * as one that did not say). Without it a read of nil means the register is nil, which is what an
 * etcd log means by it; the same rule for both would be wrong for one of them.
 */
import type { Model } from '../types.js';
import { mayFollow, staleRead } from './explain.js';
import type { RegisterOptions } from './register.js';
import { expectField, functionOf, isInteger } from './validate.js';

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

const isValue = (v: unknown) => v === null || isInteger(v);

function validateCas(input: unknown, output: unknown, unknown: boolean): string | undefined {
  const f = functionOf(input, ['read', 'write', 'cas']);
  if ('error' in f) return f.error;
  switch (f.f) {
    case 'read':
      return unknown
        ? undefined
        : expectField(output, 'value', 'the integer read or null', isValue);
    case 'write':
      return expectField(input, 'value', 'an integer', isInteger);
    case 'cas':
      return (
        expectField(input, 'from', 'an integer', isInteger) ??
        expectField(input, 'to', 'an integer', isInteger) ??
        (unknown
          ? undefined
          : expectField(output, 'ok', 'true or false', (v) => typeof v === 'boolean'))
      );
  }
}

/** The model in etcd semantics (no options) or Knossos's (`initial` given). */
export function makeCasRegisterModel(
  options: RegisterOptions = {},
): Model<CasRegisterState, CasRegisterInput, CasRegisterOutput> {
  const knossos = options.initial !== undefined;
  const initial = options.initial ?? null;
  const model: Model<CasRegisterState, CasRegisterInput, CasRegisterOutput> = {
    name: 'cas-register',
    summary: knossos
      ? `compare-and-set register (Knossos: initially ${initial ?? 'nil'}, a read of nil matches anything)`
      : 'etcd compare-and-set register (Porcupine etcdModel): a failed cas means the value was not `from`',
    init: () => initial,
    step(state, input, output, unknown) {
      switch (input.f) {
        case 'read': {
          if (unknown) return state;
          // Porcupine: legal iff (no value and state nil) or value == state. Knossos: nil is any.
          const value = output.value ?? null;
          return value === state || (knossos && value === null) ? state : undefined;
        }
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
    readOnly: (input, output, unknown) =>
      input.f === 'read' || (input.f === 'cas' && !unknown && output.ok !== true),
    // Nothing is monotone: a read not legal now can only become legal through a write or cas.
    mayHoldLater: (state, input, output) => model.step(state, input, output, false) !== undefined,
    sets: (input) => (input.f === 'write' ? input.value : input.f === 'cas' ? input.to : undefined),
    key: (state) => state ?? 'nil',
    validate: validateCas,
    explain(ctx) {
      const { culprit, before, concurrent, time } = ctx;
      if (culprit.unknown || culprit.input.f === 'write') return undefined;
      // Knossos: a nil read never fails, and the initial value needs no write to be there.
      const seen = culprit.input.f === 'read' ? (culprit.output.value ?? null) : culprit.input.from;
      const wrote = before.some((o) => o.input.f !== 'read' && !o.unknown);
      if (knossos && (seen === null || (seen === initial && !wrote))) return undefined;
      // What an operation certainly or possibly wrote: a write; a cas that succeeded or may have.
      const written = (o: (typeof before)[number]) => {
        if (o.input.f === 'write')
          return { value: o.input.value as number | null, certain: !o.unknown };
        if (o.input.f === 'cas' && (o.unknown || o.output.ok === true))
          return { value: o.input.to as number | null, certain: !o.unknown };
        return undefined;
      };
      const plain = (o: (typeof before)[number]) =>
        model.describe(o.input, o.output, false).replace(' -> ok', '');
      const show = (v: unknown) => String(v ?? 'nil');
      if (culprit.input.f === 'read') {
        const got = culprit.output.value ?? null;
        return staleRead(
          ctx,
          `read() returned ${show(got)} at ${time(culprit.ret)}`,
          got,
          written,
          plain,
          show,
        );
      }
      const { from, to } = culprit.input;
      if (culprit.output.ok === true)
        return staleRead(
          ctx,
          `cas(${from}→${to}) succeeded at ${time(culprit.ret)}, so the register held ${from}`,
          from,
          written,
          plain,
          show,
        );
      // A failed cas says the register did not hold `from`: wrong if it certainly did.
      let last: (typeof before)[number] | undefined;
      for (const o of before) if (written(o)?.certain === true) last = o;
      if (last !== undefined && written(last)!.value === from) {
        const w = last;
        const changed = [...before, ...concurrent].some(
          (o) =>
            o !== w && mayFollow(o, w) && written(o) !== undefined && written(o)!.value !== from,
        );
        if (!changed)
          return `cas(${from}→${to}) failed at ${time(culprit.ret)}, so the register did not hold ${from}; but ${plain(w)} completed at ${time(w.ret)} and nothing that could come after it wrote anything else`;
      }
      return undefined;
    },
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
  return model;
}

export const casRegisterModel = makeCasRegisterModel();
