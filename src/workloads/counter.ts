/**
 * The counter workload: clients increment and decrement one replicated counter by small amounts
 * and read it, each sticking to one replica or roaming (replicated-clients.ts); after healing,
 * one read at every replica. Its histories are judged by the convergence checker, which holds the
 * counter to the sum of the acknowledged increments and decrements, with the unknown ones
 * bounding it.
 */
import { z } from 'zod';
import type { CounterInput } from '../core/replicated-ops.js';
import { type Keyed, keyPrefix, keyReads, keysSchema, onKey } from './keyed-ops.js';
import type { WorkloadDefinition } from './workload-definition.js';
import {
  finalReads,
  mixSchema,
  optionalCount,
  pickByWeight,
  type Routing,
  readText,
  routeTo,
  routingSchema,
} from './replicated-clients.js';

const OPS = ['inc', 'dec', 'read'] as const;

export interface CounterOptions {
  readonly mix: Readonly<Record<(typeof OPS)[number], number>>;
  readonly byMax: number;
  readonly routing: Routing;
  readonly keys?: number;
}

const optionsSchema = z.strictObject({
  mix: mixSchema({ inc: 3, dec: 1, read: 1 }),
  byMax: optionalCount(1, 1_000_000, 3, 'each increment or decrement is by 1..byMax'),
  routing: routingSchema,
  keys: keysSchema,
});

export const counterWorkload: WorkloadDefinition<CounterOptions, Keyed<CounterInput>, unknown> = {
  name: 'counter',
  summary:
    'inc / dec by small amounts and read of one replicated counter; a final read at every replica after healing',
  hasClients: true,
  optionsSchema,
  create(options, _clients, nodes) {
    return {
      next(_client, phase, rng): Keyed<CounterInput> | undefined {
        if (phase !== 'faulty') return undefined;
        const f = pickByWeight(options.mix, OPS, rng);
        const op: CounterInput = f === 'read' ? { f } : { f, by: rng.int(1, options.byMax) };
        return onKey(op, options.keys, rng);
      },
      finalOps: () => (options.keys === undefined ? finalReads(nodes) : keyReads(options.keys)),
      opName: (op) => op.f,
      route: (client, op, n, rng) => routeTo(options.routing, client, op, n, rng),
    };
  },
  formatOp: (op) =>
    keyPrefix(op.input) +
    (op.input.f === 'inc' || op.input.f === 'dec'
      ? `${op.input.f}(${op.input.by})`
      : readText(op.input)),
};
