/**
 * The text workload: clients edit one shared text replicated as a sequence CRDT (RGA) — insert a
 * character at a position, delete one or two — and read it, each sticking to one replica or
 * roaming. Client i types its own letter (`a` for c1, `b` for c2…), so the text shows whose
 * edits survived where. Positions are drawn within the text as the client last saw it (its last
 * read, and its own edits since), as an editor's cursor would be; a replica clamps them to the
 * text it holds. After healing, one read at every replica.
 */
import { z } from 'zod';
import type { TextInput } from '../core/replicated-ops.js';
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

const OPS = ['insert', 'delete', 'read'] as const;

export interface TextOptions {
  readonly mix: Readonly<Record<(typeof OPS)[number], number>>;
  readonly routing: Routing;
}

const optionsSchema = z.strictObject({
  mix: mixSchema({ insert: 3, delete: 1, read: 1 }),
  routing: routingSchema,
});

const letterOf = (client: number): string => String.fromCharCode(97 + (client % 26));

export const textWorkload: WorkloadDefinition<TextOptions, TextInput, unknown> = {
  name: 'text',
  summary:
    'insert / delete of characters and read of one replicated text (RGA), each client typing its own letter; a final read at every replica after healing',
  hasClients: true,
  optionsSchema,
  create(options, clients, nodes) {
    const lengths = new Array<number>(clients).fill(0);
    return {
      next(client, phase, rng): TextInput | undefined {
        if (phase !== 'faulty') return undefined;
        const f = pickByWeight(options.mix, OPS, rng);
        const length = lengths[client] ?? 0;
        if (f === 'read') return { f };
        if (f === 'insert') return { f, index: rng.int(0, length), text: letterOf(client) };
        return { f, index: rng.int(0, Math.max(0, length - 1)), count: rng.int(1, 2) };
      },
      finalOps: () => finalReads(nodes),
      opName: (op) => op.f,
      route: (client, op, n, rng) => routeTo(options.routing, client, op, n, rng),
      completed(client, op, outcome, output) {
        const length = lengths[client] ?? 0;
        if (op.f === 'read' && outcome === 'ok') lengths[client] = (output as string).length;
        else if (op.f === 'insert') lengths[client] = length + op.text.length;
        else if (op.f === 'delete') lengths[client] = Math.max(0, length - op.count);
      },
    };
  },
  formatOp: (op) => {
    const i = op.input;
    if (i.f === 'insert') return `insert(${i.index}, ${JSON.stringify(i.text)})`;
    if (i.f === 'delete') return `delete(${i.index}, ${i.count})`;
    return readText(i);
  },
};
