/**
 * `jepsen.independent` histories for any codec: every `:value` is a pair `[key inner]`
 * (Jepsen writes its tuples as vectors), the inner value being what the inner codec reads. The
 * key may be any EDN and is kept as its canonical text; a completion must name the key of its
 * invocation.
 */
import type { IndependentInput } from '../../models/independent.js';
import type { EdnMap, EdnNode } from '../edn-node.js';
import { ednGet, ednPrint } from '../edn-node.js';
import type { JepsenOp } from '../jepsen-history.js';
import type { Encoded, JepsenCodec, JepsenFields } from './codec.js';

/** The map with its `:value` replaced by `inner`. */
function withValue(map: EdnMap, inner: EdnNode): EdnMap {
  return {
    ...map,
    entries: map.entries.map((e) =>
      e.key.kind === 'keyword' && e.key.name === 'value' ? { key: e.key, value: inner } : e,
    ),
  };
}

/** The key and inner value of a map's `[key inner]`, or an error. */
function split(map: EdnMap, fields: JepsenFields): { key: string; inner: EdnNode } | undefined {
  const node = fields.value(map, '[key value], as jepsen.independent writes it');
  if (node === undefined) return undefined;
  if ((node.kind !== 'vector' && node.kind !== 'list') || node.items.length !== 2)
    return fields.expected(
      node,
      ':value to be a pair [key value], as jepsen.independent writes it',
    );
  return { key: ednPrint(node.items[0] as EdnNode), inner: node.items[1] as EdnNode };
}

/** The operation as the inner codec sees it, or undefined (reported). */
function innerOp(op: JepsenOp, fields: JepsenFields): { key: string; op: JepsenOp } | undefined {
  const invoked = split(op.invocation, fields);
  if (invoked === undefined) return undefined;
  let completion = op.completion;
  const value = completion === undefined ? undefined : ednGet(completion, 'value');
  // An :ok names its key; a :fail or :info may carry anything (it is read from the invocation).
  const pair = (value?.kind === 'vector' || value?.kind === 'list') && value.items.length === 2;
  if (completion !== undefined && value !== undefined && (op.outcome === 'ok' || pair)) {
    const done = split(completion, fields);
    if (done === undefined) return undefined;
    if (done.key !== invoked.key)
      return fields.expected(
        ednGet(completion, 'value') as EdnNode,
        `the key ${invoked.key} of the invocation on line ${op.line}`,
      );
    completion = withValue(completion, done.inner);
  }
  return {
    key: invoked.key,
    op: { ...op, invocation: withValue(op.invocation, invoked.inner), completion },
  };
}

export function independentCodec<I, O>(
  inner: JepsenCodec<I, O>,
): JepsenCodec<IndependentInput<I>, O> {
  const lift =
    (decode: (op: JepsenOp, fields: JepsenFields) => ReturnType<typeof inner.decode>) =>
    (op: JepsenOp, fields: JepsenFields) => {
      const split = innerOp(op, fields);
      if (split === undefined) return undefined;
      const d = decode(split.op, fields);
      return d === undefined ? undefined : { ...d, input: { key: split.key, inner: d.input } };
    };
  const failed = inner.decodeFailed;
  return {
    functions: inner.functions,
    decode: lift((op, fields) => inner.decode(op, fields)),
    ...(failed !== undefined
      ? { decodeFailed: lift((op, fields) => failed.call(inner, op, fields)) }
      : {}),
    encode(input, output, unknown): Encoded {
      const e = inner.encode(input.inner, output, unknown);
      return {
        ...e,
        invokeValue: `[${input.key} ${e.invokeValue}]`,
        completeValue: `[${input.key} ${e.completeValue}]`,
      };
    },
  };
}
