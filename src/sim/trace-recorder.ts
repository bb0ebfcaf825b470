/**
 * The trace of a run beyond the engine's own (time, kind, target) fold: message labels, marks,
 * faults and client outcomes are folded into the same hash, and, when the caller asks for a
 * trace file, written out as one JSON object per line (NDJSON). Labels are interned to small
 * integers in first-seen order, so hashing a label costs one map lookup, not a string walk.
 */
import type { TraceHash } from '../core/trace-hash.js';
import type { Micros } from '../core/time.js';

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

function replacer(_key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  if (value instanceof Map) return Object.fromEntries(value);
  if (value instanceof Set) return [...value];
  return value;
}
