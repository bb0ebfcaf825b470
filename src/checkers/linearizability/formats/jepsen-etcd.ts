/**
 * Jepsen etcd logs as Porcupine's etcd tests read them (`test_data/jepsen/etcd_NNN.log`, from
 * ahorn/linearizability-checker): one compare-and-set register, one event per line,
 *
 *   INFO  jepsen.util - 3	:invoke	:cas	[1 4]
 *
 * with any run of whitespace between fields. What each line means
 * (../shared/conformance/porcupine/README.md):
 *
 * - `:invoke :read nil`, `:invoke :write V`, `:invoke :cas [A B]` open an operation on the process.
 * - `:ok :read nil|V`, `:ok :write V`, `:ok :cas [A B]` complete it with a known output.
 * - `:fail :cas [A B]` COMPLETES the cas with ok=false: etcd answered "compare failed", so the
 *   register did not hold A. This is not Jepsen's usual "did not happen" (see edn-history.ts).
 * - `:fail :read :timed-out` completes the read at that line with an unknown output.
 * - `:info ...` (`:timed-out` writes and cas) is indeterminate: the operation stays open
 *   forever (unknown, return +∞). Jepsen then retires the process id: a later completion on it is
 *   a mistake. Any other `:fail` (Porcupine matches none) is treated the same way, as Porcupine's
 *   skipping it amounts to.
 *
 * Lines that do not start with `INFO jepsen.util -` are other log output and are ignored, as
 * Porcupine ignores every line its patterns do not match; so are prefixed lines whose first field
 * is not a process id (free-text messages) and `:nemesis` lines. A prefixed line with a numeric
 * process id is an operation and must be well formed: an unknown type or function, a value of the
 * wrong shape, a completion with nothing open, or one whose value differs from its invocation's
 * is an error with its line and column, where Porcupine would silently misread the history.
 *
 * call and ret are line numbers. An empty file is an empty history (etcd_095.log).
 */
import { type CasInput, type CasOutput, unknownCasOutput } from './op-types.js';
import {
  ErrorSink,
  guard,
  type ParseResult,
  type Place,
  quote,
  splitLines,
} from './parse-result.js';
import { ProcessPairing } from './process-pairing.js';

const PREFIX = /^(\uFEFF?INFO\s+jepsen\.util\s+-\s+)/;
const TYPES = ['invoke', 'ok', 'fail', 'info'] as const;
const FUNCTIONS = ['read', 'write', 'cas'] as const;
type Fn = (typeof FUNCTIONS)[number];

/** The value field: nil, an integer, a pair [A B] or a keyword such as :timed-out. */
type Value =
  | { kind: 'nil' }
  | { kind: 'int'; n: number }
  | { kind: 'pair'; a: number; b: number }
  | { kind: 'keyword'; name: string };

function readValue(text: string): Value | string {
  if (text === 'nil') return { kind: 'nil' };
  if (/^-?\d+$/.test(text)) {
    const n = Number(text);
    return Number.isSafeInteger(n)
      ? { kind: 'int', n }
      : `expected an integer below 2^53, found ${quote(text)}`;
  }
  const pair = /^\[\s*(-?\d+)\s+(-?\d+)\s*\]$/.exec(text);
  if (pair) {
    const a = Number(pair[1]);
    const b = Number(pair[2]);
    return Number.isSafeInteger(a) && Number.isSafeInteger(b)
      ? { kind: 'pair', a, b }
      : `expected integers below 2^53, found ${quote(text)}`;
  }
  if (/^:[A-Za-z][\w.-]*$/.test(text)) return { kind: 'keyword', name: text.slice(1) };
  return `expected nil, an integer, [A B] or a keyword like :timed-out, found ${text === '' ? 'end of line' : quote(text)}`;
}

const show = (v: Value): string =>
  v.kind === 'nil'
    ? 'nil'
    : v.kind === 'int'
      ? String(v.n)
      : v.kind === 'pair'
        ? `[${v.a} ${v.b}]`
        : `:${v.name}`;

