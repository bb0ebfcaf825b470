/**
 * The register workload: clients read one replicated register and write unique values to it
 * (`c2.17`: client 2's 17th operation), each write carrying the causal context its client got
 * from its last read — the dots of the siblings it saw — as Dynamo's and Riak's clients do. A
 * write replaces exactly the siblings its client saw, so a write concurrent with it survives as a
 * sibling until a client that read both writes over them. A client that has read nothing writes
 * with an empty context. After healing, one read at every replica.
 */
import { z } from 'zod';
import type { RegisterInput, RegisterRead } from '../core/replicated-ops.js';
import type { WorkloadDefinition } from './workload-definition.js';
import {
  finalReads,
  mixSchema,
  pickByWeight,
  type Routing,
  readText,
  routeTo,
  routingSchema,
} from './replicated-clients.js';

const OPS = ['get', 'put'] as const;

export interface RegisterOptions {
  readonly mix: Readonly<Record<(typeof OPS)[number], number>>;
  readonly routing: Routing;
}

const optionsSchema = z.strictObject({
  mix: mixSchema({ get: 1, put: 1 }),
  routing: routingSchema,
});

export const registerWorkload: WorkloadDefinition<RegisterOptions, RegisterInput, unknown> = {
  name: 'register',
  summary:
    'get (values and causal context) and put of unique values with the context of the client’s last get, on one replicated register; a final get at every replica after healing',
  hasClients: true,
  optionsSchema,
  create(options, clients, nodes) {
    const writes = new Array<number>(clients).fill(0);
    const contexts = new Array<readonly string[]>(clients).fill([]);
    return {
      next(client, phase, rng): RegisterInput | undefined {
        if (phase !== 'faulty') return undefined;
        if (pickByWeight(options.mix, OPS, rng) === 'get') return { f: 'get' };
        writes[client] = (writes[client] ?? 0) + 1;
        const value = `c${client + 1}.${writes[client]}`;
        return { f: 'put', value, context: contexts[client] ?? [] };
      },
      finalOps: () => finalReads(nodes, 'get'),
      opName: (op) => op.f,
      route: (client, op, n, rng) => routeTo(options.routing, client, op, n, rng),
      completed(client, op, outcome, output) {
        if (op.f === 'get' && outcome === 'ok') contexts[client] = (output as RegisterRead).context;
      },
    };
  },
  formatOp: (op) =>
    op.input.f === 'put'
      ? `put(${op.input.value}, [${op.input.context.join(' ')}])`
      : readText(op.input),
};
