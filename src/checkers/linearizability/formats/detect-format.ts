/**
 * Which importer a history file needs, told from its content: the first non-blank line and,
 * when that is not enough (a pretty-printed JSON object opens with a lone `{`, an EDN history with
 * a lone `[` or `(`), the characters that follow. The file name only decides for a file with no content
 * at all (an empty `etcd_095.log` is an empty etcd history) or for EDN that names no function.
 *
 * - `INFO  jepsen.util - ...`                → 'jepsen-etcd'
 * - `{` then a `"key"`                        → 'json' (faultline's history.json)
 * - `{:`, `[{:`, `({:`, `#tag{:`              → EDN: 'porcupine-kv' when the first `:f` is :get,
 *                                               :put or :append, 'edn' when :read, :write or :cas
 * - anything else                             → undefined: the caller asks for --format
 */
export type HistoryFormat = 'json' | 'porcupine-kv' | 'jepsen-etcd' | 'edn';

/** How much of the text is looked at: enough for the first operations of any of the formats. */
const SNIFF_CHARS = 64 * 1024;

export function detectFormat(text: string, fileName: string): HistoryFormat | undefined {
  // EDN files may open with `;` comment lines: they say nothing about the format.
  const head = text
    .slice(0, SNIFF_CHARS)
    .replace(/^\uFEFF/, '')
    .replace(/^(?:[ \t]*;[^\n]*\n|[ \t]*\n)+/, '');
  const firstLine = head.split('\n').find((l) => l.trim() !== '');
  if (firstLine === undefined) return byExtension(fileName);
  if (/^INFO\s+jepsen\.util\s+-(\s|$)/.test(firstLine)) return 'jepsen-etcd';
  const opening = /^[\s,[(]*(?:#[A-Za-z][\w.\-/]*\s*)?\{\s*(["':])/.exec(head);
  if (opening?.[1] === '"') return 'json';
  if (opening?.[1] === ':') {
    const f = /:f\s+:(get|put|append|read|write|cas)\b/.exec(head)?.[1];
    if (f === 'get' || f === 'put' || f === 'append') return 'porcupine-kv';
    if (f !== undefined) return 'edn';
    return fileName.endsWith('.txt') ? 'porcupine-kv' : 'edn';
  }
  // Some logs open with other lines before the first operation.
  if (/^INFO\s+jepsen\.util\s+-\s+\d+\s+:(invoke|ok|fail|info)\b/m.test(head)) return 'jepsen-etcd';
  return undefined;
}

function byExtension(fileName: string): HistoryFormat | undefined {
  const name = fileName.toLowerCase();
  if (name.endsWith('.json')) return 'json';
  if (name.endsWith('.log')) return 'jepsen-etcd';
  if (name.endsWith('.edn')) return 'edn';
  if (name.endsWith('.txt')) return 'porcupine-kv';
  return undefined;
}
