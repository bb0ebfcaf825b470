/**
 * The key-value workload: closed-loop clients doing get, put and append on a few keys. Values are
 * unique (`c2.17`: client 2's 17th operation), so checkers can tell which write a read saw, and
 * appends are the default, so a final read of a key lists every write that survived (Jepsen's set
 * test). After healing, one final get per key observes the state. Its histories are checked
 * against the `kv-list` model: faultline's kv store, where append joins with a space.
 */
import { z } from 'zod';
import { kvListModel } from '../checkers/linearizability/models/kv-list.js';
import type { DelaySpec } from '../core/delay.js';
import type { KvInput, KvOutput } from '../core/history.js';
import type { Micros } from '../core/time.js';
import type { Workload } from '../core/workload.js';
import { intSchema } from '../options/units.js';
import type { WorkloadDefinition } from './workload-definition.js';

interface KvMix {
  readonly get: number;
  readonly put: number;
  readonly append: number;
}

export interface KvOptions {
  readonly keys: number;
  readonly mix: KvMix;
}

const mixSchema = z
  .strictObject({
    get: intSchema(0).default(0).describe('relative weight of get'),
    put: intSchema(0).default(0).describe('relative weight of put'),
    append: intSchema(0).default(0).describe('relative weight of append'),
  })
  .superRefine((m, ctx) => {
    if (m.get + m.put + m.append > 0) return;
    ctx.addIssue({
      code: 'custom',
      message: 'at least one of get, put, append must have a weight above 0',
    });
  })
  .prefault({ get: 1, put: 0, append: 2 })
  .describe(
    'relative weights of operations; weights left out are 0 (default { get: 1, put: 0, append: 2 })',
  );

const optionsSchema = z.strictObject({
  keys: intSchema(1, 1_000_000).default(5).describe('distinct keys k0..k(keys-1) (default 5)'),
  mix: mixSchema,
});

/** The operation generator: a uniform key, an operation by the mix, a value unique per client. */
function kvOperations(options: KvOptions, clients: number): Workload<KvInput> {
  const counters = new Array<number>(clients).fill(0);
  const { keys, mix } = options;
  const total = mix.get + mix.put + mix.append;
  const keyName = (k: number) => `k${k}`;
  return {
    next(client, _phase, rng) {
      const n = (counters[client] ?? 0) + 1;
      counters[client] = n;
      const key = keyName(rng.int(0, keys - 1));
      const r = rng.int(0, total - 1);
      const value = `c${client + 1}.${n}`;
      if (r < mix.get) return { f: 'get', key };
      if (r < mix.get + mix.put) return { f: 'put', key, value };
      return { f: 'append', key, value };
    },
    finalOps: () =>
      Array.from({ length: keys }, (_, k): KvInput => ({ f: 'get', key: keyName(k) })),
    opName: (op) => op.f,
  };
}

export const kvWorkload: WorkloadDefinition<KvOptions, KvInput, KvOutput> = {
  name: 'kv',
  summary:
    'closed-loop clients doing get/put/append on a few keys with unique values; final reads of every key after healing',
  hasClients: true,
  optionsSchema,
  create: kvOperations,
  model: kvListModel,
  formatOp: (op) =>
    op.input.f === 'get'
      ? `get(${op.input.key})`
      : `${op.input.f}(${op.input.key}, ${op.input.value})`,
};

/** Clients and kv operations in one, for a world built in code (tests, benchmarks). */
export interface KvClientsSpec extends KvOptions {
  readonly clients: number;
  readonly timeoutUs: Micros;
  readonly thinkUs: DelaySpec;
  readonly retries: number;
  readonly opsPerClientMax: number;
}

/** A `WorldConfig.clients` of kv clients, without a scenario file. */
export function kvClients(spec: KvClientsSpec) {
  const { clients, keys, mix, ...behaviour } = spec;
  return { count: clients, ...behaviour, workload: kvOperations({ keys, mix }, clients) };
}
