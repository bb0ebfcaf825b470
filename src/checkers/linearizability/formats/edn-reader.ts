/**
 * A reader for EDN as Jepsen, Knossos, Maelstrom and Porcupine write it: the whole grammar of
 * https://github.com/edn-format/edn (nil, booleans, integers with `N`, floats with `M`, ratios,
 * strings with escapes, characters, keywords, symbols, lists, vectors, maps, sets, tagged values,
 * `#_` discards, `;` comments, commas as whitespace) plus what Clojure prints that EDN lacks
 * (`##Inf`, `##-Inf`, `##NaN`). A hand-written tokenizer feeding a recursive descent, because the
 * maintained npm parsers report no positions: `edn-data` none at all, `jsedn` (unmaintained since
 * 2014) a line for some errors only.
 *
 * Every value keeps its offsets (edn-node.ts). Errors are `EdnSyntaxError`s with the offset where
 * the problem is and a sentence saying what was expected. Input is bounded: collections nest at
 * most EDN_DEPTH_MAX deep (deeper is an error, never a stack overflow) and hold at most
 * EDN_ITEMS_MAX items each. The history's own top-level vector is not held whole: see
 * edn-history-stream.ts, which reads it one operation at a time with this reader.
 */
import type { EdnMap, EdnNode } from './edn-node.js';
import { ednPrint } from './edn-node.js';
import { quote } from './parse-result.js';

/** Collections nest at most this deep (an operation map holding a vector of pairs is 3 deep). */
export const EDN_DEPTH_MAX = 64;
/** One collection holds at most this many items (a set read of a big set workload is far below). */
export const EDN_ITEMS_MAX = 1_000_000;

export class EdnSyntaxError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

/** Character classes for codes below 128: 1 = whitespace (commas included), 2 = other delimiter. */
const CLASS = new Uint8Array(128);
for (const c of ' \t\n\r\f\v,') CLASS[c.charCodeAt(0)] = 1;
for (const c of '()[]{}";\\') CLASS[c.charCodeAt(0)] = 2;
const isSpace = (code: number): boolean =>
  code < 128 ? CLASS[code] === 1 : code === 0xfeff || code === 0xa0 || code === 0x2028;
const isDelimiter = (code: number): boolean => (code < 128 ? CLASS[code] !== 0 : isSpace(code));

const INTEGER = /^[+-]?(?:0|[1-9]\d*)N?$/;
const FLOAT = /^[+-]?(?:0|[1-9]\d*)(?:\.\d*)?(?:[eE][+-]?\d+)?M?$/;
const RATIO = /^([+-]?\d+)\/(\d+)$/;
/** A symbol's name: not starting with a digit, nor with + - . followed by a digit. */
const NAME =
  /^(?:[+\-.](?![0-9])|[A-Za-z*!_?$%&=<>\u0080-\uffff])[\w*+!\-_?$%&=<>.#:'\u0080-\uffff]*$|^[+\-.]$/;
const CHAR_NAMES: Record<string, string> = {
  newline: '\n',
  space: ' ',
  tab: '\t',
  return: '\r',
  backspace: '\b',
  formfeed: '\f',
};
const STRING_ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  '/': '/',
};
const CLOSER = { map: '}', vector: ']', list: ')', set: '}' } as const;

const isDigit = (code: number): boolean => code >= 0x30 && code <= 0x39;

/** The common case, checked without a regular expression: a letter, then letters, digits or `-`. */
function plainName(name: string): boolean {
  const n = name.length;
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const c = name.charCodeAt(i) | 0x20; // lower-cases letters; other codes stay out of a-z
    const letter = c >= 0x61 && c <= 0x7a;
    if (!letter && (i === 0 || !(isDigit(name.charCodeAt(i)) || name.charCodeAt(i) === 0x2d)))
      return false;
  }
  return true;
}

