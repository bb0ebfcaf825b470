/**
 * The fields every Jepsen-style EDN operation map carries (`:process`, `:type`, `:f`), checked
 * the same way for the kv and the register importers, and the line-based times both use.
 * Nemesis entries (`:process :nemesis`) are not client operations and are skipped: Jepsen's
 * checkers leave them out of linearizability too.
 */
import {
  type EdnEntry,
  type EdnMap,
  type EdnNode,
  ednGet,
  ednText,
  readEdnOperations,
} from './edn-reader.js';
import { ErrorSink, LineIndex, type Place } from './parse-result.js';
import type { ProcessPairing } from './process-pairing.js';

export type EventType = 'invoke' | 'ok' | 'fail' | 'info';
const EVENT_TYPES: readonly string[] = ['invoke', 'ok', 'fail', 'info'];

/** A readable entry: its map is there. */
export type EdnMapEntry = EdnEntry & { readonly map: EdnMap };

export interface EdnEvent<F extends string> {
  readonly entry: EdnMapEntry;
  readonly client: string;
  readonly type: EventType;
  readonly f: F;
  readonly at: Place;
  readonly typeAt: Place;
  readonly fAt: Place;
}

/** "a, b or c" with each name written as a keyword. */
export function keywordList(names: readonly string[]): string {
  const kws = names.map((n) => `:${n}`);
  return kws.length <= 1 ? kws.join('') : `${kws.slice(0, -1).join(', ')} or ${kws.at(-1)}`;
}

/** Helpers bound to one history's text and error sink. */
export class EdnFields {
  constructor(
    readonly text: string,
    readonly index: LineIndex,
    readonly sink: ErrorSink,
  ) {}

  place(node: EdnNode): Place {
    return this.index.position(node.start);
  }

  error(node: EdnNode, message: string): undefined {
    const p = this.place(node);
    this.sink.add(p.line, p.column, message);
    return undefined;
  }

  show(node: EdnNode): string {
    return ednText(this.text, node);
  }

  /** The value under `name`, or an error at the map's opening brace when it is missing. */
  required(entry: EdnMapEntry, name: string, what: string | (() => string)): EdnNode | undefined {
    const node = ednGet(entry.map, name);
    if (node === undefined)
      this.sink.add(
        entry.line,
        entry.column,
        `expected the operation map to have :${name} (${typeof what === 'string' ? what : what()})`,
      );
    return node;
  }

  /** A string value, or an error. */
  string(node: EdnNode, name: string): string | undefined {
    if (node.kind === 'string') return node.value;
    return this.error(node, `expected :${name} to be a string, found ${this.show(node)}`);
  }

  /** An integer that a double holds exactly, or an error. */
  integer(node: EdnNode, name: string): number | undefined {
    if (node.kind === 'integer' && node.exact) return node.value;
    if (node.kind === 'integer')
      return this.error(
        node,
        `expected :${name} to be an integer below 2^53, found ${this.show(node)}`,
      );
    return this.error(node, `expected :${name} to be an integer, found ${this.show(node)}`);
  }

  /**
   * The client, type and function of an operation map, or undefined when one of them is bad
   * (reported), or 'skip' for a nemesis entry.
   */
  event<F extends string>(
    entry: EdnEntry,
    functions: readonly F[],
    pairing: ProcessPairing<unknown, unknown>,
  ): EdnEvent<F> | 'skip' | undefined {
    if (entry.map === undefined) {
      recoverUnreadable(entry.source, pairing, entry.line);
      return undefined;
    }
    const mapEntry = entry as EdnMapEntry;
    const event = this.fields(mapEntry, functions);
    if (event === undefined) {
      // The entry is reported; keep its process's pairing in step so the mistake is not reported twice.
      recoverUnreadable(this.text.slice(mapEntry.map.start, mapEntry.map.end), pairing, entry.line);
    }
    return event;
  }

  private fields<F extends string>(
    entry: EdnMapEntry,
    functions: readonly F[],
  ): EdnEvent<F> | 'skip' | undefined {
    const processNode = this.required(entry, 'process', 'the client that ran it, an integer');
    if (processNode === undefined) return undefined;
    if (processNode.kind === 'keyword' && processNode.name === 'nemesis') return 'skip';
    let client: string | undefined;
    if (processNode.kind === 'integer' && processNode.exact && processNode.value >= 0)
      client = String(processNode.value);
    else
      this.error(
        processNode,
        `expected :process to be a non-negative integer (or :nemesis), found ${this.show(processNode)}`,
      );
    const typeNode = this.required(entry, 'type', () => keywordList(EVENT_TYPES));
    let type: EventType | undefined;
    if (typeNode !== undefined) {
      if (typeNode.kind === 'keyword' && EVENT_TYPES.includes(typeNode.name))
        type = typeNode.name as EventType;
      else
        this.error(
          typeNode,
          `expected :type to be ${keywordList(EVENT_TYPES)}, found ${this.show(typeNode)}`,
        );
    }
    const fNode = this.required(entry, 'f', () => `the operation, ${keywordList(functions)}`);
    let f: F | undefined;
    if (fNode !== undefined) {
      if (fNode.kind === 'keyword' && (functions as readonly string[]).includes(fNode.name))
        f = fNode.name as F;
      else
        this.error(fNode, `expected :f to be ${keywordList(functions)}, found ${this.show(fNode)}`);
    }
    if (
      client === undefined ||
      type === undefined ||
      f === undefined ||
      typeNode === undefined ||
      fNode === undefined
    )
      return undefined;
    return {
      entry,
      client,
      type,
      f,
      at: { line: entry.line, column: entry.column },
      typeAt: this.place(typeNode),
      fAt: this.place(fNode),
    };
  }
}

/**
 * For an entry that could not be read: if its text still shows the process and the type, open a
 * placeholder for an invocation or close what a completion would have closed, silently.
 */
function recoverUnreadable(
  source: string,
  pairing: ProcessPairing<unknown, unknown>,
  line: number,
): void {
  const process = /:process\s+(\d+)/.exec(source)?.[1];
  const type = /:type\s+:([\w-]+)/.exec(source)?.[1];
  if (process === undefined || type === undefined) return;
  const client = String(Number(process));
  if (type === 'invoke') pairing.placeholder(client, line);
  else pairing.forget(client);
}

/**
 * Line-based times for a list of entries: the line number, and when a line holds m > 1 maps, the
 * k-th (from 0) gets line + k/m, so order within a line is kept and the first still reads as the
 * line number.
 */
export function lineTimes(entries: readonly EdnEntry[]): number[] {
  const perLine = new Map<number, number>();
  for (const e of entries) perLine.set(e.line, (perLine.get(e.line) ?? 0) + 1);
  const seen = new Map<number, number>();
  return entries.map((e) => {
    const k = seen.get(e.line) ?? 0;
    seen.set(e.line, k + 1);
    return e.line + k / (perLine.get(e.line) as number);
  });
}

/** What both EDN importers start from: the operation maps read, their times, and where errors go. */
export function openEdnHistory(text: string): {
  readonly sink: ErrorSink;
  readonly fields: EdnFields;
  readonly entries: EdnEntry[];
  readonly times: number[];
} {
  const index = new LineIndex(text);
  const sink = new ErrorSink();
  const entries = readEdnOperations(text, index, sink);
  return { sink, fields: new EdnFields(text, index, sink), entries, times: lineTimes(entries) };
}
