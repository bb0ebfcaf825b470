/**
 * The `workload:` section, resolved once the protocol is known: which workload (the `type`, or
 * the protocol's first workload), whether the protocol serves it, its fields checked against the
 * workload's own schema (client fields included), and the split into the clients' behaviour and
 * the workload's options. `none`, or a workload without clients, leaves the run without clients.
 */
import type { AnyProtocolDefinition } from '../core/protocol-definition.js';
import { clientId } from '../core/ids.js';
import { oneOf, show } from '../options/messages.js';
import { resolveNodeName } from '../options/node-names.js';
import { didYouMean } from '../options/suggest.js';
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
  nodes: number,
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
  return parseFields(def, doc === 'none' ? {} : fields, nodes, problems);
}

function parseFields(
  def: AnyWorkloadDefinition,
  fields: Record<string, unknown>,
  nodes: number,
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
    placement: PlacementField;
  };
  const placement = resolvePlacement(c.placement, c.clients, nodes, problems);
  if (placement === null) return undefined;
  return {
    workload,
    clients: {
      count: c.clients,
      thinkUs: c.think,
      timeoutUs: c.timeout,
      retries: c.retries,
      opsPerClientMax: c.opsPerClientMax,
      ...(placement !== undefined ? { placement } : {}),
    },
  };
}

type PlacementField = 'everywhere' | 'beside' | Readonly<Record<string, string>>;

const CLIENT_NAME = /^c([1-9]\d*)$/;

/**
 * `workload.placement` → the node each client sits beside (undefined: everywhere; null: a
 * problem was reported). Clients a mapping leaves out sit as with `beside`, ci beside
 * n((i-1) mod N + 1), which is also where sticky routing has always sent them.
 */
function resolvePlacement(
  field: PlacementField,
  count: number,
  nodes: number,
  problems: ScenarioProblem[],
): number[] | undefined | null {
  if (field === 'everywhere') return undefined;
  const home = Array.from({ length: count }, (_, c) => c % nodes);
  if (field === 'beside') return home;
  let bad = false;
  const clients = Array.from({ length: count }, (_, c) => clientId(c));
  // Object key order is not ours to rely on (DESIGN §4): walk the names sorted.
  for (const name of Object.keys(field).sort()) {
    const path = ['workload', 'placement', name];
    const index = Number(CLIENT_NAME.exec(name)?.[1] ?? 0) - 1;
    if (index < 0 || index >= count) {
      const has = count === 1 ? 'only c1' : `c1..c${count}`;
      const what =
        index < 0 ? `expected a client name like c1, got ${show(name)}` : `unknown client ${name}`;
      const message = `${what}: the workload has ${has}${didYouMean(name, clients)}`;
      problems.push({ path, message, at: 'key' });
      bad = true;
      continue;
    }
    const node = resolveNodeName(field[name] as string, nodes);
    if (!node.ok) {
      problems.push({ path, message: node.message });
      bad = true;
    } else home[index] = node.value;
  }
  return bad ? null : home;
}
