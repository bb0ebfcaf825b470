/**
 * Jepsen register operations for the `register` and `cas-register` models, as Knossos and
 * Jepsen's register workloads write them:
 *
 *   {:process 0, :type :invoke, :f :cas, :value [1 4]}   {:process 0, :type :ok, :f :cas, :value [1 4]}
 *
 * `:read` (an invocation's value is ignored: Knossos files carry one; the `:ok` value is the
 * integer read or nil), `:write v`, `:cas [from to]`. A completion of a write or cas repeats the
 * invocation's value; one that differs is an error. A `:fail` did not happen and is dropped, a
 * failed cas included, except one marked `:faultline/compare-failed true`: that is how
 * `check --export edn` writes Porcupine's etcd "compare failed" (a completed cas that found
 * another value), so it reads back as the etcd importer reads it (ok=false). Knossos ignores the
 * key and drops the operation, which is weaker but never wrong.
 */
import type { CasInput, CasOutput } from '../op-types.js';
import { unknownCasOutput } from '../op-types.js';
import type { EdnNode } from '../edn-node.js';
import { ednGet } from '../edn-node.js';
import type { JepsenOp } from '../jepsen-history.js';
import type { Decoded, Encoded, JepsenCodec, JepsenFields } from './codec.js';

/** The key `check --export edn` puts on a completed cas that found another value. */
const COMPARE_FAILED_KEY = 'faultline/compare-failed';

export function registerCodec(withCas: boolean): JepsenCodec<CasInput, CasOutput> {
  const functions = withCas ? ['read', 'write', 'cas'] : ['read', 'write'];
  return {
    functions,
    decode(op, fields) {
      if (!functions.includes(op.f)) return fields.unknownF(op, functions);
      const input = inputOf(op, fields);
      if (input === undefined) return undefined;
      if (op.outcome !== 'ok') return { input, output: unknownCasOutput(input), unknown: true };
      const completion = op.completion!;
      if (input.f === 'read') {
        const node = fields.value(completion, 'the integer read, or nil');
        if (node === undefined) return undefined;
        const value =
          node.kind === 'nil' ? null : fields.integer(node, ':value to be an integer or nil');
        return value === undefined ? undefined : { input, output: { value }, unknown: false };
      }
      if (!echoes(input, op, fields)) return undefined;
      return { input, output: input.f === 'cas' ? { ok: true } : {}, unknown: false };
    },
    ...(withCas ? { decodeFailed } : {}),
    encode: encodeRegister,
  };
}

function decodeFailed(
  op: JepsenOp,
  fields: JepsenFields,
): Decoded<CasInput, CasOutput> | undefined {
  const marked = ednGet(op.completion!, COMPARE_FAILED_KEY);
  if (op.f !== 'cas' || marked?.kind !== 'boolean' || !marked.value) return undefined;
  const input = inputOf(op, fields);
  if (input === undefined || !echoes(input, op, fields)) return undefined;
  return { input, output: { ok: false }, unknown: false };
}

/** The input an invocation asks for, or undefined (reported). */
function inputOf(op: JepsenOp, fields: JepsenFields): CasInput | undefined {
  if (op.f === 'read') return { f: 'read' };
  if (op.f === 'write') {
    const node = fields.value(op.invocation, 'the integer to write');
    const value = node === undefined ? undefined : fields.integer(node);
    return value === undefined ? undefined : { f: 'write', value };
  }
  const node = fields.value(op.invocation, '[from to]');
  const pair = node === undefined ? undefined : casPair(node, fields);
  return pair === undefined ? undefined : { f: 'cas', from: pair[0], to: pair[1] };
}

function casPair(node: EdnNode, fields: JepsenFields): [number, number] | undefined {
  if ((node.kind !== 'vector' && node.kind !== 'list') || node.items.length !== 2)
    return fields.expected(node, ':value of a :cas to be [from to], two integers');
  const from = fields.integer(node.items[0] as EdnNode);
  const to = fields.integer(node.items[1] as EdnNode);
  return from === undefined || to === undefined ? undefined : [from, to];
}

/** A completion's `:value`, when it has one, repeats the invocation's. */
function echoes(input: CasInput, op: JepsenOp, fields: JepsenFields): boolean {
  const node = ednGet(op.completion!, 'value');
  if (node === undefined || input.f === 'read') return true;
  const same =
    input.f === 'write'
      ? node.kind === 'integer' && node.value === input.value
      : (node.kind === 'vector' || node.kind === 'list') &&
        node.items.length === 2 &&
        node.items.every(
          (n, k) => n.kind === 'integer' && n.value === (k === 0 ? input.from : input.to),
        );
  if (!same) {
    const invoked = input.f === 'write' ? String(input.value) : `[${input.from} ${input.to}]`;
    fields.expected(node, `:value ${invoked} like the invocation on line ${op.line}`);
  }
  return same;
}

function encodeRegister(input: CasInput, output: CasOutput, unknown: boolean): Encoded {
  switch (input.f) {
    case 'read': {
      const value = 'value' in output && output.value !== null ? String(output.value) : 'nil';
      return { f: 'read', invokeValue: 'nil', completeValue: value };
    }
    case 'write':
      return { f: 'write', invokeValue: String(input.value), completeValue: String(input.value) };
    case 'cas': {
      const pair = `[${input.from} ${input.to}]`;
      const failed = !unknown && 'ok' in output && output.ok === false;
      return {
        f: 'cas',
        invokeValue: pair,
        completeValue: pair,
        ...(failed ? { type: 'fail' as const, extra: `:${COMPARE_FAILED_KEY} true` } : {}),
      };
    }
  }
}
