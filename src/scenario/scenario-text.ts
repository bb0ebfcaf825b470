/**
 * Bounds on scenario text, checked before anything is built from it: the size of the file, and
 * how deeply it nests. The `yaml` composer recurses once per level of nesting, so 20 KB of
 * brackets overflow the stack, and a regular expression compiled near the top of a deep stack
 * aborts the whole process out of memory. Nesting is therefore measured without recursion, on
 * the token tree of yaml's CST parser (which keeps an explicit stack), and the tokens are kept
 * for the composer so the text is parsed once. A linear scan of brackets first turns away text
 * nested absurdly deep, which the CST parser would take seconds to read.
 *
 * What it leaves out: the shape of the document (the schema's job) and aliases, which the
 * composer expands with its own bound (`maxAliasCount`).
 */
import { type CST, Parser } from 'yaml';
import type { ScenarioError } from './scenario-error.js';

/** A scenario is a page of YAML (the shipped ones are under 3 KB); this is a thousand pages. */
export const SCENARIO_BYTES_MAX = 1 << 20;

/** Levels of mappings and lists; the deepest field of the format is five levels down. */
export const SCENARIO_NESTING_MAX = 32;

/** The bracket scan gives up only well past the limit: brackets in plain text also count. */
const BRACKETS_MAX = 4 * SCENARIO_NESTING_MAX;

export type ScenarioTokens =
  | { readonly ok: true; readonly tokens: readonly CST.Token[] }
  | { readonly ok: false; readonly error: ScenarioError };

/** The text's CST tokens, or the one error that says which bound it breaks. */
export function scenarioTokens(
  text: string,
  file: string,
  addNewLine?: (offset: number) => void,
): ScenarioTokens {
  const bytes = text.length > SCENARIO_BYTES_MAX ? text.length : Buffer.byteLength(text, 'utf8');
  if (bytes > SCENARIO_BYTES_MAX) {
    const limit = `SCENARIO_BYTES_MAX, ${SCENARIO_BYTES_MAX} bytes`;
    const message = `the file is ${bytes} bytes, more than a scenario may be (${limit})`;
    return { ok: false, error: { file, line: 1, column: 1, path: '', message } };
  }
  const brackets = bracketOverflow(text);
  if (brackets !== undefined) return { ok: false, error: tooDeep(text, brackets, file) };
  const tokens = [...new Parser(addNewLine).parse(text)];
  const deep = tooDeepToken(tokens);
  if (deep !== undefined) return { ok: false, error: tooDeep(text, deep, file) };
  return { ok: true, tokens };
}

function tooDeep(text: string, offset: number, file: string): ScenarioError {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  const message = `the document nests deeper than ${SCENARIO_NESTING_MAX} levels (SCENARIO_NESTING_MAX); scenarios need fewer than 10`;
  return { file, line, column, path: '', message };
}

/** The offset of the first collection deeper than the limit, walking with an explicit stack. */
function tooDeepToken(tokens: readonly CST.Token[]): number | undefined {
  const stack: [CST.Token, number][] = tokens.map((t) => [t, 0]);
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [token, depth] = next;
    if (token.type === 'document') {
      if (token.value !== undefined) stack.push([token.value, depth]);
      continue;
    }
    if (
      token.type !== 'block-map' &&
      token.type !== 'block-seq' &&
      token.type !== 'flow-collection'
    )
      continue;
    if (depth >= SCENARIO_NESTING_MAX) return startOf(token);
    for (const item of token.items) {
      if (item.key) stack.push([item.key, depth + 1]);
      if (item.value) stack.push([item.value, depth + 1]);
    }
  }
  return undefined;
}

/** Where a collection visibly starts: its bracket, or its first key or dash. */
function startOf(token: CST.BlockMap | CST.BlockSequence | CST.FlowCollection): number {
  if (token.type === 'flow-collection') return token.offset;
  const first = token.items[0];
  const dash = first?.start.find((t) => t.type === 'seq-item-ind');
  return (token.type === 'block-map' ? first?.key?.offset : dash?.offset) ?? token.offset;
}

const CH = { hash: 35, dq: 34, sq: 39, backslash: 92, nl: 10, space: 32, tab: 9 } as const;
const OPENERS = new Set([91, 123]);
const CLOSERS = new Set([93, 125]);
/** After these (or at a line start), a quote opens a quoted scalar; elsewhere it is a letter. */
const BEFORE_QUOTE = new Set([CH.nl, CH.space, CH.tab, 44, 58, 91, 123, 45, 63]);
/** `|` or `>` with its indicators and an optional comment, ending its line: a block scalar. */
const BLOCK_HEADER = /^[|>][-+0-9]*[ \t]*(#.*)?$/;

/**
 * Where flow brackets, outside quotes, comments and block scalars, first went past the nesting
 * limit on a chain that then went on past BRACKETS_MAX; a rough count (a bracket in a plain
 * scalar counts too), hence the generous bound before giving up.
 */
function bracketOverflow(text: string): number | undefined {
  let depth = 0;
  let crossed = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    const prev = i === 0 ? CH.nl : text.charCodeAt(i - 1);
    if (ch === CH.hash && (prev === CH.nl || prev === CH.space || prev === CH.tab)) {
      i = endOfLine(text, i);
    } else if ((ch === CH.dq || ch === CH.sq) && BEFORE_QUOTE.has(prev)) {
      i = endOfQuote(text, i, ch);
    } else if ((ch === 124 || ch === 62) && prev === CH.space) {
      i = endOfBlockScalar(text, i);
    } else if (OPENERS.has(ch)) {
      if (++depth === SCENARIO_NESTING_MAX + 1) crossed = i;
      if (depth > BRACKETS_MAX) return crossed;
    } else if (CLOSERS.has(ch) && depth > 0) {
      depth--;
    }
  }
  return undefined;
}

function endOfLine(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl < 0 ? text.length : nl;
}

/** The index of the closing quote (`''` and `\"` are escapes), or the end of the text. */
function endOfQuote(text: string, open: number, quote: number): number {
  for (let i = open + 1; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (quote === CH.dq && ch === CH.backslash) i++;
    else if (ch === quote) {
      if (quote === CH.sq && text.charCodeAt(i + 1) === CH.sq) i++;
      else return i;
    }
  }
  return text.length;
}

/**
 * For a `|` or `>` that ends its line as a block scalar header: the end of the last line of the
 * scalar (the lines indented more than the header's line, and blank ones). Otherwise `at`.
 */
function endOfBlockScalar(text: string, at: number): number {
  const eol = endOfLine(text, at);
  if (!BLOCK_HEADER.test(text.slice(at, eol))) return at;
  const indent = indentOf(text, text.lastIndexOf('\n', at) + 1);
  let end = eol;
  while (end < text.length) {
    const next = endOfLine(text, end + 1);
    const line = text.slice(end + 1, next);
    if (line.trim() !== '' && indentOf(text, end + 1) <= indent) break;
    end = next;
  }
  return end;
}

function indentOf(text: string, lineStart: number): number {
  let i = lineStart;
  while (text.charCodeAt(i) === CH.space) i++;
  return i - lineStart;
}
