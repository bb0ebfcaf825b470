/**
 * The key-value workload: closed-loop clients doing get, put, append and (with a `delete` weight in
 * `mix`, 0 by default) delete on a few keys; a deleted key reads as absent (`null`). Values are
 * unique (`c2.17`: client 2's 17th operation), so checkers can tell which write a read saw, and
 * appends are the default, so a final read of a key lists every write that survived (Jepsen's set
 * test). After healing, one final get per key observes the state. Its histories are checked
 * against the `kv-list` model: faultline's kv store, where append joins with a space. A `script`
 * (per client, steps like `put k0`) replaces the random choice, for a bug report's exact schedule:
 * client i runs script[i] in order during the faulty phase, then stops.
 */
import { z } from 'zod';
import { kvListModel } from '../checkers/linearizability/models/kv-list.js';
import type { DelaySpec } from '../core/delay.js';
import type { KvInput, KvOutput } from '../core/history.js';
import type { Prng } from '../core/prng.js';
import type { Micros } from '../core/time.js';
import type { Workload } from '../core/workload.js';
import { intSchema } from '../options/units.js';
import { scriptKeysCheck } from './kv-script.js';
import type { WorkloadDefinition } from './workload-definition.js';

interface KvMix {
  readonly get: number;
  readonly put: number;
  readonly append: number;
  /** Absent in a mix built in code: 0. */
  readonly delete?: number;
}

/** A hot spot: `pct` percent of operations go to the first `keys` keys (k0..k(keys-1)). */
interface KvHot {
  readonly keys: number;
  readonly pct: number;
}

export interface KvOptions {
  readonly keys: number;
  readonly mix: KvMix;
  /** Absent: every key equally likely, and no extra draw. */
  readonly hot?: KvHot | undefined;
  readonly script?: readonly (readonly string[])[];
}

const STEP = /^(get|put|append|delete) (k\d+)$/;

const mixSchema = z
  .strictObject({
    get: intSchema(0).default(0).describe('relative weight of get'),
    put: intSchema(0).default(0).describe('relative weight of put'),
    append: intSchema(0).default(0).describe('relative weight of append'),
    delete: intSchema(0).default(0).describe('relative weight of delete (default 0)'),
  })
  .superRefine((m, ctx) => {
    if (m.get + m.put + m.append + (m.delete ?? 0) > 0) return;
    ctx.addIssue({
      code: 'custom',
      message: 'at least one of get, put, append, delete must have a weight above 0',
    });
  })
  .prefault({ get: 1, put: 0, append: 2, delete: 0 })
  .describe(
    'relative weights of operations; weights left out are 0 (default { get: 1, put: 0, append: 2 })',
  );

const optionsSchema = z
  .strictObject({
    keys: intSchema(1, 1_000_000).default(5).describe('distinct keys k0..k(keys-1) (default 5)'),
    mix: mixSchema,
    hot: z
      .strictObject({
        keys: intSchema(1, 1_000_000).describe('how many keys are hot: k0..k(keys-1)'),
        pct: intSchema(0, 100).describe('percent of operations that go to a hot key'),
      })
      .optional()
      .describe(
        'a skewed workload: pct percent of operations on the first `keys` keys, the rest uniform over all keys (default: uniform, drawing exactly as before)',
      ),
    script: z
      .array(
        z.array(
          z
            .string()
            .regex(STEP, { error: 'expected "get kN", "put kN", "append kN" or "delete kN"' }),
        ),
      )
      .optional()
      .describe(
        'per client, a fixed list of operations run in order instead of the mix, on keys k0..k(keys-1)',
      ),
  })
  .superRefine(scriptKeysCheck)
  .superRefine((o, ctx) => {
    if (o.hot === undefined || o.hot.keys <= o.keys) return;
    ctx.addIssue({
      code: 'custom',
      path: ['hot', 'keys'],
      message: `${o.hot.keys} hot keys are more than the workload's ${o.keys} keys: lower hot.keys or raise keys`,
    });
  });

type KvF = KvInput['f'];

/**
 * A draw from the mix: a key and an operation by the weights. The key is uniform, or with `hot`
 * a hot one `pct` percent of the time; without `hot` nothing more is drawn, so a scenario
 * without it draws the same numbers as before the option existed.
 */
function draw(options: KvOptions, rng: Prng): { f: KvF; key: string } {
  const { keys, mix, hot } = options;
  const total = mix.get + mix.put + mix.append + (mix.delete ?? 0);
  const hotKey = hot !== undefined && rng.int(0, 99) < hot.pct;
  const key = `k${rng.int(0, (hotKey ? hot.keys : keys) - 1)}`;
  const r = rng.int(0, total - 1);
  if (r < mix.get) return { f: 'get', key };
  if (r < mix.get + mix.put) return { f: 'put', key };
  if (r < mix.get + mix.put + mix.append) return { f: 'append', key };
  return { f: 'delete', key };
}

/**
 * The operation generator: the client's script's next step, or a draw from the mix; a value
 * unique per client (`c2.17`: client 2's 17th operation).
 */
function kvOperations(options: KvOptions, clients: number): Workload<KvInput> {
  const counters = new Array<number>(clients).fill(0);
  const { keys, script } = options;
  const keyName = (k: number) => `k${k}`;
  return {
    next(client, phase, rng): KvInput | undefined {
      let op: { f: KvF; key: string };
      if (script === undefined) op = draw(options, rng);
      else {
        const m =
          phase === 'faulty' ? STEP.exec(script[client]?.[counters[client] ?? 0] ?? '') : null;
        if (m === null) return undefined;
        op = { f: m[1] as KvF, key: m[2] as string };
      }
      const n = (counters[client] ?? 0) + 1;
      counters[client] = n;
      const { f, key } = op;
      if (f === 'get' || f === 'delete') return { f, key };
      return { f, key, value: `c${client + 1}.${n}` };
    },
    finalOps: () =>
      Array.from({ length: keys }, (_, k): KvInput => ({ f: 'get', key: keyName(k) })),
    opName: (op) => op.f,
  };
}

export const kvWorkload: WorkloadDefinition<KvOptions, KvInput, KvOutput> = {
  name: 'kv',
  summary:
    'closed-loop clients doing get/put/append (and delete, weight 0 by default) on a few keys with unique values; final reads of every key after healing',
  hasClients: true,
  optionsSchema,
  create: kvOperations,
  model: kvListModel,
  formatOp: (op) =>
    op.input.f === 'get' || op.input.f === 'delete'
      ? `${op.input.f}(${op.input.key})`
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
