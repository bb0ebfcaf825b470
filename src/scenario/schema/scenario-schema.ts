/**
 * The shape of a scenario document (YAML, or JSON, which is YAML 1.2), as one zod schema built
 * from a registry: it checks every field, converts units (durations to microseconds, ratios to
 * ppm) and fills in defaults, and its `.describe()` texts become the JSON Schema that editors
 * show as docs. Protocol names, workload types and checker names come from the registry.
 *
 * What it leaves out: anything that needs another field to judge. Node names depend on
 * `cluster.nodes`, options and bugs on `protocol`, the workload's fields and the default checkers
 * on the workload. Those are checked by resolve-scenario.ts once the shape is right.
 *
 * Every object is strict, so a typo (`lossy: 0.1`) is an error rather than a silently ignored
 * field.
 */
import { z } from 'zod';
import { oneOf, show } from '../../options/messages.js';
import { didYouMean } from '../../options/suggest.js';
import { durationSchema, intSchema } from '../../options/units.js';
import { PENDING_EVENTS_MAX_DEFAULT } from '../../engine/engine.js';
import { RUN_LIMIT_DEFAULTS } from '../../sim/world-config.js';
import type { Registry } from '../registry.js';
import { SCENARIO_NAME_MAX, SCENARIO_NAME_PATTERN } from '../scenario-name.js';
import { clocksSchema } from './clocks-schema.js';
import { diskSchema } from './disk-schema.js';
import { faultsSchemaFor } from './faults-schema.js';
import { networkSchema } from './network-schema.js';
import { topologySchema } from './topology-schema.js';
import { workloadFieldsCheck, workloadSectionSchema } from './workload-schema.js';

/** The most nodes a world holds, spares included. */
export const NODES_MAX = 64;

/** A protocol named by a module path (`./gossip.js`) rather than a registered name. */
export const isProtocolModulePath = (v: string): boolean =>
  /^(\.{1,2}\/|\/)/.test(v) && /\.(m?js)$/.test(v);

const nameSchema = z.string({ error: 'expected text' });

const schemas = new WeakMap<Registry, ScenarioSchema>();

/** The scenario schema of a registry (built once per registry). */
export function scenarioSchemaFor(registry: Registry): ScenarioSchema {
  let schema = schemas.get(registry);
  if (schema === undefined) {
    schema = buildScenarioSchema(registry);
    schemas.set(registry, schema);
  }
  return schema;
}

export type ScenarioSchema = ReturnType<typeof buildScenarioSchema>;

