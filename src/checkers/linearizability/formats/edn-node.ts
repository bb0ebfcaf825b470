/**
 * EDN values as the reader returns them (https://github.com/edn-format/edn): every value keeps the
 * offsets of its source text, so an importer can point at the exact line and column of a bad
 * field. Numbers keep what a double cannot hold (a bigint `1N` beyond 2^53, a decimal `1.5M`, a
 * ratio `1/2`) so that equality and printing stay exact; tagged values (`#inst "…"`,
 * `#jepsen.history.Op{…}`) keep their tag. `ednPrint` gives the canonical text of a value, which is
 * also how two values are compared (maps and sets print their entries sorted).
 */

interface Span {
  /** Offset of the first character. */
  readonly start: number;
  /** Offset just past the last character. */
  readonly end: number;
}

export type EdnNode =
  | (Span & { readonly kind: 'nil' })
  | (Span & { readonly kind: 'boolean'; readonly value: boolean })
  | EdnInteger
  | (Span & { readonly kind: 'float'; readonly value: number })
  /** `1.5M`: `digits` is the number as written, without the M and a leading +. */
  | (Span & { readonly kind: 'decimal'; readonly value: number; readonly digits: string })
  | (Span & {
      readonly kind: 'ratio';
      readonly value: number;
      readonly numerator: bigint;
      readonly denominator: bigint;
    })
  | (Span & { readonly kind: 'string'; readonly value: string })
  | (Span & { readonly kind: 'char'; readonly value: string })
  /** `name` without the colon, namespace included (`jepsen/op`). */
  | (Span & { readonly kind: 'keyword'; readonly name: string })
  | (Span & { readonly kind: 'symbol'; readonly name: string })
  | (Span & { readonly kind: 'vector' | 'list' | 'set'; readonly items: readonly EdnNode[] })
  | EdnMap
  | (Span & { readonly kind: 'tagged'; readonly tag: string; readonly value: EdnNode });

/**
 * An integer. `exact`: |n| < 2^53, so `value` is the number written; otherwise `big` holds it and
 * `value` is the nearest double.
 */
interface EdnInteger extends Span {
  readonly kind: 'integer';
  readonly value: number;
  readonly exact: boolean;
  readonly big?: bigint;
}

export interface EdnMap extends Span {
  readonly kind: 'map';
  readonly entries: readonly { readonly key: EdnNode; readonly value: EdnNode }[];
}

/** The value under keyword `name` in a map (`name` without the colon). */
export function ednGet(map: EdnMap, name: string): EdnNode | undefined {
  const entries = map.entries;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.key.kind === 'keyword' && e.key.name === name) return e.value;
  }
  return undefined;
}

/** A map, or the map inside a tagged record such as `#jepsen.history.Op{…}`. */
export function ednMapOf(node: EdnNode): EdnMap | undefined {
  if (node.kind === 'map') return node;
  if (node.kind === 'tagged' && node.value.kind === 'map') return node.value;
  return undefined;
}

const ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\t': '\\t',
  '\r': '\\r',
  '\b': '\\b',
  '\f': '\\f',
};
const CHAR_NAMES: Record<string, string> = {
  '\n': 'newline',
  ' ': 'space',
  '\t': 'tab',
  '\r': 'return',
  '\b': 'backspace',
  '\f': 'formfeed',
};

/** A string as EDN writes it, quoted and escaped. */
export function ednString(value: string): string {
  return `"${value.replace(/["\\\n\t\r\b\f]/g, (c) => ESCAPES[c] as string)}"`;
}

function printFloat(value: number): string {
  if (Number.isNaN(value)) return '##NaN';
  if (!Number.isFinite(value)) return value > 0 ? '##Inf' : '##-Inf';
  const s = String(value);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

/**
 * The canonical EDN text of a value: one space between items, commas dropped, map entries and set
 * members sorted by their own text, numbers normalized (`+1` → `1`, `1N` → `1`). Two values are
 * equal exactly when their canonical texts are.
 */
export function ednPrint(node: EdnNode): string {
  switch (node.kind) {
    case 'nil':
      return 'nil';
    case 'boolean':
      return String(node.value);
    case 'integer':
      return node.big !== undefined ? String(node.big) : String(node.value);
    case 'float':
      return printFloat(node.value);
    case 'decimal':
      return `${node.digits}M`;
    case 'ratio':
      return `${node.numerator}/${node.denominator}`;
    case 'string':
      return ednString(node.value);
    case 'char':
      return `\\${CHAR_NAMES[node.value] ?? node.value}`;
    case 'keyword':
      return `:${node.name}`;
    case 'symbol':
      return node.name;
    case 'vector':
      return `[${node.items.map(ednPrint).join(' ')}]`;
    case 'list':
      return `(${node.items.map(ednPrint).join(' ')})`;
    case 'set':
      return `#{${node.items.map(ednPrint).sort().join(' ')}}`;
    case 'map':
      return `{${node.entries
        .map((e) => `${ednPrint(e.key)} ${ednPrint(e.value)}`)
        .sort()
        .join(', ')}}`;
    case 'tagged':
      return `#${node.tag} ${ednPrint(node.value)}`;
  }
}
