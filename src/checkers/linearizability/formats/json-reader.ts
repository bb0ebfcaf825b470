/**
 * A JSON reader that keeps where every value starts, so an importer can say
 * `history.json:812:18 operations.40.outcome: ...`. `JSON.parse` gives neither positions of
 * values nor, across Node versions, the same wording of its syntax errors. Strict RFC 8259: no
 * comments, no trailing commas; a leading byte-order mark is allowed.
 */
import { quote } from './parse-result.js';

export type JsonNode =
  | { readonly kind: 'null'; readonly start: number }
  | { readonly kind: 'boolean'; readonly value: boolean; readonly start: number }
  | { readonly kind: 'number'; readonly value: number; readonly start: number }
  | { readonly kind: 'string'; readonly value: string; readonly start: number }
  | { readonly kind: 'array'; readonly items: readonly JsonNode[]; readonly start: number }
  | JsonObject;

export interface JsonObject {
  readonly kind: 'object';
  readonly start: number;
  /** In document order. A repeated key is a syntax error here (JSON.parse would keep the last). */
  readonly members: ReadonlyMap<string, JsonNode>;
}

/** Arrays and objects nest at most this deep. */
const JSON_DEPTH_MAX = 64;

export type JsonReadResult =
  | { readonly ok: true; readonly value: JsonNode }
  | { readonly ok: false; readonly offset: number; readonly message: string };

class JsonSyntaxError {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

export function readJson(text: string): JsonReadResult {
  let pos = text.startsWith('\uFEFF') ? 1 : 0;

  const found = (): string =>
    pos >= text.length
      ? 'end of input'
      : quote(text.slice(pos, pos + 12).split(/[\s,:\]}]/)[0] || (text[pos] as string));
  const space = (): void => {
    while (pos < text.length) {
      const c = text.charCodeAt(pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++;
      else return;
    }
  };

  const string = (): string => {
    const start = pos;
    pos++;
    let out = '';
    let run = pos;
    for (;;) {
      if (pos >= text.length)
        throw new JsonSyntaxError(start, 'expected " to close this string, found end of input');
      const c = text.charCodeAt(pos);
      if (c === 0x22) {
        out += text.slice(run, pos);
        pos++;
        return out;
      }
      if (c < 0x20)
        throw new JsonSyntaxError(
          pos,
          c === 0x0a
            ? 'expected " to close the string before the end of the line'
            : 'expected an escape (\\n, \\t, \\u0000...) for a control character in a string',
        );
      if (c !== 0x5c) {
        pos++;
        continue;
      }
      out += text.slice(run, pos);
      const e = text[pos + 1] ?? '';
      const simple = ESCAPES[e];
      if (simple !== undefined) {
        out += simple;
        pos += 2;
      } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) {
        out += String.fromCharCode(parseInt(text.slice(pos + 2, pos + 6), 16));
        pos += 6;
      } else {
        throw new JsonSyntaxError(
          pos,
          `expected an escape like \\" \\\\ \\n or \\u0041, found ${quote(text.slice(pos, pos + 2))}`,
        );
      }
      run = pos;
    }
  };

  const value = (depth: number): JsonNode => {
    space();
    const start = pos;
    if (depth > JSON_DEPTH_MAX)
      throw new JsonSyntaxError(start, `values nest deeper than ${JSON_DEPTH_MAX} levels`);
    const c = text[pos];
    if (c === '{') {
      pos++;
      const members = new Map<string, JsonNode>();
      space();
      if (text[pos] === '}') {
        pos++;
        return { kind: 'object', start, members };
      }
      for (;;) {
        space();
        if (text[pos] !== '"')
          throw new JsonSyntaxError(pos, `expected a "key" in the object, found ${found()}`);
        const keyAt = pos;
        const key = string();
        if (members.has(key))
          throw new JsonSyntaxError(keyAt, `duplicate key ${JSON.stringify(key)} in the object`);
        space();
        if (text[pos] !== ':')
          throw new JsonSyntaxError(
            pos,
            `expected : after the key ${JSON.stringify(key)}, found ${found()}`,
          );
        pos++;
        members.set(key, value(depth + 1));
        space();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === '}') {
          pos++;
          return { kind: 'object', start, members };
        }
        throw new JsonSyntaxError(
          pos,
          `expected , or } after the value of ${JSON.stringify(key)}, found ${found()}`,
        );
      }
    }
    if (c === '[') {
      pos++;
      const items: JsonNode[] = [];
      space();
      if (text[pos] === ']') {
        pos++;
        return { kind: 'array', start, items };
      }
      for (;;) {
        items.push(value(depth + 1));
        space();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === ']') {
          pos++;
          return { kind: 'array', start, items };
        }
        throw new JsonSyntaxError(
          pos,
          `expected , or ] after item ${items.length - 1} of the array, found ${found()}`,
        );
      }
    }
    if (c === '"') return { kind: 'string', value: string(), start };
    for (const [word, node] of [
      ['null', { kind: 'null', start }],
      ['true', { kind: 'boolean', value: true, start }],
      ['false', { kind: 'boolean', value: false, start }],
    ] as const) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return node;
      }
    }
    NUMBER.lastIndex = pos;
    const m = NUMBER.exec(text);
    if (m !== null) {
      pos += m[0].length;
      return { kind: 'number', value: Number(m[0]), start };
    }
    throw new JsonSyntaxError(
      pos,
      `expected a value (object, array, string, number, true, false or null), found ${found()}`,
    );
  };

  try {
    const root = value(0);
    space();
    if (pos < text.length)
      throw new JsonSyntaxError(pos, `expected the end of the document, found ${found()}`);
    return { ok: true, value: root };
  } catch (e) {
    if (e instanceof JsonSyntaxError) return { ok: false, offset: e.offset, message: e.message };
    throw e;
  }
}
