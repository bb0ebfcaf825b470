/**
 * Reads a list-append history file's text in its format: EDN (Jepsen's `history.edn`) or JSON
 * (an array, or JSON lines). `auto` tells them apart by the first character that is not blank
 * or a comment: a `{"` or `["`-style opening is JSON, a keyword opening (`{:`) is EDN.
 */
import { readEdnTxnHistory } from './edn-txn-history.js';
import { readJsonTxnHistory } from './json-txn-history.js';
import type { TxnHistory } from './raw-op.js';

export type TxnFormat = 'edn' | 'json';

export function detectTxnFormat(text: string, fileName: string): TxnFormat {
  if (fileName.endsWith('.edn')) return 'edn';
  if (fileName.endsWith('.json') || fileName.endsWith('.jsonl')) return 'json';
  const head = text.replace(/^\uFEFF/, '').replace(/^(?:\s*;[^\n]*\n|\s+)*/, '');
  return /^[[(]?\s*\{\s*"/.test(head) || /^\[\s*\[?\s*\]/.test(head) ? 'json' : 'edn';
}

export function loadTxnHistory(text: string, format: TxnFormat): TxnHistory {
  return format === 'edn' ? readEdnTxnHistory(text) : readJsonTxnHistory(text);
}
