/**
 * The second half of reading a scenario: a document of the right shape becomes a `Scenario`.
 * Here live the checks that need more than one field: node names against `cluster.nodes`,
 * `options` against the protocol's own schema, `bugs` against the protocol's named bugs, the
 * workload against what the protocol serves, checkers against the workload; and the defaults
 * that depend on other fields (name, workload, checkers, faulty disks, the time limit).
 *
 * Problems are collected, not thrown, so one run of the parser reports all of them.
 */
import type { CheckerDefinition, CheckScope } from '../checkers/checker-definition.js';
import type { AnyProtocolDefinition } from '../core/protocol-definition.js';
import { formatDuration, US_PER_S } from '../core/time.js';
import type { LinkConfig } from '../net/network.js';
import type { ClockSpec, DiskSpec, WorldConfig } from '../sim/world-config.js';
import { unknownBugMessage } from '../options/messages.js';
import { resolveNodeName } from '../options/node-names.js';
import { withCrossZone } from './resolve-cross-zone.js';
import { minority, resolveFaults } from './resolve-faults.js';
import { checkBackups } from './resolve-backups.js';
import { checkMembership } from './resolve-membership.js';
import { resolveTopology } from './resolve-topology.js';
import { findIn, type Registry } from './registry.js';
import { resolveWorkload } from './resolve-workload.js';
import type { AnyWorkloadDefinition } from '../workloads/workload-definition.js';
import type { ClientSpec, ResolvedWorkload, Scenario } from './scenario.js';
import { livenessImpossible } from './liveness-possible.js';
import { safeScenarioName } from './scenario-name.js';
import { problemsFromZod, scenarioErrorMap, type ScenarioProblem } from './scenario-problem.js';
import type { ScenarioDocument } from './schema/scenario-schema.js';

/** Room after the final phase before a run is cut off, when `limits.virtualTime` is not given. */
const TIME_LIMIT_SLACK_US = 10 * US_PER_S;

export type ResolveResult =
  | { readonly ok: true; readonly scenario: Scenario }
  | {
      readonly ok: false;
      readonly problems: readonly ScenarioProblem[];
      /** The protocol module the caller must load first, when that is all that stopped it. */
      readonly protocolModule?: string;
    };

