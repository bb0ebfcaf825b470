/**
 * The kv-context workload: closed-loop clients doing get and put on a few keys of a Dynamo-style
 * store, as Dynamo's and Riak's clients do: a get returns every surviving value of the key (its
 * siblings, sorted) with their causal context, and a put carries the context its client got from
 * its last get of that key, replacing exactly the versions that get showed. A client that has not
 * read a key writes it blind, with an empty context. Values are unique (`c2.17`), so checkers can
 * tell which write a read saw. Clients work only in the faulty phase: the healed phase is the
 * quiescence in which hinted handoff and read repair finish on their own. After it, one final
 * get per key. A `script` (per client, steps like `put k0`) replaces the random choice, for a
 * bug report's exact schedule. A `delete` (weight 0 unless `mix` gives it one) carries the
 * context of the client's last get of the key like a put, and removes exactly the versions that
 * get showed; a get after it finds nothing, with a context a later put supersedes it with.
 * Clients stay with the node they reach (`routing: sticky`, the default) or send each operation
 * to a random coordinator (`roam`, a client behind a load balancer).
 *
 * Outputs carry version vectors, as `n1:3` entries, so a checker can order what clients saw: a
 * get returns `{ values, context }`, a put `{ context }` (its own version's vector, dot included).
 *
 * Its model for linearizability is a register per key: a get is legal only if it shows exactly
 * the last value written (no siblings), which is what a linearizable store would return.
 */
import { z } from 'zod';
import type { Model } from '../checkers/linearizability/types.js';
import type { Prng } from '../core/prng.js';
import { intSchema } from '../options/units.js';
import {
  mixSchema,
  pickByWeight,
  type Routing,
  routeTo,
  routingSchema,
} from './replicated-clients.js';
import { scriptKeysCheck } from './kv-script.js';
import type { WorkloadDefinition } from './workload-definition.js';

export type KvContextInput =
  | { readonly f: 'get'; readonly key: string }
  | {
      readonly f: 'put';
      readonly key: string;
      readonly value: string;
      readonly context: readonly string[];
    }
  | { readonly f: 'delete'; readonly key: string; readonly context: readonly string[] };

/** What a get returns: the values of the surviving versions, sorted, and their causal context. */
interface KvContextRead {
  readonly values: readonly string[];
  readonly context: readonly string[];
}

export type KvContextOutput = KvContextRead | { readonly context: readonly string[] } | null;

const OPS = ['get', 'put', 'delete'] as const;

export interface KvContextOptions {
  readonly keys: number;
  readonly mix: Readonly<Record<(typeof OPS)[number], number>>;
  readonly routing: Routing;
  readonly script?: readonly (readonly string[])[];
}

const STEP = /^(get|put|delete) (k\d+)$/;

const optionsSchema = z
  .strictObject({
    keys: intSchema(1, 10_000).default(3).describe('distinct keys k0..k(keys-1) (default 3)'),
    mix: mixSchema({ get: 1, put: 1, delete: 0 }),
    routing: routingSchema,
    script: z
      .array(
        z.array(z.string().regex(STEP, { error: 'expected "get kN", "put kN" or "delete kN"' })),
      )
      .optional()
      .describe(
        'per client, a fixed list of operations run in order instead of the mix, on keys k0..k(keys-1)',
      ),
  })
  .superRefine(scriptKeysCheck);

/** A get's values as the kv checkers read a value: words joined by a space, or null for none. */
function kvContextText(output: unknown): string | null {
  const values = (output as KvContextRead | null)?.values;
  return values === undefined || values.length === 0 ? null : values.join(' ');
}

/** One register per key; a read showing siblings (two values) is never linearizable. */
const kvContextModel: Model<string | null, KvContextInput, KvContextOutput> = {
  name: 'kv-register',
  summary: 'a register per key: get returns the last value put, or nil; siblings are illegal',
  init: () => null,
  step(state, input, output, unknown) {
    if (input.f === 'put') return input.value;
    if (input.f === 'delete') return null;
    return unknown || kvContextText(output) === state ? state : undefined;
  },
  readOnly: (input) => input.f === 'get',
  key: (state) => (state === null ? 'nil' : `=${state}`),
  partition: (input) => input.key,
  describe(input, output, unknown) {
    if (input.f === 'put')
      return `put(${input.key}, ${JSON.stringify(input.value)}) -> ${unknown ? '?' : 'ok'}`;
    if (input.f === 'delete') return `delete(${input.key}) -> ${unknown ? '?' : 'ok'}`;
    const text = kvContextText(output);
    return `get(${input.key}) -> ${unknown ? '?' : text === null ? 'nil' : JSON.stringify(text)}`;
  },
};

export const kvContextWorkload: WorkloadDefinition<
  KvContextOptions,
  KvContextInput,
  KvContextOutput
> = {
  name: 'kv-context',
  summary:
    'get (siblings and causal context), put and delete with the context of the client’s last get of the key, on a few keys with unique values; a final get per key after healing',
  hasClients: true,
  optionsSchema,
  create(options, clients) {
    const writes = new Array<number>(clients).fill(0);
    const contexts = Array.from({ length: clients }, () => new Map<string, readonly string[]>());
    const done = new Array<number>(clients).fill(0);
    /** The client's next operation: its script's next step, or a draw from the mix. */
    const choose = (client: number, rng: Prng) => {
      if (options.script === undefined) {
        const key = `k${rng.int(0, options.keys - 1)}`;
        return { f: pickByWeight(options.mix, OPS, rng), key };
      }
      const step = done[client] ?? 0;
      done[client] = step + 1;
      const m = STEP.exec(options.script[client]?.[step] ?? '');
      return m === null ? undefined : { f: m[1] as (typeof OPS)[number], key: m[2] as string };
    };
    return {
      next(client, phase, rng): KvContextInput | undefined {
        if (phase !== 'faulty') return undefined;
        const op = choose(client, rng);
        if (op === undefined) return undefined;
        const { f, key } = op;
        if (f === 'get') return { f, key };
        if (f === 'delete') return { f, key, context: contexts[client]?.get(key) ?? [] };
        writes[client] = (writes[client] ?? 0) + 1;
        const value = `c${client + 1}.${writes[client]}`;
        return { f: 'put', key, value, context: contexts[client]?.get(key) ?? [] };
      },
      finalOps: () =>
        Array.from({ length: options.keys }, (_, k) => ({ f: 'get', key: `k${k}` }) as const),
      opName: (op) => op.f,
      // Sticky clients keep the driver's own choice (their node, failing over on a timeout), as
      // before routing existed; roaming ones send each operation to a random coordinator.
      ...(options.routing === 'roam'
        ? {
            route: (c: number, op: KvContextInput, n: number, rng: Prng) =>
              routeTo('roam', c, op, n, rng),
          }
        : {}),
      completed(client, op, outcome, output) {
        if (op.f === 'get' && outcome === 'ok')
          contexts[client]?.set(op.key, (output as KvContextRead).context);
      },
    };
  },
  model: kvContextModel,
  formatOp: ({ input }) =>
    input.f === 'put'
      ? `put(${input.key}, ${input.value}, [${input.context.join(' ')}])`
      : input.f === 'delete'
        ? `delete(${input.key}, [${input.context.join(' ')}])`
        : `get(${input.key})`,
};
