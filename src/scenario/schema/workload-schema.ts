/**
 * The `workload:` section of a scenario: `none`, or a mapping with the workload's `type`, the
 * client fields every workload with clients shares (how many, think time, timeout, retries,
 * where they sit on the network, a bound on operations) and the workload's own fields from its
 * definition. The document schema only checks that it is one of those two forms; once the
 * protocol is known (its first workload is the default type), resolve-scenario.ts checks the
 * mapping against `workloadSchemaOf`.
 */
import { z } from 'zod';
import { delaySchema, durationSchema, intSchema } from '../../options/units.js';
import type { AnyWorkloadDefinition } from '../../workloads/workload-definition.js';
import type { Registry } from '../registry.js';
import { scenarioErrorMap } from '../scenario-problem.js';

/** The fields every workload with clients takes. */
const clientFields = {
  clients: intSchema(1, 1000)
    .default(3)
    .describe('concurrent closed-loop clients, 1 to 1000 (default 3; each is a network endpoint)'),
  think: delaySchema()
    .prefault({ dist: 'uniform', min: '1ms', max: '20ms' })
    .describe('pause between a client’s operations (default uniform 1ms..20ms)'),
  timeout: durationSchema
    .prefault('500ms')
    .describe(
      'a client gives up waiting after this long and records the outcome as unknown (default 500ms)',
    ),
  retries: intSchema(0, 1000)
    .default(3)
    .describe('retries of an operation that definitely failed, 0 to 1000 (default 3)'),
  placement: z
    .union(
      [
        z.enum(['everywhere', 'beside']),
        z.record(z.string(), z.string({ error: 'expected a node name like n1' })),
      ],
      {
        error:
          'expected everywhere, beside, or a mapping of clients to nodes like { c1: n1, c2: n3 }',
      },
    )
    .default('everywhere')
    .describe(
      'where clients sit: everywhere (they reach every node whatever the partition; the default), beside (client ci beside node n((i-1) mod N + 1)), or a mapping like { c1: n1, c2: n3 } (clients left out sit as with beside). Placed clients are cut and clogged with their node, time out on nodes they cannot reach and fail over; schedule partitions may name them: [[n1, n2, c1], [n3, c2]]',
    ),
  opsPerClientMax: intSchema(1)
    .default(100_000)
    .describe(
      'operations per client at most (default 100000, at most a billion; limits.historyOps bounds them all)',
    ),
};

export const CLIENT_FIELDS = Object.keys(clientFields);

/**
 * The full mapping for one workload: its type, the client fields if it has clients, its own.
 * Its own fields come in as the options schema's shape, which leaves behind the checks that
 * schema makes across its fields (a superRefine: kv's script keys within `keys`), so they are
 * carried over onto the whole mapping, where the same field names hold the same values.
 */
export function workloadSchemaOf(w: AnyWorkloadDefinition) {
  const mapping = z.strictObject({
    type: z.literal(w.name).optional().describe(`the workload type: ${w.name}`),
    ...(w.hasClients ? clientFields : {}),
    ...w.optionsSchema.shape,
  });
  // The checks were written for the options alone: the mapping holds them under the same names.
  const across = (w.optionsSchema._zod.def.checks ?? []) as z.core.$ZodCheck<
    z.output<typeof mapping>
  >[];
  return (across.length > 0 ? mapping.check(...across) : mapping).describe(
    `the ${w.name} workload: ${w.summary}`,
  );
}

export function workloadSectionSchema(workloads: readonly AnyWorkloadDefinition[]) {
  const names = workloads.map((w) => w.name).join(', ');
  return z
    .union([z.literal('none'), z.record(z.string(), z.unknown())], {
      error: `expected none, or a workload like { type: kv, clients: 3 } (workloads: ${names})`,
    })
    .optional()
    .describe(
      `client workload: none, or a mapping with type (${names}) and its fields (default: the protocol’s first workload)`,
    );
}

/**
 * The workload mapping checked against its workload's fields in the same pass as the rest of the
 * document (so one run of the parser reports every problem), whenever the workload is known: by
 * its `type`, or as a registered protocol's first workload. It runs even when other fields
 * failed, so it reads the raw values defensively; what it cannot decide is left to resolution.
 */
export function workloadFieldsCheck(registry: Registry) {
  return (
    doc: { readonly protocol?: unknown; readonly workload?: unknown },
    ctx: z.RefinementCtx,
  ) => {
    // It runs even when the document failed its shape (`when` above), so it may be anything.
    if (typeof doc !== 'object' || doc === null) return;
    const fields = doc.workload;
    if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) return;
    const type = (fields as Record<string, unknown>).type;
    const protocol = registry.protocols.find((p) => p.name === doc.protocol);
    const name = typeof type === 'string' ? type : protocol?.workloads[0];
    const def = registry.workloads.find((w) => w.name === name);
    if (def === undefined) return;
    const parsed = workloadSchemaOf(def).safeParse(fields, { error: scenarioErrorMap });
    for (const issue of parsed.error?.issues ?? []) {
      ctx.addIssue({ ...issue, path: ['workload', ...issue.path] } as never);
    }
  };
}
