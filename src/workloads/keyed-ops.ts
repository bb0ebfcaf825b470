/**
 * Counter and set operations spread over keys, for a per-key store whose values are CRDTs
 * (dynamo with `resolution: crdt`): with `keys` set, each update and read names one of
 * k0..k(keys-1), drawn after the operation itself, and the final reads are one per key. Unset,
 * the workloads are what they were, one replicated counter or set, and draw nothing more.
 */
import type { Prng } from '../core/prng.js';
import { intSchema } from '../options/units.js';

export const keysSchema = intSchema(1, 1000)
  .optional()
  .describe(
    'spread operations over keys k0..k(keys-1), for a per-key store (dynamo with resolution: crdt); unset, one object',
  );

export type Keyed<Op> = Op & { readonly key?: string };

/** The operation on a key drawn from `keys`, or as it is when the workload has no keys. */
export const onKey = <Op extends object>(op: Op, keys: number | undefined, rng: Prng): Keyed<Op> =>
  keys === undefined ? op : { ...op, key: `k${rng.int(0, keys - 1)}` };

/** One read of each key, after healing. */
export const keyReads = (keys: number) =>
  Array.from({ length: keys }, (_, i) => ({ f: 'read' as const, key: `k${i}` }));

/** `k2 ` before an operation on a key, for histories. */
export const keyPrefix = (op: { readonly key?: string }): string =>
  op.key === undefined ? '' : `${op.key} `;
