/**
 * Key/value operations as Porcupine's kv histories write them, for the `kv` and `kv-list` models:
 *
 *   {:process 0, :type :invoke, :f :append, :key "0", :value "x 0 0 y"}
 *
 * `:get` (the `:ok` value is the string read, or nil), `:put` and `:append` (a string); `:key` is
 * a string on the invocation, repeated by the completion if it has one. A nil get reads as `""`
 * for `kv` (Porcupine's initial value) and stays nil (`null`, an absent key) for `kv-list`, whose
 * model tells the two apart. The output of a put or append is not looked at by either model.
 */
import type { KvInput } from '../../../../core/history.js';
import type { EdnNode } from '../edn-node.js';
import { ednGet, ednString } from '../edn-node.js';
import type { JepsenOp } from '../jepsen-history.js';
import type { JepsenCodec, JepsenFields } from './codec.js';

const FUNCTIONS = ['get', 'put', 'append'] as const;
const GET_RESULT = 'the string the get returned, or nil';
const WRITE_RESULT = 'the string written, as in the invocation';

/** `nilAs`: what a get that read nil returns (`''` for Porcupine's kv, `null` for kv-list). */
export function kvCodec<O extends string | null>(nilAs: O): JepsenCodec<KvInput, string | O> {
  return {
    functions: FUNCTIONS,
    decode(op, fields) {
      if (!(FUNCTIONS as readonly string[]).includes(op.f)) return fields.unknownF(op, FUNCTIONS);
      const input = inputOf(op, fields);
      if (input === undefined) return undefined;
      if (op.outcome !== 'ok') return { input, output: nilAs, unknown: true };
      if (!sameKey(input, op, fields)) return undefined;
      const node = fields.value(op.completion!, input.f === 'get' ? GET_RESULT : WRITE_RESULT);
      if (node === undefined) return undefined;
      if (input.f === 'get') {
        if (node.kind === 'nil') return { input, output: nilAs, unknown: false };
        if (node.kind !== 'string') return fields.expected(node, ':value to be a string or nil');
        return { input, output: node.value, unknown: false };
      }
      if (input.f === 'delete') return { input, output: nilAs, unknown: false };
      if (node.kind !== 'string' || node.value !== input.value)
        return fields.expected(
          node,
          `:value ${ednString(input.value)} like the invocation on line ${op.line}`,
        );
      return { input, output: nilAs, unknown: false };
    },
    encode(input, output) {
      const extra = `:key ${ednString(input.key)}`;
      if (input.f === 'get')
        return {
          f: 'get',
          invokeValue: 'nil',
          completeValue: output === null ? 'nil' : ednString(output),
          extra,
        };
      if (input.f === 'delete')
        return { f: 'delete', invokeValue: 'nil', completeValue: 'nil', extra };
      const value = ednString(input.value);
      return { f: input.f, invokeValue: value, completeValue: value, extra };
    },
  };
}

function stringField(node: EdnNode | undefined, name: string, fields: JepsenFields, map: EdnNode) {
  if (node === undefined)
    return fields.error(map, `expected the operation map to have :${name} (a string)`);
  if (node.kind !== 'string') return fields.expected(node, `:${name} to be a string`);
  return node.value;
}

function inputOf(op: JepsenOp, fields: JepsenFields): KvInput | undefined {
  const key = stringField(ednGet(op.invocation, 'key'), 'key', fields, op.invocation);
  if (op.f === 'get') return key === undefined ? undefined : { f: 'get', key };
  const value = stringField(ednGet(op.invocation, 'value'), 'value', fields, op.invocation);
  if (key === undefined || value === undefined) return undefined;
  return { f: op.f as 'put' | 'append', key, value };
}

function sameKey(input: KvInput, op: JepsenOp, fields: JepsenFields): boolean {
  const node = ednGet(op.completion!, 'key');
  if (node === undefined || (node.kind === 'string' && node.value === input.key)) return true;
  fields.expected(node, `:key ${ednString(input.key)} like the invocation on line ${op.line}`);
  return false;
}
