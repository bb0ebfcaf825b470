/**
 * Jepsen transactions for the `multi-register` model, as Knossos's multi-register histories
 * write them: `{:f :txn, :value [[:read :x nil] [:write :y 2]]}`, the `:ok` completion repeating
 * the micro-operations with the values read filled in. A micro-operation is `[:read k v]` or
 * `[:write k v]` (a vector or list of three); keys and values may be any EDN and are kept as
 * their canonical text, so `:x` and `"x"` are different registers, as they are in Clojure.
 */
import type {
  MicroOp,
  MultiRegisterInput,
  MultiRegisterOutput,
} from '../../models/multi-register.js';
import type { EdnNode } from '../edn-node.js';
import { ednPrint } from '../edn-node.js';
import type { JepsenCodec, JepsenFields } from './codec.js';

const FUNCTIONS = ['txn'] as const;

interface Micro {
  readonly op: MicroOp;
  /** The value the micro-operation carries (read: what was read; nil: null). */
  readonly value: string | null;
}

const textOf = (node: EdnNode): string | null => (node.kind === 'nil' ? null : ednPrint(node));

function micro(node: EdnNode, fields: JepsenFields): Micro | undefined {
  const items = node.kind === 'vector' || node.kind === 'list' ? node.items : undefined;
  const f = items?.[0];
  if (items?.length !== 3 || f?.kind !== 'keyword' || (f.name !== 'read' && f.name !== 'write'))
    return fields.expected(node, 'a micro-operation [:read key value] or [:write key value]');
  const key = ednPrint(items[1] as EdnNode);
  const value = textOf(items[2] as EdnNode);
  return { op: f.name === 'read' ? { f: 'read', key } : { f: 'write', key, value }, value };
}

function micros(node: EdnNode, fields: JepsenFields): Micro[] | undefined {
  if (node.kind !== 'vector' && node.kind !== 'list')
    return fields.expected(node, ':value of a :txn to be a vector of micro-operations');
  const out: Micro[] = [];
  for (const item of node.items) {
    const m = micro(item, fields);
    if (m === undefined) return undefined;
    out.push(m);
  }
  return out;
}

/** The completion lists the same micro-operations as the invocation, writes with the same values. */
function sameShape(invoked: readonly Micro[], done: readonly Micro[]): boolean {
  return (
    invoked.length === done.length &&
    invoked.every((m, i) => {
      const d = (done[i] as Micro).op;
      return (
        d.f === m.op.f &&
        d.key === m.op.key &&
        (m.op.f === 'read' || m.value === (done[i] as Micro).value)
      );
    })
  );
}

export const multiRegisterCodec: JepsenCodec<MultiRegisterInput, MultiRegisterOutput> = {
  functions: FUNCTIONS,
  decode(op, fields) {
    if (op.f !== 'txn') return fields.unknownF(op, FUNCTIONS);
    const node = fields.value(
      op.invocation,
      'the micro-operations, [[:read k nil] [:write k v] ...]',
    );
    const invoked = node === undefined ? undefined : micros(node, fields);
    if (invoked === undefined) return undefined;
    const input: MultiRegisterInput = { f: 'txn', ops: invoked.map((m) => m.op) };
    if (op.outcome !== 'ok')
      return { input, output: { values: invoked.map(() => null) }, unknown: true };
    const doneNode = fields.value(op.completion!, 'the micro-operations with the values read');
    const done = doneNode === undefined ? undefined : micros(doneNode, fields);
    if (done === undefined || doneNode === undefined) return undefined;
    if (!sameShape(invoked, done))
      return fields.expected(doneNode, `the micro-operations of the invocation on line ${op.line}`);
    const values = done.map((m) => (m.op.f === 'read' ? m.value : null));
    return { input, output: { values }, unknown: false };
  },
  encode(input, output) {
    const text = (withValues: boolean) =>
      `[${input.ops
        .map((m, i) =>
          m.f === 'write'
            ? `[:write ${m.key} ${m.value ?? 'nil'}]`
            : `[:read ${m.key} ${withValues ? (output.values[i] ?? 'nil') : 'nil'}]`,
        )
        .join(' ')}]`;
    return { f: 'txn', invokeValue: text(false), completeValue: text(true) };
  },
};
