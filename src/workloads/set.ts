/**
 * The set workload: clients add and remove a few elements of one replicated set and read it,
 * each sticking to one replica or roaming (replicated-clients.ts); after healing, one read at
 * every replica. Few elements make concurrent adds and removes of one element common, which is
 * where add-wins, remove-wins and their bugs differ.
 *
 * A `script` replaces the random choice with a fixed list of operations per client (`add x`,
 * `remove x`, `read`), for a bug report's exact schedule: client i runs script[i] in order, one
 * operation per think time, and stops.
 */
import { z } from 'zod';
import type { SetInput } from '../core/replicated-ops.js';
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

const OPS = ['add', 'remove', 'read'] as const;

const STEP = /^(?:(add|remove) (\S+)|read)$/;

export interface SetOptions {
  readonly mix: Readonly<Record<(typeof OPS)[number], number>>;
  readonly elements: number;
  readonly routing: Routing;
  readonly keys?: number;
  readonly script?: readonly (readonly string[])[];
}

const stepSchema = z
  .string()
  .regex(STEP, { error: 'expected "add <element>", "remove <element>" or "read"' });

const optionsSchema = z.strictObject({
  mix: mixSchema({ add: 3, remove: 2, read: 1 }),
  elements: optionalCount(1, 1_000_000, 4, 'distinct elements e0..e(elements-1)'),
  routing: routingSchema,
  keys: keysSchema,
  script: z
    .array(z.array(stepSchema))
    .optional()
    .describe('per client, a fixed list of operations run in order instead of the mix'),
});

function scriptStep(text: string): SetInput {
  const m = STEP.exec(text);
  const f = m?.[1];
  return f === 'add' || f === 'remove' ? { f, element: m?.[2] as string } : { f: 'read' };
}

export const setWorkload: WorkloadDefinition<SetOptions, Keyed<SetInput>, unknown> = {
  name: 'set',
  summary:
    'add / remove of a few elements and read of one replicated set (or a script per client); a final read at every replica after healing',
  hasClients: true,
  optionsSchema,
  create(options, clients, nodes) {
    const done = new Array<number>(clients).fill(0);
    return {
      next(client, phase, rng): Keyed<SetInput> | undefined {
        if (phase !== 'faulty') return undefined;
        if (options.script !== undefined) {
          const step = options.script[client]?.[done[client] ?? 0];
          done[client] = (done[client] ?? 0) + 1;
          return step === undefined ? undefined : onKey(scriptStep(step), options.keys, rng);
        }
        const f = pickByWeight(options.mix, OPS, rng);
        const op: SetInput =
          f === 'read' ? { f } : { f, element: `e${rng.int(0, options.elements - 1)}` };
        return onKey(op, options.keys, rng);
      },
      finalOps: () => (options.keys === undefined ? finalReads(nodes) : keyReads(options.keys)),
      opName: (op) => op.f,
      route: (client, op, n, rng) => routeTo(options.routing, client, op, n, rng),
    };
  },
  formatOp: (op) =>
    keyPrefix(op.input) +
    (op.input.f === 'add' || op.input.f === 'remove'
      ? `${op.input.f}(${op.input.element})`
      : readText(op.input)),
};