export function resolveScenario(
  doc: ScenarioDocument,
  file: string,
  contentHash: string,
  registry: Registry,
  modules: ReadonlyMap<string, AnyProtocolDefinition> = new Map(),
): ResolveResult {
  const problems: ScenarioProblem[] = [];
  const n = doc.cluster.nodes;
  // Spares (nN+1…) are nodes of the world, named by the topology, links, clocks and faults.
  const spares = doc.cluster.spares;
  const all = n + spares;
  // The schema admits registered names and module paths; a module must have been loaded by the caller.
  const protocol = findIn(registry.protocols, doc.protocol) ?? modules.get(doc.protocol);
  if (protocol === undefined) {
    return {
      ok: false,
      problems: [
        {
          path: ['protocol'],
          message: `the protocol module ${doc.protocol} was not loaded (the CLI loads it; library callers pass it to parseScenario)`,
        },
      ],
      protocolModule: doc.protocol,
    };
  }

  // A protocol without an options schema (a user's quick module) takes its options as written.
  const parsedOptions =
    protocol.optionsSchema === undefined
      ? { success: true as const, data: doc.options ?? {} }
      : protocol.optionsSchema.safeParse(doc.options ?? {}, { error: scenarioErrorMap });
  if (!parsedOptions.success)
    problems.push(...problemsFromZod(parsedOptions.error.issues, ['options']));

  const bugs: string[] = [];
  doc.bugs.forEach((bug, i) => {
    if (!protocol.bugs.some((b) => b.name === bug))
      problems.push({ path: ['bugs', i], message: unknownBugMessage(protocol, bug) });
    else if (!bugs.includes(bug)) bugs.push(bug);
  });

  checkMembership(
    doc,
    protocol,
    registry,
    problems,
    parsedOptions.success ? parsedOptions.data : undefined,
  );
  checkBackups(doc, protocol, registry, problems);
  const topology = resolveTopology(doc.topology, all, problems);
  const ownLinks = resolveNetwork(doc.network, all, problems);
  const disk = resolveDisk(doc.disk, all, problems);
  const clocks = resolveClocks(doc.clocks, all, problems);
  const workload = resolveWorkload(doc.workload, protocol, registry, n, problems);
  const clients =
    workload === undefined
      ? undefined
      : {
          count: workload.clients?.count ?? 0,
          placed: workload.clients?.placement !== undefined,
        };
  const network = withCrossZone(
    ownLinks,
    doc.network.crossZone,
    topology,
    all,
    workload?.clients?.placement,
    problems,
  );
  const faults = resolveFaults(doc.faults, all, registry.faults, protocol.roles ?? [], problems, {
    clients,
    topology,
    members: n,
  });
  const phases = {
    faultyUs: doc.phases.faulty,
    healedUs: doc.phases.healed,
    finalUs: doc.phases.final,
  };
  if (parsedOptions.success && workload !== undefined) {
    const { definition, options } = workload.workload;
    const misfit = protocol.checkWorkload?.(
      parsedOptions.data,
      { name: definition.name, options: options as Readonly<Record<string, unknown>> },
      { nodes: n, spares },
    );
    if (misfit !== undefined)
      problems.push({ path: ['options', ...misfit.path], message: misfit.message });
  }
  const checkers =
    workload === undefined
      ? []
      : resolveCheckers(doc.checkers, workload.workload.definition, protocol, registry, problems);

  if (workload !== undefined && checksLiveness(checkers, workload, n))
    problems.push(
      ...livenessImpossible({ clientLinks: network.defaults, phases, clients: workload.clients }),
    );

  const phasesUs = phases.faultyUs + phases.healedUs + phases.finalUs;
  const virtualTimeUsMax = doc.limits.virtualTime ?? phasesUs + TIME_LIMIT_SLACK_US;
  if (virtualTimeUsMax < phasesUs) {
    problems.push({
      path: ['limits', 'virtualTime'],
      message: `virtualTime must cover the phases (faulty + healed + final = ${formatDuration(phasesUs)})`,
    });
  }

  if (problems.length > 0 || !parsedOptions.success || workload === undefined) {
    return { ok: false, problems };
  }
  const scenario: Scenario = {
    file,
    name: doc.name ?? baseName(file),
    ...(doc.description !== undefined ? { description: doc.description } : {}),
    ...(doc.lesson !== undefined ? { lesson: doc.lesson } : {}),
    protocol,
    options: parsedOptions.data,
    bugs,
    ...(doc.seed !== undefined ? { seed: doc.seed } : {}),
    ...(doc.seeds !== undefined ? { seeds: doc.seeds } : {}),
    checkers,
    contentHash,
    registry,
    nodes: n,
    ...(spares > 0 ? { spares } : {}),
    ...(topology !== undefined ? { topology } : {}),
    network,
    disk,
    clocks,
    workload: workload.workload,
    clients: workload.clients,
    faults,
    phases,
    limits: {
      eventsMax: doc.limits.events,
      virtualTimeUsMax,
      pendingEventsMax: doc.limits.pendingEvents,
      historyOpsMax: doc.limits.historyOps,
      historyBytesMax: doc.limits.historyBytes,
      faultRecordsMax: doc.limits.faultRecords,
    },
  };
  return { ok: true, scenario };
}

/** The liveness checker runs, on clients that have final operations to complete. */
function checksLiveness(
  checkers: readonly CheckerDefinition[],
  w: { readonly workload: ResolvedWorkload; readonly clients: ClientSpec | undefined },
  nodes: number,
): w is { readonly workload: ResolvedWorkload; readonly clients: ClientSpec } {
  if (w.clients === undefined || !checkers.some((c) => c.name === 'liveness')) return false;
  const { definition, options } = w.workload;
  return definition.create(options, w.clients.count, nodes).finalOps().length > 0;
}

/** `scenarios/lessons/pb-sync.yaml` → `pb-sync`, made a safe folder name. */
function baseName(file: string): string {
  const last = file.split(/[\\/]/).pop() ?? file;
  const dot = last.lastIndexOf('.');
  return safeScenarioName(dot > 0 ? last.slice(0, dot) : last);
}

