/**
 * Several named registers read and written by transactions, as Knossos's
 * `(model/multi-register {:x 0 :y 0})`: one operation (`:f :txn`) is a list of micro-operations,
 * reads and writes of single registers, applied in order and atomically. A read of nil matches
 * anything (Knossos: a read that did not say); a register not in the initial map starts at nil.
 * Transactions touch several keys at once, so the model is not partitioned by key.
 *
 * Keys and values are opaque strings compared exactly: the Jepsen codec gives each its canonical
 * EDN text (`:x`, `0`), so any EDN value works as a key or a value.
 */
import type { Model } from '../types.js';
import { isObject, shown } from './validate.js';

export type MicroOp =
  | { readonly f: 'read'; readonly key: string }
  | { readonly f: 'write'; readonly key: string; readonly value: string | null };
export interface MultiRegisterInput {
  readonly f: 'txn';
  readonly ops: readonly MicroOp[];
}
/** One entry per micro-operation: what a read returned (`null`: nil, matches anything); writes null. */
export interface MultiRegisterOutput {
  readonly values: readonly (string | null)[];
}
/** Register values by key; a key that is absent holds nil. */
export type MultiRegisterState = ReadonlyMap<string, string | null>;

export interface MultiRegisterOptions {
  readonly initial?: MultiRegisterState;
}

function step(
  state: MultiRegisterState,
  input: MultiRegisterInput,
  output: MultiRegisterOutput,
  unknown: boolean,
): MultiRegisterState | undefined {
  let next: Map<string, string | null> | undefined;
  const ops = input.ops;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i] as MicroOp;
    const now = next ?? state;
    if (op.f === 'write') {
      next ??= new Map(state);
      next.set(op.key, op.value);
    } else if (!unknown) {
      const seen = output.values[i] ?? null;
      if (seen !== null && seen !== (now.get(op.key) ?? null)) return undefined;
    }
  }
  return next ?? state;
}

/** Equal states, equal keys: entries sorted, nil registers left out (absent is nil too). */
function stateKey(state: MultiRegisterState): string {
  const parts: string[] = [];
  for (const [k, v] of state) if (v !== null) parts.push(`${k}\u0000${v}`);
  return parts.sort().join('\u0001');
}

function validate(input: unknown, output: unknown, unknown: boolean): string | undefined {
  if (!isObject(input) || input.f !== 'txn' || !Array.isArray(input.ops))
    return `expected a transaction {f: "txn", ops: [...]}, found ${shown(input)}`;
  const ops = input.ops as unknown[];
  for (const op of ops) {
    const fits =
      isObject(op) &&
      typeof op.key === 'string' &&
      (op.f === 'read' ||
        (op.f === 'write' && (op.value === null || typeof op.value === 'string')));
    if (!fits)
      return `expected a micro-operation read(key) or write(key, value), found ${shown(op)}`;
  }
  if (unknown) return undefined;
  const values = isObject(output) ? output.values : undefined;
  if (!Array.isArray(values) || values.length !== ops.length)
    return `expected ${ops.length} values read, one per micro-operation, found ${shown(values)}`;
  return undefined;
}

function describe(input: MultiRegisterInput, output: MultiRegisterOutput, unknown: boolean) {
  const micro = input.ops.map((op, i) => {
    if (op.f === 'write') return `[:write ${op.key} ${op.value ?? 'nil'}]`;
    return `[:read ${op.key} ${unknown ? '?' : (output.values[i] ?? 'nil')}]`;
  });
  return `txn [${micro.join(' ')}] -> ${unknown ? '?' : 'ok'}`;
}

export function makeMultiRegisterModel(
  options: MultiRegisterOptions = {},
): Model<MultiRegisterState, MultiRegisterInput, MultiRegisterOutput> {
  const initial: MultiRegisterState = options.initial ?? new Map();
  const shown = [...initial].map(([k, v]) => `${k} ${v ?? 'nil'}`).join(', ');
  return {
    name: 'multi-register',
    summary: `registers read and written by transactions (Knossos multi-register), initially {${shown}}; a read of nil matches anything`,
    init: () => initial,
    step,
    readOnly: (input) => input.ops.every((op) => op.f === 'read'),
    key: stateKey,
    validate,
    describe,
  };
}

export const multiRegisterModel = makeMultiRegisterModel();
