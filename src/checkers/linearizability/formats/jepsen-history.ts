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
import { ErrorSink, LineIndex, type ParseError, quote } from './parse-result.js';

type JepsenOutcome = 'ok' | 'fail' | 'info' | 'open';
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
  /** Where `:type` and `:f` are written, for an error about them. */
  readonly typeNode: EdnNode;
  readonly fNode: EdnNode;
}

type Draft = { -readonly [K in keyof JepsenOp]: JepsenOp[K] };

/**
 * Reads the operations of an EDN history; structural errors (not model ones) are returned.
 * Malformed entries are reported first, and pairing is looked at only when there are none, so
 * one mistake is never reported twice (a bad invocation, then its completion as unpaired).
 */
export function readJepsenHistory(text: string): JepsenRead {
  const index = new LineIndex(text);
  const sink = new ErrorSink();
  const events: Event[] = [];
  readEdnHistory(text, index, sink, (entry) => {
    const event = eventOf(entry, text, index, sink);
    if (event !== undefined) events.push(event);
  });
  if (!sink.empty) return { ok: false, errors: sink.sorted() };
  const ops = pair(events, lineTimes(events.map((e) => e.entry.line)), index, sink);
  if (!sink.empty) return { ok: false, errors: sink.sorted() };
  return { ok: true, ops, index };
}

/**
 * Pairs invocations with completions by process, as Jepsen reads a history: a process has at
 * most one operation in flight; an invocation opens it, the next completion on the same process
 * closes it. Operations come out in invocation order.
 */
function pair(
  events: readonly Event[],
  times: readonly number[],
  index: LineIndex,
  sink: ErrorSink,
): Draft[] {
  const ops: Draft[] = [];
  const open = new Map<string, Draft>();
  for (let i = 0; i < events.length && !sink.full; i++) {
    const { entry, client, type, f, typeNode, fNode } = events[i] as Event;
    const t = times[i] as number;
    const prior = open.get(client);
    if (type === 'invoke') {
      if (prior !== undefined)
        sink.add(
          entry.line,
          entry.column,
          `process ${client} invokes :${f} while its :${prior.f} from line ${prior.line} is still open (expected a completion first: one operation in flight per process)`,
        );
      const op: Draft = {
        client,
        f,
        invocation: entry.map,
        completion: undefined,
        outcome: 'open',
        call: t,
        ret: Infinity,
        line: entry.line,
        column: entry.column,
      };
      ops.push(op);
      open.set(client, op);
      continue;
    }
    if (prior === undefined) {
      const p = index.position(typeNode.start);
      sink.add(
        p.line,
        p.column,
        `:${type} for process ${client}, which has no operation open (expected an :invoke on that process first)`,
      );
      continue;
    }
    open.delete(client);
    if (prior.f !== f) {
      const p = index.position(fNode.start);
      sink.add(
        p.line,
        p.column,
        `expected :f :${prior.f} to complete the invocation of process ${client} on line ${prior.line}, found :${f}`,
      );
    }
    prior.completion = entry.map;
    prior.outcome = type as JepsenOutcome;
    if (type !== 'info') prior.ret = t;
  }
  return ops;
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
    typeNode: type,
    fNode: f,
  };
}

/**
 * Line-based times: the line number, and when a line holds m > 1 maps, the k-th (from 0) gets
 * line + k/m, so order within a line is kept and the first still reads as the line number. Maps
 * on one line are consecutive, so one pass over runs of equal lines does it.
 */
function lineTimes(lines: readonly number[]): number[] {
  const times = new Array<number>(lines.length);
  for (let i = 0; i < lines.length; ) {
    const line = lines[i] as number;
    let j = i + 1;
    while (j < lines.length && lines[j] === line) j++;
    for (let k = i; k < j; k++) times[k] = line + (k - i) / (j - i);
    i = j;
  }
  return times;
}
