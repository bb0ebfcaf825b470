/**
 * How a model reads and writes Jepsen operations: a codec turns the `:f` and `:value` of an
 * invocation and its completion into the model's input and output (or says, with the line and
 * column, why the operation is not one of the model's), and back again for `check --export edn`.
 * Knossos defines its models over Jepsen operations directly; here the models stay
 * format-agnostic and the codecs in this folder carry the Jepsen vocabulary, one per model family.
 */
import type { LinOp } from '../../types.js';
import type { EdnMap, EdnNode } from '../edn-node.js';
import { ednGet } from '../edn-node.js';
import type { JepsenOp } from '../jepsen-history.js';
import { ErrorSink, type LineIndex, type ParseResult, quote } from '../parse-result.js';

export interface Decoded<I, O> {
  readonly input: I;
  readonly output: O;
  /** True for `:info` and never-completed operations (their output is a placeholder). */
  readonly unknown: boolean;
}

/** One operation as Jepsen EDN: the `:f` keyword and the `:value` texts of both events. */
export interface Encoded {
  readonly f: string;
  readonly invokeValue: string;
  /** The completion's `:value`; unused for an unknown operation. */
  readonly completeValue: string;
  /** `fail`: written as a `:fail` completion (with `extra`), which the codec reads back. */
  readonly type?: 'ok' | 'fail';
  /** More `key value` text for both maps, e.g. `:key "x"`. */
  readonly extra?: string;
}

export interface JepsenCodec<I, O> {
  /** The `:f` keywords this codec reads, without colons, for messages. */
  readonly functions: readonly string[];
  /**
   * An operation as the model's input and output; undefined once the reason it does not fit is
   * reported through `fields`. Anything but `:ok` is read from its invocation, as unknown (a
   * `:fail` too: it is then dropped, but must still be one of the model's operations).
   */
  decode(op: JepsenOp, fields: JepsenFields): Decoded<I, O> | undefined;
  /**
   * Optional: a `:fail` operation that still says something (Porcupine's etcd failed cas);
   * undefined (the default) drops it: it did not happen.
   */
  decodeFailed?(op: JepsenOp, fields: JepsenFields): Decoded<I, O> | undefined;
  encode(input: I, output: O, unknown: boolean): Encoded;
}

/** Error reporting and field access bound to one history's text. */
export class JepsenFields {
  constructor(
    readonly text: string,
    readonly index: LineIndex,
    readonly sink: ErrorSink,
  ) {}

  show(node: EdnNode): string {
    return quote(this.text.slice(node.start, node.end));
  }

  error(node: EdnNode, message: string): undefined {
    const p = this.index.position(node.start);
    this.sink.add(p.line, p.column, message);
    return undefined;
  }

  /** `expected <what>, found <node>` at the node. */
  expected(node: EdnNode, what: string): undefined {
    return this.error(node, `expected ${what}, found ${this.show(node)}`);
  }

  /** The `:value` of a map, or an error at the map when it has none. */
  value(map: EdnMap, what: string): EdnNode | undefined {
    const node = ednGet(map, 'value');
    if (node === undefined) this.error(map, `expected the operation map to have :value (${what})`);
    return node;
  }

  /** An integer a double holds exactly, or an error. */
  integer(node: EdnNode, what = ':value to be an integer'): number | undefined {
    if (node.kind === 'integer' && node.exact) return node.value;
    if (node.kind === 'integer') return this.expected(node, `${what} below 2^53`);
    return this.expected(node, what);
  }

  /** An error for a `:f` the codec does not read. */
  unknownF(op: JepsenOp, functions: readonly string[]): undefined {
    const f = ednGet(op.invocation, 'f') as EdnNode;
    return this.expected(f, `:f to be ${keywordList(functions)}`);
  }
}

/** "a, b or c" with each name written as a keyword. */
function keywordList(names: readonly string[]): string {
  const kws = names.map((n) => `:${n}`);
  return kws.length <= 1 ? kws.join('') : `${kws.slice(0, -1).join(', ')} or ${kws.at(-1)}`;
}

/**
 * The operations a codec makes of a history, ids dense in invocation order, or every reason
 * (at most PARSE_ERRORS_MAX) an operation does not fit.
 */
export function decodeJepsen<I, O>(
  ops: readonly JepsenOp[],
  text: string,
  index: LineIndex,
  codec: JepsenCodec<I, O>,
): ParseResult<I, O> {
  const sink = new ErrorSink();
  const fields = new JepsenFields(text, index, sink);
  const out: LinOp<I, O>[] = [];
  for (const op of ops) {
    if (sink.full) break;
    // A :fail did not happen, but it must still be an operation of the model (read as unknown).
    let d = codec.decode(op, fields);
    if (op.outcome === 'fail')
      d =
        d === undefined || codec.decodeFailed === undefined
          ? undefined
          : codec.decodeFailed(op, fields);
    if (d === undefined) continue;
    out.push({
      id: out.length,
      client: op.client,
      input: d.input,
      output: d.output,
      unknown: d.unknown,
      call: op.call,
      ret: d.unknown ? Infinity : op.ret,
      line: op.line,
    });
  }
  if (!sink.empty) return { ok: false, errors: sink.sorted() };
  return { ok: true, ops: out };
}
