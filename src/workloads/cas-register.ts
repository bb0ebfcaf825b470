/**
 * The compare-and-set register workload: closed-loop clients doing read, write and
 * compare-and-set on a few keys, each key its own register (Cassandra's lightweight
 * transactions: `UPDATE … IF v = from`). Written values are unique integers — client c's n-th
 * write is c·1,000,000 + n (2000017: client 2's 17th) — so a checker can tell which write a read
 * saw. A cas compares with the value this client last saw on the key (read, written, or set by
 * its own cas), so most succeed when the client is alone and fail under contention; a client
 * that has seen nothing on the key writes instead. After healing, one read per key.
 *
 * Its histories are checked against the `cas-register` model, one register per key
 * (`jepsen.independent`): a read returns `{ value }`, a write `{}`, a cas `{ ok }`, and a cas
 * whose comparison failed completes `ok` with `{ ok: false }`, which says the register did not
 * hold `from` at its linearization point.
 */
import { z } from 'zod';
import {
  type CasRegisterInput,
  type CasRegisterOutput,
  casRegisterModel,
} from '../checkers/linearizability/models/cas-register.js';
import {
  type IndependentInput,
  independentModel,
} from '../checkers/linearizability/models/independent.js';
import { assert } from '../core/assert.js';
import { intSchema } from '../options/units.js';
import {
  mixSchema,
  pickByWeight,
  type Routing,
  routeTo,
  routingSchema,
} from './replicated-clients.js';
import type { WorkloadDefinition } from './workload-definition.js';

export type CasInput = IndependentInput<CasRegisterInput>;
export type CasOutput = CasRegisterOutput;

const OPS = ['read', 'write', 'cas'] as const;
/** Values a client writes before its numbers would run into the next client's. */
const VALUES_PER_CLIENT = 1_000_000;

export interface CasRegisterOptions {
  readonly keys: number;
  readonly mix: Readonly<Record<(typeof OPS)[number], number>>;
  readonly routing: Routing;
}

const optionsSchema = z.strictObject({
  keys: intSchema(1, 1000)
    .default(3)
    .describe('distinct keys k0..k(keys-1), 1 to 1000 (default 3)'),
  mix: mixSchema({ read: 1, write: 1, cas: 2 }),
  routing: routingSchema,
});

const keyName = (k: number) => `k${k}`;

/** The register value a completed operation shows its client, if it shows one. */
function seenValue(op: CasInput, outcome: string, output: unknown): number | null | undefined {
  if (outcome !== 'ok') return undefined;
  const inner = op.inner;
  if (inner.f === 'write') return inner.value;
  if (inner.f === 'cas') return (output as CasOutput).ok === true ? inner.to : undefined;
  return (output as CasOutput).value ?? null;
}

export const casRegisterWorkload: WorkloadDefinition<CasRegisterOptions, CasInput, CasOutput> = {
  name: 'cas-register',
  summary:
    'read / write / compare-and-set on a few keys, each a register, with unique integer values; a final read per key after healing',
  hasClients: true,
  optionsSchema,
  create(options, clients) {
    const writes = new Array<number>(clients).fill(0);
    /** Per client, per key: the value it last saw (undefined: nothing yet). */
    const seen = Array.from({ length: clients }, () => new Map<string, number | null>());
    const fresh = (client: number): number => {
      const n = (writes[client] ?? 0) + 1;
      writes[client] = n;
      assert(n < VALUES_PER_CLIENT, () => `client ${client + 1} ran out of unique values`);
      return (client + 1) * VALUES_PER_CLIENT + n;
    };
    return {
      next(client, _phase, rng): CasInput {
        const key = keyName(rng.int(0, options.keys - 1));
        const f = pickByWeight(options.mix, OPS, rng);
        if (f === 'read') return { key, inner: { f: 'read' } };
        const from = seen[client]?.get(key);
        if (f === 'write' || from === undefined || from === null)
          return { key, inner: { f: 'write', value: fresh(client) } };
        return { key, inner: { f: 'cas', from, to: fresh(client) } };
      },
      finalOps: () =>
        Array.from({ length: options.keys }, (_, k) => ({
          key: keyName(k),
          inner: { f: 'read' } as const,
        })),
      opName: (op) => op.inner.f,
      route: (client, op, n, rng) => routeTo(options.routing, client, op, n, rng),
      completed(client, op, outcome, output) {
        const v = seenValue(op, outcome, output);
        if (v !== undefined) seen[client]?.set(op.key, v);
      },
    };
  },
  model: independentModel(casRegisterModel),
  formatOp(op) {
    const i = op.input.inner;
    const k = op.input.key;
    if (i.f === 'read') return `read(${k})`;
    if (i.f === 'write') return `write(${k}, ${i.value})`;
    return `cas(${k}, ${i.from}→${i.to})`;
  },
};
