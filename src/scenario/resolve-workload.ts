/**
 * The `workload:` section, resolved once the protocol is known: which workload (the `type`, or
 * the protocol's first workload), whether the protocol serves it, its fields checked against the
 * workload's own schema (client fields included), and the split into the clients' behaviour and
 * the workload's options. `none`, or a workload without clients, leaves the run without clients.
 */
import type { AnyProtocolDefinition } from '../core/protocol-definition.js';
import { oneOf } from '../options/messages.js';
import type { AnyWorkloadDefinition } from '../workloads/workload-definition.js';
import { findIn, type Registry } from './registry.js';
import type { ClientSpec, ResolvedWorkload } from './scenario.js';
import { problemsFromZod, scenarioErrorMap, type ScenarioProblem } from './scenario-problem.js';
import type { ScenarioDocument } from './schema/scenario-schema.js';
import { CLIENT_FIELDS, workloadSchemaOf } from './schema/workload-schema.js';

export interface WorkloadResolution {
  readonly workload: ResolvedWorkload;
  readonly clients: ClientSpec | undefined;
}

export function resolveWorkload(
  doc: ScenarioDocument['workload'],
  protocol: AnyProtocolDefinition,
  registry: Registry,
  problems: ScenarioProblem[],
): WorkloadResolution | undefined {
  const fields: Record<string, unknown> = doc === 'none' ? { type: 'none' } : { ...(doc ?? {}) };
  const type = typeof fields.type === 'string' ? fields.type : protocol.workloads[0];
  const def = findIn(registry.workloads, type ?? 'none');
  if (def === undefined) {
    const names = registry.workloads.map((w) => w.name);
    const message =
      fields.type === undefined
        ? `${protocol.name} serves the ${type} workload, which is not registered (workloads: ${names.join(', ')})`
        : (oneOf('workload', names)({ input: fields.type }) ?? `unknown workload ${type}`);
    problems.push({
      path: fields.type === undefined ? ['protocol'] : ['workload', 'type'],
      message,
    });
    return undefined;
  }
  if (def.hasClients && !protocol.workloads.includes(def.name)) {
    problems.push({
      path: doc === undefined ? ['protocol'] : ['workload'],
      message: `${protocol.name} does not serve the ${def.name} workload (it serves: ${protocol.workloads.join(', ')}); use workload: none`,
    });
    return undefined;
  }
  return parseFields(def, doc === 'none' ? {} : fields, problems);
}

function parseFields(
  def: AnyWorkloadDefinition,
  fields: Record<string, unknown>,
  problems: ScenarioProblem[],
): WorkloadResolution | undefined {
  const parsed = workloadSchemaOf(def).safeParse(fields, { error: scenarioErrorMap });
  if (!parsed.success) {
    problems.push(...problemsFromZod(parsed.error.issues, ['workload']));
    return undefined;
  }
  const { type: _type, ...all } = parsed.data as Record<string, unknown>;
  const options = Object.fromEntries(
    Object.entries(all).filter(([k]) => !CLIENT_FIELDS.includes(k)),
  );
  const workload = { definition: def, options };
  if (!def.hasClients) return { workload, clients: undefined };
  const c = all as {
    clients: number;
    think: ClientSpec['thinkUs'];
    timeout: number;
    retries: number;
    opsPerClientMax: number;
  };
  return {
    workload,
    clients: {
      count: c.clients,
      thinkUs: c.think,
      timeoutUs: c.timeout,
      retries: c.retries,
      opsPerClientMax: c.opsPerClientMax,
    },
  };
}
