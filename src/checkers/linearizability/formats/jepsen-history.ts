/**
 * A Jepsen history as Jepsen and Knossos mean it, before any model looks at it: each operation
 * map carries `:process` (an integer; `:nemesis` entries are not client operations and are
 * skipped, as Jepsen's checkers skip them), `:type` (`:invoke`, `:ok`, `:fail`, `:info`) and `:f`
 * (a keyword); invocations and completions are paired by process, one operation in flight per
 * process. Other keys (`:value`, `:time`, `:index`, `:error`, `:node`, …) are left to the codec of
 * the model (jepsen/), which decides what the operation means.
 *
 * Real time is the order of the history, as Knossos reads it: call and ret are the line where
 * the invocation and the completion start (k-th of m maps on one line: line + k/m). `:time` is
 * not used: Jepsen records it per worker thread, and Knossos's own multi-register.edn has
 * invocations listed out of `:time` order.
 *
 * Outcomes: `:ok` completed; `:fail` did not happen (kept here so a codec can see it, then
 * dropped); `:info` may or may not have happened and stays open forever, as does an invocation
 * never completed.
 */
import type { EdnEntry } from './edn-history-stream.js';
import { readEdnHistory } from './edn-history-stream.js';
import type { EdnMap, EdnNode } from './edn-node.js';
import { ednGet } from './edn-node.js';
import { ErrorSink, LineIndex, type ParseError, type Place, quote } from './parse-result.js';
import { ProcessPairing } from './process-pairing.js';

export type JepsenOutcome = 'ok' | 'fail' | 'info' | 'open';
const EVENT_TYPES: readonly string[] = ['invoke', 'ok', 'fail', 'info'];

/** One client operation: its invocation and, when it completed, its completion. */
export interface JepsenOp {
  readonly client: string;
  /** The keyword under `:f`, without the colon. */
  readonly f: string;
  readonly invocation: EdnMap;
  /** The `:ok`, `:fail` or `:info` map; undefined while still open at the end. */
  readonly completion: EdnMap | undefined;
  readonly outcome: JepsenOutcome;
  /** Line-based times: see the header. `ret` is Infinity for `:info` and open operations. */
  readonly call: number;
  readonly ret: number;
  readonly line: number;
  readonly column: number;
}

export type JepsenRead =
  | { readonly ok: true; readonly ops: JepsenOp[]; readonly index: LineIndex }
  | { readonly ok: false; readonly errors: ParseError[] };

interface Event {
  readonly entry: EdnEntry;
  readonly client: string;
  readonly type: string;
  readonly f: string;
  readonly typeAt: Place;
  readonly fAt: Place;
}

interface Invocation {
  readonly map: EdnMap;
  readonly column: number;
}
interface Completion {
  readonly map: EdnMap | undefined;
  readonly outcome: JepsenOutcome;
}

/** Reads the operations of an EDN history; structural errors (not model ones) are returned. */
export function readJepsenHistory(text: string): JepsenRead {
  const index = new LineIndex(text);
  const sink = new ErrorSink();
  const events: Event[] = [];
  readEdnHistory(text, index, sink, (entry) => {
    const event = eventOf(entry, text, index, sink);
    if (event !== undefined) events.push(event);
  });
  if (!sink.empty) return { ok: false, errors: sink.sorted() };
  const times = lineTimes(events.map((e) => e.entry.line));
  const pairing = new ProcessPairing<Invocation, Completion>(sink);
  for (let i = 0; i < events.length && !sink.full; i++) {
    const e = events[i] as Event;
    const t = times[i] as number;
    const at = { line: e.entry.line, column: e.entry.column };
    if (e.type === 'invoke') {
      const input = { map: e.entry.map, column: e.entry.column };
      pairing.invoke(e.client, e.f, input, { map: undefined, outcome: 'open' }, t, at);
      continue;
    }
    const draft = pairing.complete(e.client, e.f, e.type, e.typeAt, e.fAt);
    if (draft === undefined) continue;
    draft.output = { map: e.entry.map, outcome: e.type as JepsenOutcome };
    if (e.type === 'info') draft.unknown = true;
    else draft.ret = t;
  }
  if (!sink.empty) return { ok: false, errors: sink.sorted() };
  const ops = pairing.finish().map(
    (o): JepsenOp => ({
      client: o.client,
      f: fOf(o.input.map),
      invocation: o.input.map,
      completion: o.output.map,
      outcome: o.output.outcome,
      call: o.call,
      ret: o.ret,
      line: o.line ?? 0,
      column: o.input.column,
    }),
  );
  return { ok: true, ops, index };
}

function fOf(map: EdnMap): string {
  const f = ednGet(map, 'f');
  return f !== undefined && f.kind === 'keyword' ? f.name : '';
}

/** Client, type and function of an entry; undefined for a nemesis entry or a reported mistake. */
function eventOf(
  entry: EdnEntry,
  text: string,
  index: LineIndex,
  sink: ErrorSink,
): Event | undefined {
  const { map } = entry;
  const errorsBefore = sink.errors.length;
  const fail = (node: EdnNode, expected: string): void => {
    const p = index.position(node.start);
    sink.add(
      p.line,
      p.column,
      `expected ${expected}, found ${quote(text.slice(node.start, node.end))}`,
    );
  };
  const missing = (name: string, what: string): void =>
    sink.add(entry.line, entry.column, `expected the operation map to have :${name} (${what})`);
  const process = ednGet(map, 'process');
  if (process === undefined) {
    missing('process', 'the client that ran it, an integer');
    return undefined;
  }
  if (process.kind === 'keyword' && process.name === 'nemesis') return undefined;
  if (!(process.kind === 'integer' && process.exact && process.value >= 0))
    fail(process, ':process to be a non-negative integer (or :nemesis)');
  const type = ednGet(map, 'type');
  if (type === undefined) missing('type', ':invoke, :ok, :fail or :info');
  else if (!(type.kind === 'keyword' && EVENT_TYPES.includes(type.name)))
    fail(type, ':type to be :invoke, :ok, :fail or :info');
  const f = ednGet(map, 'f');
  if (f === undefined) missing('f', 'the operation, a keyword such as :read');
  else if (f.kind !== 'keyword') fail(f, ':f to be a keyword naming the operation, such as :read');
  if (sink.errors.length > errorsBefore || sink.full) return undefined;
  if (type?.kind !== 'keyword' || f?.kind !== 'keyword' || process.kind !== 'integer')
    return undefined;
  return {
    entry,
    client: String(process.value),
    type: type.name,
    f: f.name,
    typeAt: index.position(type.start),
    fAt: index.position(f.start),
  };
}

/**
 * Line-based times: the line number, and when a line holds m > 1 maps, the k-th (from 0) gets
 * line + k/m, so order within a line is kept and the first still reads as the line number.
 */
export function lineTimes(lines: readonly number[]): number[] {
  const perLine = new Map<number, number>();
  for (const l of lines) perLine.set(l, (perLine.get(l) ?? 0) + 1);
  const seen = new Map<number, number>();
  return lines.map((l) => {
    const m = perLine.get(l) as number;
    if (m === 1) return l;
    const k = seen.get(l) ?? 0;
    seen.set(l, k + 1);
    return l + k / m;
  });
}
