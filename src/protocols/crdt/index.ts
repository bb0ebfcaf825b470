/**
 * The crdt protocol's definition: options, the workloads it serves and which data types fit
 * each, named bugs with their canaries (each a real bug, see README.md and named-bugs.ts), the
 * coverage its scenarios must reach, and how to build it.
 */
import { z } from 'zod';
import type { OptionsMisfit, ProtocolDefinition } from '../../core/protocol-definition.js';
import { oneOf } from '../../options/messages.js';
import { intSchema } from '../../options/units.js';
import { didYouMean } from '../../options/suggest.js';
import { BINDINGS, bindingOfType, REPLICATED_TYPES } from './bindings.js';
import { createCrdt } from './crdt.js';
import type { CrdtOptions } from './crdt-config.js';
import { CRDT_COVERAGE, CRDT_NAMED_BUGS } from './named-bugs.js';

const optionsSchema = z.strictObject({
  type: z
    .string({ error: oneOf('CRDT type', REPLICATED_TYPES) })
    .refine((t) => REPLICATED_TYPES.includes(t), { error: oneOf('CRDT type', REPLICATED_TYPES) })
    .describe(`the replicated data type: ${REPLICATED_TYPES.join(', ')}`),
  intervalMs: intSchema(1, 10_000)
    .default(20)
    .describe(
      'how often a replica gossips to peers missing something, in whole ms, 1 to 10000 (a replica silent for 10 s is not gossiping)',
    ),
  fanout: intSchema(1, 64)
    .default(1)
    .describe(
      'how many peers, chosen at random among those missing something, each gossip, 1 to 64 (a cluster has at most 64 nodes)',
    ),
  bufferMax: intSchema(1, 100_000)
    .default(256)
    .describe(
      'delta buffer entries kept at most, 1 to 100000 (beyond that the whole state is cheaper); a peer behind the oldest gets the whole state',
    ),
});

/** The type against the workload: one it takes, and none of the workload's operations it cannot. */
function checkWorkload(
  options: CrdtOptions,
  workload: { readonly name: string; readonly options: Readonly<Record<string, unknown>> },
): OptionsMisfit | undefined {
  const binding = BINDINGS.find((b) => b.workload === workload.name);
  if (binding === undefined) return undefined; // `none`: replicas gossip with no clients
  const { type } = options;
  const keys = workload.options.keys;
  if (keys !== undefined)
    return {
      path: ['type'],
      message: `the ${workload.name} workload's keys (workload.keys is ${String(keys)}) are for a per-key store; this protocol replicates one ${type}: remove workload.keys, or use protocol: dynamo with resolution: crdt`,
    };
  if (!binding.types.includes(type)) {
    const other = bindingOfType(type).workload;
    return {
      path: ['type'],
      message: `${type} does not fit the ${workload.name} workload: expected one of ${binding.types.join(', ')}${didYouMean(type, binding.types)}, or use workload: { type: ${other} } for ${type}`,
    };
  }
  const mix = (workload.options.mix ?? {}) as Readonly<Record<string, number>>;
  for (const op of binding.cannot[type] ?? []) {
    const weight = mix[op] ?? 0;
    if (weight === 0) continue;
    const able = binding.types.filter((t) => !(binding.cannot[t] ?? []).includes(op));
    return {
      path: ['type'],
      message: `${type} cannot take the ${workload.name} workload's ${op} (workload.mix.${op} is ${weight}): expected one of ${able.join(', ')}, or set workload.mix.${op} to 0`,
    };
  }
  return undefined;
}

/** How a workload's operations become a type's: the dynamo protocol's CRDT values use it too. */
export { bindingOfType } from './bindings.js';

export const crdt: ProtocolDefinition<CrdtOptions> = {
  name: 'crdt',
  summary:
    'A CRDT replicated by delta-state anti-entropy gossip: acknowledged per peer, full state after a restart, updates durable before they are acknowledged.',
  workloads: BINDINGS.map((b) => b.workload),
  bugs: CRDT_NAMED_BUGS,
  coverage: CRDT_COVERAGE,
  optionsSchema: optionsSchema as z.ZodType<CrdtOptions>,
  checkWorkload,
  create: ({ options, bugs, nodes }) => createCrdt(options, bugs, nodes),
};
