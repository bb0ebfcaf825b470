/**
 * A small reader for the part of EDN that Jepsen, Maelstrom and Porcupine histories use: maps,
 * vectors, lists, sets, keywords, symbols, strings, integers, floats, characters, nil, true and
 * false, comments, `#_` discards and tagged values (`#jepsen.history.Op{...}` reads as the map;
 * the tag is dropped). Every value keeps its offsets in the text, so importers can point at the
 * exact column of a bad field. It was written here instead of taking `edn-data` because that
 * library reports neither line nor column.
 *
 * `readEdnOperations` is the front end both EDN importers share: a history is a sequence of
 * maps, one per line, optionally wrapped in a single vector (Knossos writes `[{...}\n {...}]`).
 * Each operation map must lie on one line. That is what every known writer does, and it lets a
 * truncated or unbalanced line be reported on its own line instead of wherever the reader
 * finally gives up; after an error, reading resumes at the next line.
 */
import { type ErrorSink, type LineIndex, quote } from './parse-result.js';

interface Span {
  /** Offset of the first character. */
  readonly start: number;
  /** Offset just past the last character. */
  readonly end: number;
}

export type EdnNode =
  | (Span & { readonly kind: 'nil' })
  | (Span & { readonly kind: 'boolean'; readonly value: boolean })
  /** `exact`: the value is a safe integer (|n| < 2^53), so `value` is the number written. */
  | (Span & { readonly kind: 'integer'; readonly value: number; readonly exact: boolean })
  | (Span & { readonly kind: 'float'; readonly value: number })
  | (Span & { readonly kind: 'string'; readonly value: string })
  | (Span & { readonly kind: 'keyword'; readonly name: string })
  | (Span & { readonly kind: 'symbol'; readonly name: string })
  | (Span & { readonly kind: 'char'; readonly value: string })
  | (Span & { readonly kind: 'vector' | 'list' | 'set'; readonly items: readonly EdnNode[] })
  | EdnMap;

export interface EdnMap extends Span {
  readonly kind: 'map';
  readonly entries: readonly { readonly key: EdnNode; readonly value: EdnNode }[];
}

/** Collections nest at most this deep: deeper input is an error, never a stack overflow. */
export const EDN_DEPTH_MAX = 64;

class EdnSyntaxError {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

/** Character classes for codes below 128: 1 = space (commas are whitespace in EDN), 2 = other delimiter. */
const CLASS = new Uint8Array(128);
for (const c of ' \t\n\r\f\v,') CLASS[c.charCodeAt(0)] = 1;
for (const c of '()[]{}";') CLASS[c.charCodeAt(0)] = 2;
const isSpace = (code: number): boolean =>
  code < 128 ? CLASS[code] === 1 : code === 0xfeff || /\s/.test(String.fromCharCode(code));
const isDelimiter = (code: number): boolean => (code < 128 ? CLASS[code] !== 0 : isSpace(code));
const INTEGER = /^[+-]?\d+N?$/;
const FLOAT = /^[+-]?\d+(\.\d*)?([eE][+-]?\d+)?M?$/;
const RATIO = /^[+-]?\d+\/\d+$/;
const CHAR_NAMES: Record<string, string> = {
  newline: '\n',
  space: ' ',
  tab: '\t',
  return: '\r',
  backspace: '\b',
  formfeed: '\f',
};
const CLOSER: Record<string, string> = { map: '}', vector: ']', list: ')', set: '}' };

/** The source text of a value, shortened for a message. */
export function ednText(text: string, node: EdnNode): string {
  return quote(text.slice(node.start, node.end));
}

/** The value under keyword `name` in a map (`name` without the colon). */
export function ednGet(map: EdnMap, name: string): EdnNode | undefined {
  for (const e of map.entries) if (e.key.kind === 'keyword' && e.key.name === name) return e.value;
  return undefined;
}

/** Reads values from `text[pos, limit)`; throws EdnSyntaxError, which only this module sees. */
class Reader {
  pos = 0;
  limit = 0;

  constructor(
    private readonly text: string,
    private readonly index: LineIndex,
  ) {}

  private column(offset: number): number {
    return this.index.position(offset).column;
  }

  private found(): string {
    if (this.pos >= this.limit)
      return this.limit >= this.text.length ? 'end of input' : 'end of line';
    return quote(
      this.text.slice(this.pos, this.pos + 12).split(/[\s,]/)[0] || (this.text[this.pos] as string),
    );
  }

