/**
 * List-append histories in JSON, the shape elle-cli and Maelstrom's `txn-list-append` use: an
 * array of operations (or one object per line), each
 * `{"type": "ok", "process": 0, "value": [["append", "x", 1], ["r", "y", [1, 2]]]}` with an
 * optional `"index"`. A JSON string key prints as itself and a number as its digits.
 */
import { type JsonNode, readJson } from '../../linearizability/formats/json-reader.js';
import { LineIndex, quote } from '../../linearizability/formats/parse-result.js';
import type { ParseError } from '../../linearizability/formats/parse-result.js';
import type { Mop } from '../txn.js';
import { type RawOp, type TxnHistory, txnsOf } from './raw-op.js';

const TYPES = new Set(['invoke', 'ok', 'fail', 'info']);

class Bad {
  constructor(
    readonly node: JsonNode,
    readonly message: string,
  ) {}
}

export function readJsonTxnHistory(text: string): TxnHistory {
  const index = new LineIndex(text);
  const docs = documents(text);
  const ops: RawOp[] = [];
  let ordinal = 0;
  for (const d of docs) {
    const read = readJson(d.text);
    if (!read.ok) return failAt(index, d.offset + read.offset, read.message);
    const items = read.value.kind === 'array' ? read.value.items : [read.value];
    for (const item of items) {
      const position = ordinal++;
      try {
        const op = rawOp(item);
        if (op === undefined) continue;
        const p = index.position(d.offset + item.start);
        ops.push({ ...op, ordinal: position, line: p.line, column: p.column });
      } catch (e) {
        if (!(e instanceof Bad)) throw e;
        return failAt(index, d.offset + e.node.start, e.message);
      }
    }
  }
  return txnsOf(ops);
}

function failAt(index: LineIndex, offset: number, message: string): TxnHistory {
  const p = index.position(offset);
  const errors: ParseError[] = [{ line: p.line, column: p.column, message }];
  return { ok: false, errors };
}

/** The whole text as one document, or one per non-blank line (JSON lines). */
function documents(text: string): { text: string; offset: number }[] {
  if (/^\s*\[/.test(text)) return [{ text, offset: 0 }];
  const out: { text: string; offset: number }[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    if (line.trim() !== '') out.push({ text: line, offset });
    offset += line.length + 1;
  }
  return out;
}

function rawOp(node: JsonNode): Omit<RawOp, 'line' | 'column' | 'ordinal'> | undefined {
  if (node.kind !== 'object')
    throw new Bad(node, 'expected an operation object like {"type": "ok", ...}');
  const get = (k: string) => node.members.get(k);
  const process = get('process');
  if (process?.kind === 'string' && process.value === 'nemesis') return undefined;
  const type = get('type');
  if (type?.kind !== 'string' || !TYPES.has(type.value))
    throw new Bad(type ?? node, `expected "type" to be "invoke", "ok", "fail" or "info"`);
  if (process === undefined || (process.kind !== 'number' && process.kind !== 'string'))
    throw new Bad(process ?? node, 'expected "process", the client that ran the transaction');
  const index = get('index');
  const value = get('value');
  const mops =
    value === undefined || (value.kind === 'null' && type.value === 'info')
      ? undefined
      : mopsOf(value, type.value);
  return {
    type: type.value as RawOp['type'],
    process: String(process.value),
    index: index?.kind === 'number' && Number.isInteger(index.value) ? index.value : undefined,
    mops,
  };
}

function scalar(node: JsonNode): string {
  if (node.kind === 'string') return node.value;
  if (node.kind === 'number') return String(node.value);
  throw new Bad(node, 'expected a key or value: a string or a number');
}

function mopsOf(value: JsonNode, type: string): Mop[] {
  if (value.kind !== 'array')
    throw new Bad(
      value,
      'expected "value" to be an array of micro-operations like ["append", "x", 1]',
    );
  return value.items.map((m) => mopOf(m, type));
}

function mopOf(node: JsonNode, type: string): Mop {
  const parts = node.kind === 'array' ? node.items : undefined;
  const f = parts?.[0];
  const fname = f?.kind === 'string' ? f.value : '';
  if (parts === undefined || parts.length !== 3 || (fname !== 'append' && fname !== 'r'))
    throw new Bad(node, 'expected a micro-operation ["append", k, v] or ["r", k, [v, ...]]');
  const key = scalar(parts[1]!);
  const v = parts[2]!;
  if (fname === 'append') return { f: 'append', key, value: scalar(v) };
  if (v.kind === 'null') {
    if (type === 'ok')
      throw new Bad(
        v,
        `expected the list read of key ${quote(key)} in a completed transaction, found null`,
      );
    return { f: 'r', key, value: null };
  }
  if (v.kind !== 'array')
    throw new Bad(v, `expected the list read of key ${quote(key)}, like [1, 2]`);
  return { f: 'r', key, value: v.items.map(scalar) };
}
