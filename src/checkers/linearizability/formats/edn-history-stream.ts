/**
 * The entries of an EDN history, one at a time: Jepsen writes a history as a vector `[{…} {…}]`,
 * Knossos's older files as a list `({…} {…})`, and `history.edn` as bare maps one after another.
 * All three are read here, with any layout (an operation map may span lines, several may share
 * one), comments and `#_` discards anywhere. Only one entry is held at a time: the history's
 * top-level vector or list is never built whole.
 *
 * Each entry is an operation map, or a tagged record around one (`#jepsen.history.Op{…}`);
 * anything else is reported and skipped. A syntax error ends the reading: past it, where the next
 * value starts cannot be known.
 */
import type { EdnMap } from './edn-node.js';
import { ednMapOf } from './edn-node.js';
import { EdnReader, EdnSyntaxError } from './edn-reader.js';
import type { ErrorSink, LineIndex } from './parse-result.js';
import { quote } from './parse-result.js';

/** One operation map of a history and where it starts (1-based line and column). */
export interface EdnEntry {
  readonly map: EdnMap;
  readonly line: number;
  readonly column: number;
}

/** Calls `visit` with each operation map in order; errors go to `sink`. */
export function readEdnHistory(
  text: string,
  index: LineIndex,
  sink: ErrorSink,
  visit: (entry: EdnEntry) => void,
): void {
  const reader = new EdnReader(text);
  const report = (offset: number, message: string) => {
    const p = index.position(offset);
    sink.add(p.line, p.column, message);
  };
  try {
    reader.skipIgnored(0);
    const open = text[reader.pos];
    const closer = open === '[' ? ']' : open === '(' ? ')' : undefined;
    const openedAt = reader.pos;
    if (closer !== undefined) reader.pos++;
    for (;;) {
      if (sink.full) return;
      reader.skipIgnored(1);
      if (reader.pos >= text.length) break;
      const c = text[reader.pos];
      if (closer !== undefined && c === closer) {
        reader.pos++;
        expectEnd(reader, closer);
        return;
      }
      const start = reader.pos;
      const node = reader.read(1);
      const map = ednMapOf(node);
      const p = index.position(start);
      if (map === undefined)
        sink.add(
          p.line,
          p.column,
          `expected an operation map like {:process 0, :type :invoke, ...}, found ${quote(text.slice(node.start, node.end))}`,
        );
      else visit({ map, line: p.line, column: p.column });
    }
    if (closer !== undefined) {
      const kind = closer === ']' ? 'vector' : 'list';
      report(
        openedAt,
        `expected ${closer} to close the ${kind} of operations opened here, found end of input`,
      );
    }
  } catch (e) {
    if (!(e instanceof EdnSyntaxError)) throw e;
    report(e.offset, e.message);
  }
}

/** After the history's closing bracket only whitespace and comments may follow. */
function expectEnd(reader: EdnReader, closer: string): void {
  reader.skipIgnored(0);
  if (reader.pos < reader.text.length)
    throw new EdnSyntaxError(
      reader.pos,
      `expected the end of the history after the ${closer} that closes it, found ${reader.found()}`,
    );
}