  skipSpace(): void {
    const text = this.text;
    while (this.pos < this.limit) {
      const code = text.charCodeAt(this.pos);
      if (code === 0x3b /* ; */) {
        while (this.pos < this.limit && text.charCodeAt(this.pos) !== 0x0a) this.pos++;
      } else if (isSpace(code)) {
        this.pos++;
      } else {
        return;
      }
    }
  }

  read(depth: number): EdnNode {
    this.skipSpace();
    if (depth > EDN_DEPTH_MAX)
      throw new EdnSyntaxError(this.pos, `values nest deeper than ${EDN_DEPTH_MAX} levels`);
    if (this.pos >= this.limit)
      throw new EdnSyntaxError(this.pos, `expected a value, found ${this.found()}`);
    const start = this.pos;
    const c = this.text[start] as string;
    switch (c) {
      case '{':
        this.pos++;
        return this.readMap(start, depth);
      case '[':
        this.pos++;
        return this.readSequence('vector', start, depth);
      case '(':
        this.pos++;
        return this.readSequence('list', start, depth);
      case '"':
        return this.readString();
      case '\\':
        return this.readChar();
      case '#':
        return this.readDispatch(depth);
      case '}':
      case ']':
      case ')':
        throw new EdnSyntaxError(start, `expected a value, found ${c} with nothing open to close`);
      default:
        return this.readToken();
    }
  }

  private readMap(start: number, depth: number): EdnMap {
    const entries: { key: EdnNode; value: EdnNode }[] = [];
    // Operation maps have a handful of keys: a scan beats a Set until maps get large.
    let seen: Set<string> | undefined;
    for (;;) {
      this.skipSpace();
      if (this.closes('map', start)) return { kind: 'map', entries, start, end: this.pos };
      const key = this.read(depth + 1);
      if (key.kind === 'keyword') {
        if (seen === undefined && entries.length > 16)
          seen = new Set(entries.flatMap((e) => (e.key.kind === 'keyword' ? [e.key.name] : [])));
        const duplicate =
          seen !== undefined
            ? seen.has(key.name)
            : entries.some((e) => e.key.kind === 'keyword' && e.key.name === key.name);
        if (duplicate)
          throw new EdnSyntaxError(
            key.start,
            `duplicate key :${key.name} in the map opened at column ${this.column(start)}`,
          );
        seen?.add(key.name);
      }
      this.skipSpace();
      if (this.pos >= this.limit || this.text[this.pos] === '}') {
        throw new EdnSyntaxError(
          this.pos,
          `expected a value for the key ${quote(this.text.slice(key.start, key.end))}, found ${this.found()}`,
        );
      }
      entries.push({ key, value: this.read(depth + 1) });
    }
  }

  private readSequence(kind: 'vector' | 'list' | 'set', start: number, depth: number): EdnNode {
    const items: EdnNode[] = [];
    for (;;) {
      this.skipSpace();
      if (this.closes(kind, start)) return { kind, items, start, end: this.pos };
      items.push(this.read(depth + 1));
    }
  }

  /** At the closer of `kind`: consumes it. At another closer or the limit: a syntax error. */
  private closes(kind: 'map' | 'vector' | 'list' | 'set', start: number): boolean {
    const closer = CLOSER[kind] as string;
    const c = this.text[this.pos];
    if (this.pos < this.limit && c === closer) {
      this.pos++;
      return true;
    }
    if (this.pos >= this.limit || c === '}' || c === ']' || c === ')') {
      throw new EdnSyntaxError(
        this.pos,
        `expected ${closer} to close the ${kind} opened at column ${this.column(start)}, found ${this.found()}`,
      );
    }
    return false;
  }

