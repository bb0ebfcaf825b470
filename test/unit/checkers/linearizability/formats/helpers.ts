/** Small helpers shared by the importer tests. */
import type {
  ParseError,
  ParseResult,
} from '../../../../../src/checkers/linearizability/formats/index.js';
import type { LinOp } from '../../../../../src/checkers/linearizability/types.js';

/** The operations of a successful parse; fails the test with the errors otherwise. */
export function opsOf<I, O>(r: ParseResult<I, O>): LinOp<I, O>[] {
  if (!r.ok)
    throw new Error(`expected the history to parse, got ${JSON.stringify(r.errors, null, 1)}`);
  return r.ops;
}

/** The errors of a failed parse; fails the test if it succeeded. */
export function errorsOf<I, O>(r: ParseResult<I, O>): ParseError[] {
  if (r.ok) throw new Error(`expected errors, got ${r.ops.length} operations`);
  return r.errors;
}

export const at = (line: number, column: number, message: string): ParseError => ({
  line,
  column,
  message,
});
