/**
 * The kv-context workload: closed-loop clients doing get and put on a few keys of a Dynamo-style
 * store, as Dynamo's and Riak's clients do: a get returns every surviving value of the key (its
 * siblings, sorted) with their causal context, and a put carries the context its client got from
 * its last get of that key, replacing exactly the versions that get showed. A client that has not
 * read a key writes it blind, with an empty context. Values are unique (`c2.17`), so checkers can
 * tell which write a read saw. Clients work only in the faulty phase: the healed phase is the
 * quiescence in which hinted handoff and read repair finish on their own. After it, one final
 * get per key. Clients stay with the node they reach (`routing: sticky`, the default) or send
 * each operation to a random coordinator (`roam`, a client behind a load balancer).
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
import type { WorkloadDefinition } from './workload-definition.js';

export type KvContextInput =
  | { readonly f: 'get'; readonly key: string }
  | {
      readonly f: 'put';
      readonly key: string;
      readonly value: string;
      readonly context: readonly string[];
    };

/** What a get returns: the values of the surviving versions, sorted, and their causal context. */
interface KvContextRead {
  readonly values: readonly string[];
  readonly context: readonly string[];
}

export type KvContextOutput = KvContextRead | { readonly context: readonly string[] } | null;

const OPS = ['get', 'put'] as const;

export interface KvContextOptions {
  readonly keys: number;
  readonly mix: Readonly<Record<(typeof OPS)[number], number>>;
  readonly routing: Routing;
}

const optionsSchema = z.strictObject({
  keys: intSchema(1, 10_000).default(3).describe('distinct keys k0..k(keys-1) (default 3)'),
  mix: mixSchema({ get: 1, put: 1 }),
  routing: routingSchema,
});

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
    return unknown || kvContextText(output) === state ? state : undefined;
  },
  readOnly: (input) => input.f === 'get',
  key: (state) => (state === null ? 'nil' : `=${state}`),
  partition: (input) => input.key,
  describe(input, output, unknown) {
    if (input.f === 'put')
      return `put(${input.key}, ${JSON.stringify(input.value)}) -> ${unknown ? '?' : 'ok'}`;
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
    'get (siblings and causal context) and put with the context of the client’s last get of the key, on a few keys with unique values; a final get per key after healing',
  hasClients: true,
  optionsSchema,
  create(options, clients) {
    const writes = new Array<number>(clients).fill(0);
    const contexts = Array.from({ length: clients }, () => new Map<string, readonly string[]>());
    return {
      next(client, phase, rng): KvContextInput | undefined {
        if (phase !== 'faulty') return undefined;
        const key = `k${rng.int(0, options.keys - 1)}`;
        if (pickByWeight(options.mix, OPS, rng) === 'get') return { f: 'get', key };
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
  formatOp: (op) =>
    op.input.f === 'put'
      ? `put(${op.input.key}, ${op.input.value}, [${op.input.context.join(' ')}])`
      : `get(${op.input.key})`,
};
