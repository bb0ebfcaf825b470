/**
 * Small histories for the session-guarantees checker: kv, register and kv-context operations,
 * written in the order clients invoked them. Unless told otherwise an operation takes 1 µs and
 * the next one starts 10 µs later, so each completes before the next begins.
 */
import type { History, Operation, OpOutcome } from '../../../src/core/history.js';

export interface Step {
  readonly client: string;
  readonly f: 'get' | 'put' | 'append';
  readonly key?: string;
  /** A write's value, or what a read returned (kv: a string or null; register: values). */
  readonly value?: string | null;
  readonly values?: readonly string[];
  /** A register read's context, or the context a register put carries. */
  readonly context?: readonly string[];
  readonly outcome?: OpOutcome;
  /** Invocation and completion times, when the default spacing is not wanted. */
  readonly at?: number;
  readonly done?: number;
}

/** A kv history: `get` returns `value`; `put`/`append` write it. */
export function kvHistory(steps: readonly Step[]): History {
  return steps.map((s, id) => {
    const key = s.key ?? 'k';
    const input = s.f === 'get' ? { f: s.f, key } : { f: s.f, key, value: s.value as string };
    return operation(s, id, input, s.f === 'get' ? (s.value ?? null) : undefined);
  });
}

/** A register history: `get` returns `values` and `context`; `put` carries `context`. */
export function registerHistory(steps: readonly Step[]): History {
  return steps.map((s, id) => {
    const context = s.context ?? [];
    if (s.f === 'get') return operation(s, id, { f: 'get' }, { values: s.values ?? [], context });
    return operation(s, id, { f: 'put', value: s.value as string, context }, undefined);
  });
}

/**
 * A kv-context history (the dynamo store's): `get` returns `values` and their `context`; `put`
 * carries the `context` its client read and returns `vector`, its own version's vector.
 */
export function kvContextHistory(steps: readonly (Step & { vector?: readonly string[] })[]) {
  return steps.map((s, id) => {
    const key = s.key ?? 'k';
    const context = s.context ?? [];
    if (s.f === 'get')
      return operation(s, id, { f: 'get', key }, { values: s.values ?? [], context });
    const input = { f: 'put', key, value: s.value as string, context };
    return operation(s, id, input, { context: s.vector ?? [] });
  });
}

function operation(s: Step, id: number, input: unknown, output: unknown): Operation {
  const outcome = s.outcome ?? 'ok';
  const at = s.at ?? id * 10;
  return {
    id,
    client: s.client,
    f: s.f,
    input,
    output: outcome === 'ok' ? output : undefined,
    invokeUs: at,
    completeUs: outcome === 'info' ? undefined : (s.done ?? at + 1),
    outcome,
    phase: 'faulty',
  };
}

export const formatOp = (op: Operation): string => {
  const i = op.input as { f: string; key?: string; value?: string };
  return i.value === undefined ? `${i.f}(${i.key ?? ''})` : `${i.f}(${i.key ?? ''}, ${i.value})`;
};
