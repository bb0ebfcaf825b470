/**
 * `faultline check --export edn`: a history as Jepsen EDN, whatever format it was read from, so
 * Knossos, Elle's tooling or Jepsen's own checkers can read it, and so can `faultline check`
 * (the round trip gives the same operations and the same verdict).
 *
 * Each operation becomes an `:invoke` and, when its outcome is known, an `:ok` (or, for what a
 * codec writes as `:fail`, a `:fail`), in time order; an operation whose outcome is unknown gets
 * its `:info` at the very end, which leaves it open over everything after its call, as it was.
 * Real-time order survives exactly: events are sorted by time with invocations before
 * completions at the same instant, the same tie rule the search uses (touching intervals are
 * concurrent). Jepsen allows one operation in flight per process, so a client whose earlier
 * operation is still open (an unknown one) continues under a fresh process number, as Jepsen
 * itself retires a process after `:info`. Times are not written: Knossos orders by position.
 */
import type { LinOp } from '../types.js';
import type { Encoded, JepsenCodec } from './jepsen/codec.js';

interface Event {
  readonly op: LinOp;
  readonly encoded: Encoded;
  readonly time: number;
  /** 0 invocation, 1 completion: invocations first at equal times. */
  readonly phase: 0 | 1;
}

function eventsOf(ops: readonly LinOp[], codec: JepsenCodec<unknown, unknown>): Event[] {
  const events: Event[] = [];
  for (const op of ops) {
    const encoded = codec.encode(op.input, op.output, op.unknown);
    events.push({ op, encoded, time: op.call, phase: 0 });
    events.push({ op, encoded, time: op.unknown ? Infinity : op.ret, phase: 1 });
  }
  return events.sort((a, b) => a.time - b.time || a.phase - b.phase || a.op.id - b.op.id);
}

/** One map on one line, in the key order Jepsen prints. */
function line(process: number, type: string, e: Encoded, value: string): string {
  const extra = e.extra === undefined ? '' : `, ${e.extra}`;
  return `{:process ${process}, :type :${type}, :f :${e.f}, :value ${value}${extra}}`;
}

/** The history as Jepsen EDN text: a vector of operation maps, one per line, after `comment`. */
export function exportEdn(
  ops: readonly LinOp[],
  codec: JepsenCodec<unknown, unknown>,
  comment: string,
): string {
  const processOf = new Map<number, number>();
  const current = new Map<string, number>();
  const busy = new Set<number>();
  let next = 0;
  const lines: string[] = [];
  for (const { op, encoded, phase } of eventsOf(ops, codec)) {
    if (phase === 0) {
      let p = current.get(op.client);
      if (p === undefined || busy.has(p)) {
        p = next++;
        current.set(op.client, p);
      }
      busy.add(p);
      processOf.set(op.id, p);
      lines.push(line(p, 'invoke', encoded, encoded.invokeValue));
      continue;
    }
    const p = processOf.get(op.id) as number;
    busy.delete(p);
    if (op.unknown) lines.push(line(p, 'info', encoded, encoded.invokeValue));
    else lines.push(line(p, encoded.type ?? 'ok', encoded, encoded.completeValue));
  }
  const body = lines.length === 0 ? '[]' : `[${lines.join('\n ')}]`;
  return `${comment
    .split('\n')
    .map((l) => `; ${l}`)
    .join('\n')}\n${body}\n`;
}