export function parseJepsenEtcd(text: string): ParseResult<CasInput, CasOutput> {
  return guard(() => {
    const sink = new ErrorSink();
    const pairing = new ProcessPairing<CasInput, CasOutput>(sink);
    const lines = splitLines(text);
    for (let i = 0; i < lines.length && !sink.full; i++) {
      const line = i + 1;
      const source = lines[i] as string;
      const prefix = PREFIX.exec(source)?.[1];
      if (prefix === undefined) continue;
      // Fields: process, type and function are single tokens; the value is the rest of the line.
      const fieldRe = /\S+/g;
      fieldRe.lastIndex = prefix.length;
      const take = (): { text: string; column: number } | undefined => {
        const m = fieldRe.exec(source);
        return m === null ? undefined : { text: m[0], column: m.index + 1 };
      };
      const at = (column: number): Place => ({ line, column });
      const fail = (column: number, message: string): void => sink.add(line, column, message);

      const proc = take();
      if (proc === undefined || proc.text === ':nemesis' || !/^-?\d+$/.test(proc.text)) continue;
      const processId = Number(proc.text);
      if (!Number.isSafeInteger(processId) || processId < 0) {
        fail(proc.column, `expected a non-negative process id, found ${quote(proc.text)}`);
        continue;
      }
      const client = String(processId);
      const typeTok = take();
      const type =
        typeTok !== undefined &&
        (TYPES as readonly string[]).includes(typeTok.text.slice(1)) &&
        typeTok.text.startsWith(':')
          ? (typeTok.text.slice(1) as (typeof TYPES)[number])
          : undefined;
      if (typeTok === undefined || type === undefined) {
        fail(
          typeTok?.column ?? source.length + 1,
          `expected the type :invoke, :ok, :fail or :info, found ${typeTok === undefined ? 'end of line' : quote(typeTok.text)}`,
        );
        // Invocation or completion, it cannot be told: whatever comes next on this process is not news.
        pairing.placeholder(client, line);
        continue;
      }
      const fTok = take();
      const f =
        fTok?.text.startsWith(':') && (FUNCTIONS as readonly string[]).includes(fTok.text.slice(1))
          ? (fTok.text.slice(1) as Fn)
          : undefined;
      if (fTok === undefined || f === undefined) {
        fail(
          fTok?.column ?? source.length + 1,
          `expected the function :read, :write or :cas, found ${fTok === undefined ? 'end of line' : quote(fTok.text)}`,
        );
        if (type === 'invoke') pairing.placeholder(client, line);
        else pairing.forget(client);
        continue;
      }
      const valueStart = fTok.column - 1 + fTok.text.length;
      const rest = source.slice(valueStart);
      const valueColumn = valueStart + (rest.length - rest.trimStart().length) + 1;
      const value = readValue(rest.trim());
      if (typeof value === 'string') {
        fail(valueColumn, value);
        if (type === 'invoke') pairing.placeholder(client, line);
        else pairing.forget(client);
        continue;
      }
      const wrong = (expected: string): void =>
        fail(valueColumn, `expected ${expected} after :${type} :${f}, found ${show(value)}`);

      if (type === 'invoke') {
        let input: CasInput | undefined;
        if (f === 'read') {
          if (value.kind === 'nil') input = { f: 'read' };
          else wrong('nil');
        } else if (f === 'write') {
          if (value.kind === 'int') input = { f: 'write', value: value.n };
          else wrong('the integer to write');
        } else if (value.kind === 'pair') input = { f: 'cas', from: value.a, to: value.b };
        else wrong('[A B], the value expected and the value to set');
        pairing.invoke(
          client,
          f,
          input,
          input === undefined ? { value: null } : unknownCasOutput(input),
          line,
          at(proc.column),
        );
        continue;
      }

      const draft = pairing.complete(client, f, type, at(typeTok.column), at(fTok.column));
      if (draft === undefined || draft.input === undefined) continue;
      const input = draft.input;
      const indeterminate = (): void => {
        draft.unknown = true;
        draft.ret = Infinity;
      };
      if (type === 'info') {
        indeterminate();
        continue;
      }
      if (input.f === 'read') {
        if (type === 'ok') {
          if (value.kind === 'nil' || value.kind === 'int') {
            draft.output = { value: value.kind === 'int' ? value.n : null };
            draft.ret = line;
          } else {
            wrong('nil or the integer read');
            draft.dropped = true;
          }
        } else if (value.kind === 'keyword' && value.name === 'timed-out') {
          // Porcupine: a return at this line with unknown output; such a read constrains nothing.
          draft.unknown = true;
          draft.ret = line;
        } else {
          indeterminate();
        }
        continue;
      }
      const echoes =
        input.f === 'write'
          ? value.kind === 'int' && value.n === input.value
          : value.kind === 'pair' && value.a === input.from && value.b === input.to;
      if (type === 'fail' && !(input.f === 'cas' && echoes)) {
        // `:fail :write` or `:fail :cas :timed-out`: no pattern of Porcupine's; the outcome is open.
        if (value.kind === 'keyword' || echoes) {
          indeterminate();
          continue;
        }
      }
      if (!echoes) {
        const invoked = input.f === 'write' ? String(input.value) : `[${input.from} ${input.to}]`;
        fail(
          valueColumn,
          `expected ${invoked} like the invocation on line ${draft.line}, found ${show(value)}`,
        );
        draft.dropped = true;
        continue;
      }
      draft.output = input.f === 'write' ? {} : { ok: type === 'ok' };
      draft.ret = line;
    }
    if (!sink.empty) return { ok: false, errors: sink.sorted() };
    return { ok: true, ops: pairing.finish() };
  });
}
