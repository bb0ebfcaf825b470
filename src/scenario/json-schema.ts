/**
 * The JSON Schema of scenario files, generated from the zod schema so the two cannot disagree.
 * Editors running yaml-language-server pick it up from a first-line comment
 * (`# yaml-language-server: $schema=../schema/scenario.schema.json`) and offer completion and
 * the field descriptions as hover docs; JSON files can name it in `$schema`.
 *
 * `options` is protocol-specific, so in the base schema it is an open object. On top of that,
 * one `if protocol is X then options and bugs are X's` rule per registered protocol gives
 * editors X's options and bug names too. The parser stays the authority: it checks everything
 * this schema does and more (node names against the cluster size, workload against protocol).
 * scripts/gen-schema.ts writes it to schema/scenario.schema.json.
 */
import { z } from 'zod';
import type { AnyProtocolDefinition } from '../core/protocol-definition.js';
import type { AnyWorkloadDefinition } from '../workloads/workload-definition.js';
import { BUILTINS, findIn, type Registry } from './registry.js';
import { scenarioSchemaFor } from './schema/scenario-schema.js';
import { workloadSchemaOf } from './schema/workload-schema.js';

const SCENARIO_SCHEMA_ID = 'https://unpkg.com/faultline/schema/scenario.schema.json';

export function scenarioJsonSchema(registry: Registry = BUILTINS): Record<string, unknown> {
  const { $schema, ...base } = z.toJSONSchema(scenarioSchemaFor(registry), {
    io: 'input',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return {
    $schema,
    $id: SCENARIO_SCHEMA_ID,
    title: 'faultline scenario',
    ...base,
    $defs: {
      ...((base.$defs as Record<string, unknown> | undefined) ?? {}),
      ...Object.fromEntries(
        registry.workloads.filter(hasFields).map((w) => [workloadDef(w), workloadJsonSchema(w)]),
      ),
    },
    allOf: [
      ...registry.protocols.map(protocolRule),
      ...registry.workloads.filter(hasFields).map(workloadRule),
      ...registry.protocols.flatMap((p) => defaultWorkloadRule(p, registry)),
    ],
  };
}

/** `if protocol is p then options follow p's schema and bugs are p's bug names`. */
function protocolRule(p: AnyProtocolDefinition): Record<string, unknown> {
  const bugNames = p.bugs.map((b) => b.name);
  return {
    if: { properties: { protocol: { const: p.name } }, required: ['protocol'] },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, not a thenable
    then: {
      properties: {
        options: optionsJsonSchema(p),
        bugs:
          bugNames.length === 0
            ? { maxItems: 0, description: `${p.name} has no named bugs` }
            : { items: { enum: bugNames } },
      },
    },
  };
}

function optionsJsonSchema(p: AnyProtocolDefinition): Record<string, unknown> {
  if (p.optionsSchema === undefined) return { type: 'object', description: `options of ${p.name}` };
  try {
    const { $schema: _ignored, ...schema } = z.toJSONSchema(p.optionsSchema, {
      io: 'input',
      unrepresentable: 'any',
    }) as Record<string, unknown>;
    // Definitions would need their references rewritten to nest here; fall back to an open object.
    if ('$defs' in schema) return { type: 'object', description: `options of ${p.name}` };
    return { description: `options of ${p.name}`, ...schema };
  } catch {
    return { type: 'object', description: `options of ${p.name}` };
  }
}

/** `if workload.type is w then the workload mapping follows w's fields`. */
function workloadRule(w: AnyWorkloadDefinition): Record<string, unknown> {
  return {
    if: {
      properties: {
        workload: { type: 'object', properties: { type: { const: w.name } }, required: ['type'] },
      },
      required: ['workload'],
    },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, not a thenable
    then: { properties: { workload: { $ref: `#/$defs/${workloadDef(w)}` } } },
  };
}

/** A workload mapping without a type is the protocol's first workload. */
function defaultWorkloadRule(
  p: AnyProtocolDefinition,
  registry: Registry,
): Record<string, unknown>[] {
  const w = findIn(registry.workloads, p.workloads[0] ?? 'none');
  if (w === undefined || !hasFields(w)) return [];
  return [
    {
      if: {
        properties: {
          protocol: { const: p.name },
          workload: { type: 'object', not: { required: ['type'] } },
        },
        required: ['protocol', 'workload'],
      },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, not a thenable
      then: { properties: { workload: { $ref: `#/$defs/${workloadDef(w)}` } } },
    },
  ];
}

/** Workloads whose mapping has fields to describe (not `none`). */
const hasFields = (w: AnyWorkloadDefinition): boolean =>
  w.hasClients || Object.keys(w.optionsSchema.shape).length > 0;

const workloadDef = (w: AnyWorkloadDefinition): string => `workload-${w.name}`;

function workloadJsonSchema(w: AnyWorkloadDefinition): Record<string, unknown> {
  const { $schema: _ignored, ...schema } = z.toJSONSchema(workloadSchemaOf(w), {
    io: 'input',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return schema;
}
