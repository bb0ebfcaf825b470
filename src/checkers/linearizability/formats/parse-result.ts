/**
 * What every history importer returns: the operations, ready for the linearizability search, or
 * the problems found, each with a 1-based line and column and a sentence that says what was
 * expected (DESIGN §6: user errors name the place). Importers never throw, whatever the text:
 * `guard` turns anything unexpected into an error at line 1 instead of a stack trace.
 */
import type { LinOp } from '../types.js';

export interface ParseError {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** A 1-based line and column. */
export interface Place {
  readonly line: number;
  readonly column: number;
}

export type ParseResult<I, O> =
  | { readonly ok: true; readonly ops: LinOp<I, O>[] }
  | { readonly ok: false; readonly errors: ParseError[] };

/** Reporting stops after this many errors: past the first few, more rarely help. */
export const PARSE_ERRORS_MAX = 20;

/** Collects errors in the order found, at most PARSE_ERRORS_MAX of them. */
export class ErrorSink {
  readonly errors: ParseError[] = [];

  add(line: number, column: number, message: string): void {
    if (this.errors.length < PARSE_ERRORS_MAX) this.errors.push({ line, column, message });
  }

  get full(): boolean {
    return this.errors.length >= PARSE_ERRORS_MAX;
  }

  get empty(): boolean {
    return this.errors.length === 0;
  }

  /** The errors sorted by place, for a result. */
  sorted(): ParseError[] {
    return [...this.errors].sort((a, b) => a.line - b.line || a.column - b.column);
  }
}

/** Runs an importer; an exception (a bug in the importer) becomes an error at line 1. */
export function guard<I, O>(parse: () => ParseResult<I, O>): ParseResult<I, O> {
  try {
    return parse();
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return {
      ok: false,
      errors: [{ line: 1, column: 1, message: `internal error while reading the history: ${why}` }],
    };
  }
}

/** Maps string offsets to 1-based line and column (columns count UTF-16 code units, a tab is one). */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1))
      this.starts.push(i + 1);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** Offset of the first character of a 1-based line. */
  lineStart(line: number): number {
    return this.starts[line - 1] ?? 0;
  }

  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (this.starts[lo] as number) + 1 };
  }
}

/** A short quotation of user text for messages: at most 40 characters, on one line. */
export function quote(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 40 ? `${flat.slice(0, 37)}...` : flat;
}

/** Splits text into lines without their `\n` or `\r\n`. */
export function splitLines(text: string): string[] {
  return text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}
