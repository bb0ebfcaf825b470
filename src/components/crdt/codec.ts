/**
 * Small shared pieces for the types' canonical JSON encodings and their checked decoding. A state
 * read back from a WAL record or a message was written by this library, so a shape that does not
 * fit is a programmer error (an assert), not user input to report nicely.
 */
import { assert } from '../../core/assert.js';
import { stableStringify } from '../../core/encoding.js';
import { TraceHash } from '../../core/trace-hash.js';
import type { Dot } from '../clocks/dot.js';
import { VectorClock } from '../clocks/vector-clock.js';
import type { Json } from './crdt-type.js';

export function asArray(j: Json, what: string): readonly Json[] {
  assert(Array.isArray(j), () => `${what}: expected an array`);
  return j as readonly Json[];
}

export function asString(j: Json, what: string): string {
  assert(typeof j === 'string', () => `${what}: expected a string`);
  return j;
}

export function asCount(j: Json, what: string): number {
  assert(Number.isSafeInteger(j) && (j as number) >= 0, () => `${what}: expected a count`);
  return j as number;
}

export function asObject(j: Json, what: string): { readonly [key: string]: Json } {
  assert(j !== null && typeof j === 'object' && !Array.isArray(j), () => `${what}: not an object`);
  return j as { readonly [key: string]: Json };
}

export const encodeDot = (d: Dot): Json => [d.node, d.counter];

export function decodeDot(j: Json): Dot {
  const [node, counter] = asArray(j, 'dot');
  return { node: asString(node ?? null, 'dot node'), counter: asCount(counter ?? null, 'dot') };
}

export const encodeClock = (c: VectorClock): Json => c.entries();

export function decodeClock(j: Json): VectorClock {
  return VectorClock.from(
    asArray(j, 'vector clock').map((e) => {
      const d = decodeDot(e);
      return [d.node, d.counter] as const;
    }),
  );
}

/**
 * 16 hex digits over an encoding, with object keys sorted: a register's value read back from
 * JSON may have its keys in another order than the object it was written from.
 */
export function hashJson(j: Json): string {
  const h = new TraceHash();
  h.str(stableStringify(j));
  return h.hex();
}

/** A value as a person reads it in a diff: JSON, cut short. */
export function show(j: unknown): string {
  const text = JSON.stringify(j) ?? 'undefined';
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
