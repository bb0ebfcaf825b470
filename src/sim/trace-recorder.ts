/**
 * The trace of a run beyond the engine's own (time, kind, target) fold: message labels, marks,
 * faults and client outcomes are folded into the same hash, and, when the caller asks for a
 * trace file, written out as one JSON object per line (NDJSON). Labels are interned to small
 * integers in first-seen order, so hashing a label costs one map lookup, not a string walk.
 *
 * The written lines carry more than the hash folds, so the report can link what it draws: each
 * message's id (`mid`) on its send (`send`, `reply`, `invoke`) and on each receipt (`recv`,
 * `request`), and a `drop` line, with its cause, for a message that reached a partition or a
 * crashed receiver. A message lost or cut at send says so on its send line (`copies: 0` and
 * `drop`). None of this is hashed: the trace hash is the same with or without a trace file.
 */
import type { TraceHash } from '../core/trace-hash.js';
import type { Micros } from '../core/time.js';
import type { DropCause } from '../net/network.js';

export type TraceSink = (line: string) => void;

export class TraceRecorder {
  private readonly labels = new Map<string, number>();

  constructor(
    private readonly hash: TraceHash,
    readonly sink: TraceSink | undefined,
  ) {}

  /** Folds a label (message type, timer name, mark) into the hash. */
  label(text: string): void {
    let id = this.labels.get(text);
    if (id === undefined) {
      id = this.labels.size;
      this.labels.set(text, id);
      this.hash.str(text);
    }
    this.hash.int(id);
  }

  int(x: number): void {
    this.hash.int(x);
  }

  /** Writes one trace line when a sink is attached; `fields` is only built by callers that check `enabled`. */
  write(t: Micros, ev: string, fields: Record<string, unknown>): void {
    this.sink?.(JSON.stringify({ t, ev, ...fields }, replacer));
  }

  get enabled(): boolean {
    return this.sink !== undefined;
  }
}

/** What a send line says about routing: id, copies, and why none or when a clog let it go. */
export function routeFields(
  last: { readonly id: number; readonly drop: DropCause | undefined; readonly heldUntilUs: Micros },
  copies: number,
): Record<string, unknown> {
  const f: Record<string, unknown> = { mid: last.id, copies };
  if (last.drop !== undefined) f.drop = last.drop;
  if (last.heldUntilUs > 0) f.heldUntil = last.heldUntilUs;
  return f;
}

function replacer(_key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  if (value instanceof Map) return Object.fromEntries(value);
  if (value instanceof Set) return [...value];
  return value;
}