function buildScenarioSchema(registry: Registry) {
  const PROTOCOL_NAMES = registry.protocols.map((p) => p.name);
  const CHECKER_NAMES = registry.checkers.map((c) => c.name);
  return z

    .strictObject({
      $schema: z.string().optional().describe('the JSON Schema of this file, for editors; ignored'),
      name: z
        .string({ error: 'expected a name' })
        .max(SCENARIO_NAME_MAX, {
          error: (iss) =>
            `expected at most ${SCENARIO_NAME_MAX} characters (it names the report folder), got ${String(iss.input).length}`,
        })
        .regex(SCENARIO_NAME_PATTERN, {
          error:
            'expected a name of letters, digits, dot, dash and underscore (it names the report folder)',
        })
        .optional()
        .describe(
          `the scenario’s name, used for report folders (default: the file name without extension); at most ${SCENARIO_NAME_MAX} characters, so a folder named after it is a legal file name everywhere`,
        ),
      description: z
        .string({ error: 'expected text' })
        .optional()
        .describe('one line saying what the scenario shows'),
      lesson: z
        .string({ error: 'expected text' })
        .optional()
        .describe('teaching text the CLI prints with the results'),
      protocol: z
        .string({ error: oneOf('protocol', PROTOCOL_NAMES) })
        .refine((v) => PROTOCOL_NAMES.includes(v) || isProtocolModulePath(v), {
          error: (iss) =>
            `unknown protocol ${show(iss.input)}: expected one of ${PROTOCOL_NAMES.join(', ')}, or a module path like ./my-protocol.js${typeof iss.input === 'string' ? didYouMean(iss.input, PROTOCOL_NAMES) : ''}`,
        })
        .describe(
          `the protocol under test: ${PROTOCOL_NAMES.join(', ')}, or a path (relative to this file) to a JavaScript module whose default export is a ProtocolDefinition`,
        ),
      options: z
        .record(z.string(), z.unknown(), { error: 'expected a mapping of protocol options' })
        .optional()
        .describe(
          'protocol-specific options, validated against the protocol’s own schema (see `faultline list`)',
        ),
      bugs: z
        .array(nameSchema, { error: 'expected a list of bug names' })
        .default([])
        .describe('named bugs of the protocol to switch on, e.g. primary-backup.ack-before-fsync'),
      seed: intSchema(0, Number.MAX_SAFE_INTEGER)
        .optional()
        .describe('the default seed when the command line gives none'),
      seeds: z
        .string({ error: 'expected a seed range like 1..1000' })
        .regex(/^\s*\d+\s*\.\.\s*\d+\s*$/, { error: 'expected a seed range like 1..1000' })
        .transform((text, ctx) => {
          const [from, to] = text.split('..').map((s) => Number(s.trim())) as [number, number];
          if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from > to) {
            ctx.addIssue({
              code: 'custom',
              message: `expected a seed range A..B with A <= B, got ${show(text)}`,
            });
            return z.NEVER;
          }
          return { from, to };
        })
        .optional()
        .describe('the default seed range "A..B" when the command line gives none'),
      cluster: z
        .strictObject({
          nodes: intSchema(1, NODES_MAX)
            .default(3)
            .describe(`number of nodes n1..nN, 1 to ${NODES_MAX} (default 3)`),
          spares: intSchema(0, NODES_MAX)
            .default(0)
            .describe(
              'spare nodes after n1..nN (nN+1…): placed in the topology but not started until a schedule entry joins one (default 0; for protocols that take membership changes)',
            ),
        })
        .prefault({})
        .describe('the cluster'),
      topology: topologySchema,
      network: networkSchema,
      disk: diskSchema,
      clocks: clocksSchema,
      workload: workloadSectionSchema(registry.workloads),
      faults: faultsSchemaFor(registry.faults),
      phases: z
        .strictObject({
          faulty: durationSchema
            .prefault('10s')
            .describe('workload and faults run this long (default 10s)'),
          healed: durationSchema
            .prefault('3s')
            .describe('then every fault is healed and the workload goes on this long (default 3s)'),
          final: durationSchema
            .prefault('5s')
            .describe('then final reads must complete within this long (default 5s)'),
        })
        .prefault({})
        .describe('faulty, then healed, then final'),
      checkers: z
        .array(
          z.enum(CHECKER_NAMES as [string, ...string[]], {
            error: oneOf('checker', CHECKER_NAMES),
          }),
          { error: 'expected a list of checker names' },
        )
        .optional()
        .describe(
          `checkers to run: ${CHECKER_NAMES.join(', ')} (default: every checker that understands the workload${namedOnly(registry)})`,
        ),
      limits: limitsSchema,
    })
    .superRefine(workloadFieldsCheck(registry), { when: () => true } as never)
    .describe('a faultline scenario: a protocol, a cluster, what goes wrong, and what is checked');
}

/**
 * Bounds on a run. Each limit a run reaches ends it with a status naming the limit, and its
 * liveness verdict is then `unknown`: the run was cut short, not the cluster.
 */
const limitsSchema = z
  .strictObject({
    events: intSchema(1)
      .default(20_000_000)
      .describe('stop after this many events (default 20000000; at most a billion)'),
    virtualTime: durationSchema
      .optional()
      .describe('stop at this virtual time (default: faulty + healed + final + 10s)'),
    pendingEvents: intSchema(1)
      .default(PENDING_EVENTS_MAX_DEFAULT)
      .describe(
        `stop when more events than this wait to run, messages in flight included (default ${PENDING_EVENTS_MAX_DEFAULT}): it bounds the queue's memory`,
      ),
    historyOps: intSchema(1)
      .default(RUN_LIMIT_DEFAULTS.historyOpsMax)
      .describe(
        `stop rather than record more client operations than this (default ${RUN_LIMIT_DEFAULTS.historyOpsMax}): the history and every checker's work grow with it`,
      ),
    historyBytes: intSchema(1)
      .default(RUN_LIMIT_DEFAULTS.historyBytesMax)
      .describe(
        `stop once the results clients recorded pass this many bytes as JSON (default ${RUN_LIMIT_DEFAULTS.historyBytesMax}): reads of lists that only grow make the history grow as the square of the run`,
      ),
    faultRecords: intSchema(1)
      .default(RUN_LIMIT_DEFAULTS.faultRecordsMax)
      .describe(
        `stop once the fault log holds this many records (default ${RUN_LIMIT_DEFAULTS.faultRecordsMax})`,
      ),
  })
  .prefault({})
  .describe('bounds on a run, on its time and on its memory');

/** A document that has the right shape, with units converted and plain defaults applied. */
export type ScenarioDocument = z.output<ScenarioSchema>;

/** The checkers that run only when named, as the tail of the `checkers` description. */
function namedOnly(registry: Registry): string {
  const names = registry.checkers.filter((c) => c.byDefault === false).map((c) => c.name);
  return names.length === 0 ? '' : `, except ${names.join(', ')}, which run only when named`;
}