  private readString(): EdnNode {
    const start = this.pos;
    this.pos++;
    // Fast path: no escape before the closing quote.
    let close = this.pos;
    while (close < this.limit) {
      const code = this.text.charCodeAt(close);
      if (code === 0x22 || code === 0x5c) break;
      close++;
    }
    if (close < this.limit && this.text.charCodeAt(close) === 0x22) {
      const value = this.text.slice(this.pos, close);
      this.pos = close + 1;
      return { kind: 'string', value, start, end: this.pos };
    }
    let value = '';
    while (this.pos < this.limit) {
      const c = this.text[this.pos] as string;
      if (c === '"') {
        this.pos++;
        return { kind: 'string', value, start, end: this.pos };
      }
      if (c !== '\\') {
        value += c;
        this.pos++;
        continue;
      }
      const e = this.text[this.pos + 1];
      const simple: Record<string, string> = {
        '"': '"',
        '\\': '\\',
        n: '\n',
        t: '\t',
        r: '\r',
        b: '\b',
        f: '\f',
        '/': '/',
      };
      if (e !== undefined && this.pos + 1 < this.limit && simple[e] !== undefined) {
        value += simple[e];
        this.pos += 2;
      } else if (
        e === 'u' &&
        /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos + 2, this.pos + 6)) &&
        this.pos + 6 <= this.limit
      ) {
        value += String.fromCharCode(parseInt(this.text.slice(this.pos + 2, this.pos + 6), 16));
        this.pos += 6;
      } else {
        throw new EdnSyntaxError(
          this.pos,
          `expected an escape like \\" \\\\ \\n \\t or \\uXXXX in the string, found ${quote(this.text.slice(this.pos, this.pos + 2))}`,
        );
      }
    }
    throw new EdnSyntaxError(
      this.pos,
      `expected " to close the string opened at column ${this.column(start)}, found ${this.found()}`,
    );
  }

  private readChar(): EdnNode {
    const start = this.pos;
    this.pos++;
    // The first character after the backslash belongs to the literal even if it is a delimiter.
    if (this.pos >= this.limit)
      throw new EdnSyntaxError(this.pos, `expected a character after \\, found ${this.found()}`);
    this.pos++;
    while (this.pos < this.limit && !isDelimiter(this.text.charCodeAt(this.pos))) this.pos++;
    const name = this.text.slice(start + 1, this.pos);
    if (name.length === 1) return { kind: 'char', value: name, start, end: this.pos };
    const named = CHAR_NAMES[name];
    if (named !== undefined) return { kind: 'char', value: named, start, end: this.pos };
    if (/^u[0-9a-fA-F]{4}$/.test(name))
      return {
        kind: 'char',
        value: String.fromCharCode(parseInt(name.slice(1), 16)),
        start,
        end: this.pos,
      };
    throw new EdnSyntaxError(
      start,
      `expected a character like \\a, \\newline or \\u0041, found \\${quote(name)}`,
    );
  }

  private readDispatch(depth: number): EdnNode {
    const start = this.pos;
    const next = this.text[start + 1];
    if (start + 1 >= this.limit || next === undefined)
      throw new EdnSyntaxError(start, `expected #{, #_ or a tag after #, found ${this.found()}`);
    if (next === '{') {
      this.pos += 2;
      return this.readSequence('set', start, depth);
    }
    if (next === '_') {
      this.pos += 2;
      this.read(depth + 1);
      return this.read(depth);
    }
    if (next === '#') {
      this.pos += 2;
      const token = this.readToken();
      if (token.kind === 'symbol' && ['Inf', '-Inf', 'NaN'].includes(token.name)) {
        const value = token.name === 'NaN' ? NaN : token.name === 'Inf' ? Infinity : -Infinity;
        return { kind: 'float', value, start, end: this.pos };
      }
      throw new EdnSyntaxError(
        start,
        `expected ##Inf, ##-Inf or ##NaN, found ${quote(this.text.slice(start, this.pos))}`,
      );
    }
    this.pos++;
    const tag = this.readToken();
    if (tag.kind !== 'symbol' || !/^[A-Za-z]/.test(tag.name))
      throw new EdnSyntaxError(
        start,
        `expected a tag symbol after #, found ${quote(this.text.slice(start, this.pos))}`,
      );
    // Tagged values read as the value: the importers only need the maps inside Jepsen's records.
    return this.read(depth + 1);
  }

  private readToken(): EdnNode {
    const start = this.pos;
    while (this.pos < this.limit && !isDelimiter(this.text.charCodeAt(this.pos))) this.pos++;
    // A token always consumes at least one character: the caller saw a non-delimiter.
    if (this.pos === start) this.pos++;
    const token = this.text.slice(start, this.pos);
    const end = this.pos;
    if (token.charCodeAt(0) === 0x3a /* : */) {
      const name = token.slice(1);
      if (name === '' || name.startsWith(':') || name.endsWith('/') || name.startsWith('/'))
        throw new EdnSyntaxError(start, `expected a keyword like :type, found ${quote(token)}`);
      return { kind: 'keyword', name, start, end };
    }
    if (token === 'nil') return { kind: 'nil', start, end };
    if (token === 'true' || token === 'false')
      return { kind: 'boolean', value: token === 'true', start, end };
    if (INTEGER.test(token)) {
      const value = Number(token.endsWith('N') ? token.slice(0, -1) : token);
      return { kind: 'integer', value, exact: Number.isSafeInteger(value), start, end };
    }
    if (FLOAT.test(token))
      return {
        kind: 'float',
        value: Number(token.endsWith('M') ? token.slice(0, -1) : token),
        start,
        end,
      };
    if (RATIO.test(token)) {
      const [n, d] = token.split('/');
      return { kind: 'float', value: Number(n) / Number(d), start, end };
    }
    if (/^[+-]?\d/.test(token))
      throw new EdnSyntaxError(start, `expected a number, found ${quote(token)}`);
    return { kind: 'symbol', name: token, start, end };
  }
}

