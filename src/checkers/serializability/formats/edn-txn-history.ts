/**
 * Elle's list-append histories in EDN, as Jepsen writes them (`history.edn`):
 * `{:type :ok, :f :txn, :process 0, :value [[:append :x 1] [:r :y [1 2]]], :index 3}`, as a
 * vector, a list or bare maps one after another. Keys and values may be any EDN value (Elle
 * uses keywords or integers for keys, integers for values) and are compared by their canonical
 * text. Operations of the `:nemesis` process are skipped. Every problem names its line and
 * column; reading stops after PARSE_ERRORS_MAX of them.
 */
import type { EdnMap, EdnNode } from '../../linearizability/formats/edn-node.js';
import { ednGet, ednPrint } from '../../linearizability/formats/edn-node.js';
import { readEdnHistory } from '../../linearizability/formats/edn-history-stream.js';
import { ErrorSink, LineIndex, quote } from '../../linearizability/formats/parse-result.js';
import type { Mop } from '../txn.js';
import { type RawOp, type TxnHistory, txnsOf } from './raw-op.js';

const TYPES = new Set(['invoke', 'ok', 'fail', 'info']);

export function readEdnTxnHistory(text: string): TxnHistory {
  const index = new LineIndex(text);
  const sink = new ErrorSink();
  const ops: RawOp[] = [];
  let ordinal = 0;
  readEdnHistory(text, index, sink, (entry) => {
    const position = ordinal++;
    const where = (node: EdnNode | undefined) =>
      node === undefined ? entry : index.position(node.start);
    const fail = (node: EdnNode | undefined, message: string) => {
      const p = where(node);
      sink.add(p.line, p.column, message);
    };
    const op = rawOp(entry.map, fail);
    if (op !== undefined)
      ops.push({ ...op, ordinal: position, line: entry.line, column: entry.column });
  });
  if (!sink.empty) return { ok: false, errors: sink.sorted() };
  return txnsOf(ops);
}

type Fail = (node: EdnNode | undefined, message: string) => void;

function rawOp(map: EdnMap, fail: Fail): Omit<RawOp, 'line' | 'column' | 'ordinal'> | undefined {
  const process = ednGet(map, 'process');
  if (process?.kind === 'keyword' && process.name === 'nemesis') return undefined;
  const type = ednGet(map, 'type');
  if (type?.kind !== 'keyword' || !TYPES.has(type.name)) {
    fail(type ?? map, `expected :type to be :invoke, :ok, :fail or :info, found ${text(type)}`);
    return undefined;
  }
  if (process === undefined) {
    fail(map, 'expected :process, the client that ran the transaction');
    return undefined;
  }
  const indexNode = ednGet(map, 'index');
  const value = ednGet(map, 'value');
  const mops =
    value === undefined || (value.kind === 'nil' && type.name === 'info')
      ? undefined
      : mopsOf(value, type.name, fail);
  if (mops === null) return undefined;
  return {
    type: type.name as RawOp['type'],
    process: ednPrint(process),
    index: indexNode?.kind === 'integer' ? indexNode.value : undefined,
    mops,
  };
}

function text(node: EdnNode | undefined): string {
  return node === undefined ? 'nothing' : quote(ednPrint(node));
}

/** The micro-operations of a `:value`, or null after reporting what is wrong. */
function mopsOf(value: EdnNode, type: string, fail: Fail): Mop[] | null {
  if (value.kind !== 'vector' && value.kind !== 'list') {
    fail(
      value,
      `expected :value to be a vector of micro-operations like [:append :x 1], found ${text(value)}`,
    );
    return null;
  }
  const out: Mop[] = [];
  for (const item of value.items) {
    const mop = mopOf(item, type, fail);
    if (mop === undefined) return null;
    out.push(mop);
  }
  return out;
}

function mopOf(node: EdnNode, type: string, fail: Fail): Mop | undefined {
  const parts = node.kind === 'vector' || node.kind === 'list' ? node.items : undefined;
  const f = parts?.[0];
  const fname =
    f?.kind === 'keyword' || f?.kind === 'symbol' ? f.name : f?.kind === 'string' ? f.value : '';
  if (parts === undefined || parts.length !== 3 || (fname !== 'append' && fname !== 'r')) {
    fail(node, `expected a micro-operation [:append k v] or [:r k [v ...]], found ${text(node)}`);
    return undefined;
  }
  const key = ednPrint(parts[1]!);
  const v = parts[2]!;
  if (fname === 'append') return { f: 'append', key, value: ednPrint(v) };
  if (v.kind === 'nil') {
    if (type === 'ok') {
      fail(v, `expected the list read of key ${key} in a completed transaction, found nil`);
      return undefined;
    }
    return { f: 'r', key, value: null };
  }
  if (v.kind !== 'vector' && v.kind !== 'list') {
    fail(v, `expected the list read of key ${key}, like [1 2], found ${text(v)}`);
    return undefined;
  }
  return { f: 'r', key, value: v.items.map(ednPrint) };
}