function resolveNetwork(
  doc: ScenarioDocument['network'],
  n: number,
  problems: ScenarioProblem[],
): WorldConfig['network'] {
  const defaults: LinkConfig = {
    delay: doc.delay,
    lossPpm: doc.loss,
    duplicatePpm: doc.duplicate,
    reorderPpm: doc.reorder,
  };
  const links: { from: number; to: number; config: LinkConfig }[] = [];
  const setBy = new Map<string, number>();
  doc.links.forEach((l, i) => {
    const from = resolveNodeName(l.from, n);
    const to = resolveNodeName(l.to, n);
    if (!from.ok) problems.push({ path: ['network', 'links', i, 'from'], message: from.message });
    if (!to.ok) problems.push({ path: ['network', 'links', i, 'to'], message: to.message });
    if (!from.ok || !to.ok) return;
    if (from.value === to.value) {
      problems.push({
        path: ['network', 'links', i, 'to'],
        message: 'a link joins two different nodes',
      });
      return;
    }
    const config: LinkConfig = {
      delay: l.delay ?? defaults.delay,
      lossPpm: l.loss ?? defaults.lossPpm,
      duplicatePpm: l.duplicate ?? defaults.duplicatePpm,
      reorderPpm: l.reorder ?? defaults.reorderPpm,
    };
    const directions: [number, number][] = l.symmetric
      ? [
          [from.value, to.value],
          [to.value, from.value],
        ]
      : [[from.value, to.value]];
    for (const [a, b] of directions) {
      const key = `${a}>${b}`;
      const earlier = setBy.get(key);
      if (earlier !== undefined) {
        problems.push({
          path: ['network', 'links', i],
          message: `the link n${a + 1} -> n${b + 1} is already set by network.links.${earlier}`,
        });
        return;
      }
      setBy.set(key, i);
      links.push({ from: a, to: b, config });
    }
  });
  if (doc.replay === undefined) return { defaults, links };
  return { defaults, links, replay: { ratioPpm: doc.replay.ratio, delay: doc.replay.delay } };
}

function resolveDisk(
  doc: ScenarioDocument['disk'],
  n: number,
  problems: ScenarioProblem[],
): DiskSpec {
  const f = doc.faults;
  let faultyNodesMax = 0;
  if (f !== undefined) {
    if (f.nodes === 'minority') faultyNodesMax = minority(n);
    else if (f.nodes === 'all') faultyNodesMax = n;
    else if (f.nodes > n)
      problems.push({
        path: ['disk', 'faults', 'nodes'],
        message: `${f.nodes} faulty disks is more than the cluster's ${n} nodes`,
      });
    else faultyNodesMax = f.nodes;
  }
  return {
    writeLatency: doc.writeLatency,
    syncLatency: doc.syncLatency,
    config: {
      sectorBytes: doc.sectorBytes,
      crash: {
        keepUnsyncedPpm: doc.crash.keepUnsynced,
        tornPpm: doc.crash.torn,
        dirOpsKeepPpm: doc.crash.dirOpsKeep,
      },
      faults:
        f === undefined
          ? undefined
          : {
              bitFlipOnReadPpm: f.bitFlipOnRead,
              bitFlipOnWritePpm: f.bitFlipOnWrite,
              latentSectorErrorPpm: f.latentSectorError,
              misdirectedWritePpm: f.misdirectedWrite,
              fsyncFailPpm: f.fsyncFail,
              faultsPerBlockMax: f.perBlockMax,
            },
    },
    faultyNodesMax,
  };
}

function resolveClocks(
  doc: ScenarioDocument['clocks'],
  n: number,
  problems: ScenarioProblem[],
): ClockSpec {
  const perNode: { node: number; offsetUs: number; driftPpm: number }[] = [];
  for (const [name, clock] of Object.entries(doc.nodes)) {
    const node = resolveNodeName(name, n);
    if (!node.ok)
      problems.push({ path: ['clocks', 'nodes', name], message: node.message, at: 'key' });
    else perNode.push({ node: node.value, offsetUs: clock.offset, driftPpm: clock.driftPpm });
  }
  // Object key order is not ours to rely on (DESIGN §4): sort by node.
  perNode.sort((a, b) => a.node - b.node);
  const base = { skewUsMax: doc.skewMax, driftPpmMax: doc.driftPpmMax };
  return perNode.length === 0 ? base : { ...base, perNode };
}

/**
 * The checkers a scenario names (each must fit its workload), or every one that fits and runs by
 * default.
 */
function resolveCheckers(
  names: readonly string[] | undefined,
  workload: AnyWorkloadDefinition,
  protocol: AnyProtocolDefinition,
  registry: Registry,
  problems: ScenarioProblem[],
): CheckerDefinition[] {
  const scope: CheckScope = {
    workload: {
      name: workload.name,
      hasClients: workload.hasClients,
      hasModel: workload.model !== undefined,
    },
    protocol: { name: protocol.name },
  };
  if (names === undefined)
    return registry.checkers.filter((c) => c.byDefault !== false && c.fits(scope) === undefined);
  const out: CheckerDefinition[] = [];
  names.forEach((name, i) => {
    const checker = findIn(registry.checkers, name);
    if (checker === undefined) return; // the schema only admits registered names
    const misfit = checker.fits(scope);
    if (out.includes(checker))
      problems.push({ path: ['checkers', i], message: `${name} is listed twice` });
    else if (misfit !== undefined)
      problems.push({
        path: ['checkers', i],
        message: `${name} checks ${checker.appliesTo}, but not this scenario: ${misfit}`,
      });
    else out.push(checker);
  });
  return out;
}