/** `name` or `ns/name`, each part a valid name; a lone `/` is the division symbol. */
function validSymbol(token: string): boolean {
  if (token === '/') return true;
  const slash = token.indexOf('/');
  if (slash === -1) return NAME.test(token);
  return slash > 0 && NAME.test(token.slice(0, slash)) && NAME.test(token.slice(slash + 1));
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** Reads values from `text`, starting at `pos`. */
export class EdnReader {
  pos = 0;

  constructor(readonly text: string) {}

  /** Skips whitespace, commas and `;` comments. */
  skipSpace(): void {
    const text = this.text;
    const n = text.length;
    let pos = this.pos;
    while (pos < n) {
      const code = text.charCodeAt(pos);
      if (code === 0x3b /* ; */) {
        const nl = text.indexOf('\n', pos);
        pos = nl === -1 ? n : nl + 1;
      } else if (isSpace(code)) pos++;
      else break;
    }
    this.pos = pos;
  }

  /** Skips whitespace, comments and `#_` discarded values (in a loop: a chain of them nests nothing). */
  skipIgnored(depth: number): void {
    for (;;) {
      this.skipSpace();
      if (this.text.charCodeAt(this.pos) !== 0x23 || this.text.charCodeAt(this.pos + 1) !== 0x5f)
        return;
      // `#_ #_ a b` discards two values: each discard reads (and so nests) one level deeper.
      if (depth > EDN_DEPTH_MAX)
        throw new EdnSyntaxError(this.pos, `values nest deeper than ${EDN_DEPTH_MAX} levels`);
      this.pos += 2;
      this.read(depth + 1);
    }
  }

  /** What is at `pos`, shortened, for a message. */
  found(): string {
    if (this.pos >= this.text.length) return 'end of input';
    const rest = this.text.slice(this.pos, this.pos + 24);
    return quote(rest.split(/[\s,]/)[0] || (rest[0] as string));
  }

  /** One value at `pos` (after whitespace, comments and discards); `depth` counts enclosing collections. */
  read(depth: number): EdnNode {
    this.skipIgnored(depth);
    return this.readHere(depth);
  }

  /** One value starting exactly at `pos`. */
  private readHere(depth: number): EdnNode {
    if (depth > EDN_DEPTH_MAX)
      throw new EdnSyntaxError(this.pos, `values nest deeper than ${EDN_DEPTH_MAX} levels`);
    if (this.pos >= this.text.length)
      throw new EdnSyntaxError(this.pos, 'expected a value, found end of input');
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
    for (;;) {
      this.skipIgnored(depth + 1);
      if (this.closes('map', start)) return { kind: 'map', entries, start, end: this.pos };
      const key = this.readHere(depth + 1);
      this.checkNewKey(entries, key, start);
      this.skipIgnored(depth + 1);
      const next = this.text[this.pos];
      if (next === undefined)
        throw new EdnSyntaxError(
          start,
          'expected } to close the map opened here, found end of input',
        );
      if (next === '}' || next === ']' || next === ')')
        throw new EdnSyntaxError(
          this.pos,
          `expected a value for the key ${quote(this.text.slice(key.start, key.end))}, found ${this.found()}`,
        );
      entries.push({ key, value: this.readHere(depth + 1) });
      if (entries.length > EDN_ITEMS_MAX) this.tooMany(start);
    }
  }

  /** A map's keys are distinct: keywords compared by name (fast), anything else by its text. */
  private checkNewKey(entries: { key: EdnNode }[], key: EdnNode, start: number): void {
    let duplicate = false;
    if (key.kind === 'keyword') {
      for (let i = 0; i < entries.length && !duplicate; i++) {
        const k = entries[i]!.key;
        duplicate = k.kind === 'keyword' && k.name === key.name;
      }
    } else if (entries.length > 0) {
      const text = ednPrint(key);
      duplicate = entries.some((e) => e.key.kind === key.kind && ednPrint(e.key) === text);
    }
    if (duplicate)
      throw new EdnSyntaxError(
        key.start,
        `duplicate key ${quote(this.text.slice(key.start, key.end))} in the map opened at ${this.where(start)}`,
      );
  }

  private readSequence(kind: 'vector' | 'list' | 'set', start: number, depth: number): EdnNode {
    const items: EdnNode[] = [];
    for (;;) {
      this.skipIgnored(depth + 1);
      if (this.closes(kind, start)) return { kind, items, start, end: this.pos };
      items.push(this.readHere(depth + 1));
      if (items.length > EDN_ITEMS_MAX) this.tooMany(start);
    }
  }

  private tooMany(start: number): never {
    throw new EdnSyntaxError(
      start,
      `expected at most ${EDN_ITEMS_MAX} items in one collection (a bound of this reader)`,
    );
  }

  /** "line L column C" of an offset, for messages about where something was opened. */
  where(offset: number): string {
    let line = 1;
    let lineStart = 0;
    for (
      let i = this.text.indexOf('\n');
      i !== -1 && i < offset;
      i = this.text.indexOf('\n', i + 1)
    ) {
      line++;
      lineStart = i + 1;
    }
    return `line ${line} column ${offset - lineStart + 1}`;
  }

  /** At the closer of `kind`: consumes it. At another closer or the end: a syntax error. */
  private closes(kind: keyof typeof CLOSER, start: number): boolean {
    const closer = CLOSER[kind];
    const c = this.text[this.pos];
    if (c === closer) {
      this.pos++;
      return true;
    }
    // Unclosed to the end: the opener is the place to look (the end may be far below it).
    if (c === undefined)
      throw new EdnSyntaxError(
        start,
        `expected ${closer} to close the ${kind} opened here, found end of input`,
      );
    if (c === '}' || c === ']' || c === ')')
      throw new EdnSyntaxError(
        this.pos,
        `expected ${closer} to close the ${kind} opened at ${this.where(start)}, found ${c}`,
      );
    return false;
  }

  private readString(): EdnNode {
    const start = this.pos;
    const text = this.text;
    // Fast path: no escape before the closing quote.
    let close = start + 1;
    for (let code = text.charCodeAt(close); close < text.length; code = text.charCodeAt(++close))
      if (code === 0x22 || code === 0x5c) break;
    if (text.charCodeAt(close) === 0x22) {
      this.pos = close + 1;
      return { kind: 'string', value: text.slice(start + 1, close), start, end: this.pos };
    }
    let value = text.slice(start + 1, close);
    this.pos = close;
    while (this.pos < text.length) {
      const c = text[this.pos] as string;
      if (c === '"') {
        this.pos++;
        return { kind: 'string', value, start, end: this.pos };
      }
      if (c === '\\') value += this.readEscape();
      else {
        value += c;
        this.pos++;
      }
    }
    throw new EdnSyntaxError(
      start,
      'expected " to close the string opened here, found end of input',
    );
  }

  private readEscape(): string {
    const e = this.text[this.pos + 1];
    if (e !== undefined && STRING_ESCAPES[e] !== undefined) {
      this.pos += 2;
      return STRING_ESCAPES[e];
    }
    const hex = this.text.slice(this.pos + 2, this.pos + 6);
    if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(hex)) {
      this.pos += 6;
      return String.fromCharCode(Number.parseInt(hex, 16));
    }
    throw new EdnSyntaxError(
      this.pos,
      `expected an escape like \\" \\\\ \\n \\t or \\uXXXX in the string, found ${quote(this.text.slice(this.pos, this.pos + 2))}`,
    );
  }

  private readChar(): EdnNode {
    const start = this.pos;
    // The first character after the backslash belongs to the literal even if it is a delimiter.
    if (start + 1 >= this.text.length)
      throw new EdnSyntaxError(start, 'expected a character after \\, found end of input');
    this.pos = start + 2;
    while (this.pos < this.text.length && !isDelimiter(this.text.charCodeAt(this.pos))) this.pos++;
    const name = this.text.slice(start + 1, this.pos);
    const end = this.pos;
    if (name.length === 1) return { kind: 'char', value: name, start, end };
    const named = CHAR_NAMES[name];
    if (named !== undefined) return { kind: 'char', value: named, start, end };
    if (/^u[0-9a-fA-F]{4}$/.test(name))
      return {
        kind: 'char',
        value: String.fromCharCode(Number.parseInt(name.slice(1), 16)),
        start,
        end,
      };
    throw new EdnSyntaxError(
      start,
      `expected a character like \\a, \\newline or \\u0041, found \\${quote(name)}`,
    );
  }

  private readDispatch(depth: number): EdnNode {
    const start = this.pos;
    const next = this.text[start + 1];
    if (next === '{') {
      this.pos += 2;
      return this.readSequence('set', start, depth);
    }
    if (next === '#') return this.readSymbolicValue(start);
    if (next === undefined || isDelimiter(next.charCodeAt(0)))
      throw new EdnSyntaxError(
        start,
        `expected #{, #_ or a tag such as #inst after #, found ${this.found()}`,
      );
    this.pos++;
    const tag = this.readToken();
    if (tag.kind !== 'symbol' || !/^[A-Za-z]/.test(tag.name))
      throw new EdnSyntaxError(
        start,
        `expected a tag symbol after # (such as #inst or #jepsen.history.Op), found ${quote(this.text.slice(start, this.pos))}`,
      );
    this.skipIgnored(depth + 1);
    if (this.pos >= this.text.length)
      throw new EdnSyntaxError(
        this.pos,
        `expected a value after the tag #${tag.name}, found end of input`,
      );
    const value = this.read(depth + 1);
    return { kind: 'tagged', tag: tag.name, value, start, end: value.end };
  }

  /** `##Inf`, `##-Inf`, `##NaN`. */
  private readSymbolicValue(start: number): EdnNode {
    this.pos += 2;
    const token = this.readToken();
    if (
      token.kind === 'symbol' &&
      (token.name === 'Inf' || token.name === '-Inf' || token.name === 'NaN')
    ) {
      const value = token.name === 'NaN' ? NaN : token.name === 'Inf' ? Infinity : -Infinity;
      return { kind: 'float', value, start, end: this.pos };
    }
    throw new EdnSyntaxError(
      start,
      `expected ##Inf, ##-Inf or ##NaN, found ${quote(this.text.slice(start, this.pos))}`,
    );
  }

  private readToken(): EdnNode {
    const start = this.pos;
    const text = this.text;
    let pos = start + 1; // the caller saw a character that is not a delimiter
    while (pos < text.length && !isDelimiter(text.charCodeAt(pos))) pos++;
    this.pos = pos;
    const token = text.slice(start, pos);
    const first = token.charCodeAt(0);
    if (first === 0x3a /* : */) return this.keyword(token, start);
    if (token === 'nil') return { kind: 'nil', start, end: pos };
    if (token === 'true' || token === 'false')
      return { kind: 'boolean', value: token === 'true', start, end: pos };
    if (isDigit(first) || ((first === 0x2b || first === 0x2d) && isDigit(token.charCodeAt(1))))
      return this.number(token, start);
    if (validSymbol(token)) return { kind: 'symbol', name: token, start, end: pos };
    throw new EdnSyntaxError(start, `expected a symbol, keyword or number, found ${quote(token)}`);
  }

  private keyword(token: string, start: number): EdnNode {
    const name = token.slice(1);
    if (!plainName(name) && (name === '/' || !validSymbol(name)))
      throw new EdnSyntaxError(start, `expected a keyword like :type, found ${quote(token)}`);
    return { kind: 'keyword', name, start, end: this.pos };
  }

  private number(token: string, start: number): EdnNode {
    const end = this.pos;
    if (INTEGER.test(token)) {
      const digits = token.endsWith('N') ? token.slice(0, -1) : token;
      const value = Number(digits);
      if (Number.isSafeInteger(value)) return { kind: 'integer', value, exact: true, start, end };
      return { kind: 'integer', value, exact: false, big: BigInt(digits), start, end };
    }
    if (FLOAT.test(token)) {
      if (token.endsWith('M')) {
        const digits = token.slice(token.startsWith('+') ? 1 : 0, -1);
        return { kind: 'decimal', value: Number(digits), digits, start, end };
      }
      return { kind: 'float', value: Number(token), start, end };
    }
    const ratio = RATIO.exec(token);
    if (ratio !== null)
      return this.ratio(BigInt(ratio[1] as string), BigInt(ratio[2] as string), start);
    throw new EdnSyntaxError(start, `expected a number, found ${quote(token)}`);
  }

  /** A ratio in lowest terms, as Clojure reads it: `2/4` is `1/2`, `4/2` the integer 2. */
  private ratio(n: bigint, d: bigint, start: number): EdnNode {
    const end = this.pos;
    if (d === 0n)
      throw new EdnSyntaxError(start, 'expected a ratio with a non-zero denominator, found /0');
    const g = gcd(n, d);
    const numerator = n / g;
    const denominator = d / g;
    if (denominator === 1n) {
      const value = Number(numerator);
      return Number.isSafeInteger(value)
        ? { kind: 'integer', value, exact: true, start, end }
        : { kind: 'integer', value, exact: false, big: numerator, start, end };
    }
    const value = Number(numerator) / Number(denominator);
    return { kind: 'ratio', value, numerator, denominator, start, end };
  }
}

/** One value that must be the whole text (a command-line value such as `--initial '{:x 0}'`). */
export function readEdnValue(text: string): EdnNode {
  const reader = new EdnReader(text);
  const node = reader.read(0);
  reader.skipIgnored(0);
  if (reader.pos < text.length)
    throw new EdnSyntaxError(reader.pos, `expected one value, found more: ${reader.found()}`);
  return node;
}