/**
 * One operation map of a history and where it starts. `map` is undefined when the entry could not
 * be read (already reported); `source` is then the rest of its line, so an importer can still
 * guess which process it belonged to and avoid a second error for the same mistake.
 */
export interface EdnEntry {
  readonly map: EdnMap | undefined;
  readonly line: number;
  readonly column: number;
  readonly source: string;
}

/**
 * The operation maps of an EDN history, in order. Syntax errors and values that are not maps go
 * to `sink`; reading goes on at the next line so that one bad line gives one error.
 */
export function readEdnOperations(text: string, index: LineIndex, sink: ErrorSink): EdnEntry[] {
  const entries: EdnEntry[] = [];
  const reader = new Reader(text, index);
  let vectorStart: number | undefined;
  let vectorClosed = false;
  let lineReported = 0;
  reader.limit = text.length;
  while (!sink.full) {
    reader.limit = text.length;
    reader.skipSpace();
    if (reader.pos >= text.length) break;
    const start = reader.pos;
    const at = index.position(start);
    const c = text[start];
    if (c === '[' && vectorStart === undefined && !vectorClosed && entries.length === 0) {
      vectorStart = start;
      reader.pos++;
      continue;
    }
    if (c === ']' && vectorStart !== undefined && !vectorClosed) {
      vectorClosed = true;
      reader.pos++;
      continue;
    }
    const newline = text.indexOf('\n', start);
    const lineEnd = newline === -1 ? text.length : newline;
    reader.limit = lineEnd;
    try {
      if (text.startsWith('#_', start)) {
        // A discarded entry: read it (it must still be well formed) and keep nothing.
        reader.pos += 2;
        reader.read(0);
        continue;
      }
      const node = reader.read(0);
      if (node.kind !== 'map') {
        // One error per line: the rest of the line is usually more of the same mistake.
        if (at.line !== lineReported)
          sink.add(
            at.line,
            at.column,
            `expected an operation map like {:process 0, :type :invoke, ...}, found ${ednText(text, node)}`,
          );
        lineReported = at.line;
      } else if (vectorClosed) {
        sink.add(
          at.line,
          at.column,
          'expected the end of the history after the ] that closes the vector of operations, found another map',
        );
      } else {
        entries.push({ map: node, line: at.line, column: at.column, source: '' });
      }
    } catch (e) {
      if (!(e instanceof EdnSyntaxError)) throw e;
      const where = index.position(e.offset);
      const multiLine =
        e.offset === lineEnd && lineEnd < text.length && /^expected [}\]"]/.test(e.message);
      if (at.line !== lineReported)
        sink.add(
          where.line,
          where.column,
          multiLine ? `${e.message} (each operation map must fit on one line)` : e.message,
        );
      lineReported = at.line;
      entries.push({
        map: undefined,
        line: at.line,
        column: at.column,
        source: text.slice(start, lineEnd),
      });
      reader.pos = lineEnd + 1;
    }
  }
  // Unless something else went wrong first: skipping a bad line may have skipped the ] too.
  if (vectorStart !== undefined && !vectorClosed && sink.empty) {
    const where = index.position(vectorStart);
    const end = index.position(text.length);
    sink.add(
      end.line,
      end.column,
      `expected ] to close the vector of operations opened at line ${where.line} column ${where.column}, found end of input`,
    );
  }
  return entries;
}
