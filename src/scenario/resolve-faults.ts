/**
 * Turns the `faults:` section into the simulator's fault vocabulary: scheduled entries become
 * `ScheduledFault`s (node names → indices, a partition spec, the inverse's delay; a cut's node
 * pairs become index pairs), random nemeses become `NemesisSpec`s, and `maxDown: minority`
 * becomes a number. It also rejects
 * faults the cluster cannot host (a partition of one node, a bridge of two), which would
 * otherwise trip an assertion in the middle of a run.
 */
import type { Micros } from '../core/time.js';
import type { PartitionShape, PartitionSpec } from '../net/partitions.js';
import type { FaultAction, NemesisSpec, ScheduledFault } from '../sim/faults.js';
import type { WorldConfig } from '../sim/world-config.js';
import {
  clusterNames,
  resolveNodeName,
  resolveNodeSelector,
  type Resolved,
} from '../options/node-names.js';
import { PARTITION_SHAPES, SCHEDULE_ACTIONS } from './schema/faults-schema.js';
import type {
  NemesisDocument,
  ScenarioDocument,
  ScheduleEntryDocument,
} from './schema/scenario-schema.js';
import type { PathSegment, ScenarioProblem } from './scenario-problem.js';

/** The most nodes a minority can hold: a majority survives without them. */
export const minority = (n: number): number => Math.floor((n - 1) / 2);

export function resolveFaults(
  doc: ScenarioDocument['faults'],
  n: number,
  problems: ScenarioProblem[],
): WorldConfig['faults'] {
  const schedule: ScheduledFault[] = [];
  doc.schedule.forEach((entry, i) => {
    const fault = scheduledFault(entry, n, ['faults', 'schedule', i], problems);
    if (fault !== undefined) schedule.push(fault);
  });
  const nemeses: NemesisSpec[] = [];
  doc.random.forEach((spec, i) => {
    const nemesis = nemesisSpec(spec, n, ['faults', 'random', i], problems);
    if (nemesis !== undefined) nemeses.push(nemesis);
  });
  let maxDown = minority(n);
  if (doc.maxDown !== 'minority') {
    if (doc.maxDown > n)
      problems.push({
        path: ['faults', 'maxDown'],
        message: `maxDown ${doc.maxDown} is more than the cluster's ${n} nodes`,
      });
    maxDown = doc.maxDown;
  }
  return { schedule, nemeses, maxDown };
}

function scheduledFault(
  e: ScheduleEntryDocument,
  n: number,
  at: readonly PathSegment[],
  problems: ScenarioProblem[],
): ScheduledFault | undefined {
  // The schema guarantees exactly one action key.
  const kind = SCHEDULE_ACTIONS.find((k) => e[k] !== undefined);
  const take = <T>(r: Resolved<T>, field: PathSegment[]): T | undefined => {
    if (r.ok) return r.value;
    problems.push({ path: [...at, ...field], message: r.message });
    return undefined;
  };
  const withFor = (action: FaultAction): ScheduledFault =>
    e.for === undefined ? { atUs: e.at, action } : { atUs: e.at, action, forUs: e.for };
  switch (kind) {
    case 'partition': {
      const spec = partitionSpec(e, n, at, problems);
      return spec === undefined ? undefined : withFor({ kind: 'partition', spec });
    }
    case 'heal':
      return { atUs: e.at, action: { kind: 'heal' } };
    case 'crash':
    case 'restart':
    case 'pause':
    case 'resume': {
      const node = take(resolveNodeSelector(e[kind] as string, n), [kind]);
      if (node === undefined) return undefined;
      return kind === 'crash' || kind === 'pause'
        ? withFor({ kind, node })
        : { atUs: e.at, action: { kind, node } };
    }
    case 'clog': {
      // The clog's own length is part of the action: the network releases held messages itself.
      const forUs = e.for as Micros;
      const target = e.clog as string | readonly [string, string];
      if (typeof target === 'string') {
        const node = take(resolveNodeSelector(target, n), ['clog']);
        return node === undefined
          ? undefined
          : { atUs: e.at, action: { kind: 'clog', node, forUs } };
      }
      const a = take(resolveNodeName(target[0], n), ['clog', 0]);
      const b = take(resolveNodeName(target[1], n), ['clog', 1]);
      if (a === undefined || b === undefined) return undefined;
      if (a === b) {
        problems.push({ path: [...at, 'clog', 1], message: 'a link joins two different nodes' });
        return undefined;
      }
      return { atUs: e.at, action: { kind: 'clog', link: [a, b], forUs } };
    }
    case 'skew': {
      const node = take(resolveNodeSelector(e.skew as string, n), ['skew']);
      if (node === undefined) return undefined;
      const action: FaultAction =
        e.driftPpm === undefined
          ? { kind: 'skew', node, bumpUs: e.by ?? 0 }
          : { kind: 'skew', node, bumpUs: e.by ?? 0, driftPpm: e.driftPpm };
      return withFor(action);
    }
    case undefined:
      return undefined;
  }
}

function partitionSpec(
  e: ScheduleEntryDocument,
  n: number,
  at: readonly PathSegment[],
  problems: ScenarioProblem[],
): PartitionSpec | undefined {
  const where = [...at, 'partition'];
  if (n < 2) {
    problems.push({
      path: where,
      message: `a partition needs at least 2 nodes; ${clusterNames(n)}`,
    });
    return undefined;
  }
  const oneWay = e.oneWay ?? false;
  const shape = e.partition as
    | PartitionShape
    | readonly (readonly string[])[]
    | { readonly cut: readonly (readonly string[])[] };
  if (typeof shape === 'object' && 'cut' in shape)
    return linksSpec(shape.cut, n, [...where, 'cut'], oneWay, problems);
  if (typeof shape === 'string') {
    if (shape === 'bridge' && n < 3) {
      problems.push({
        path: where,
        message: `a bridge partition needs at least 3 nodes; ${clusterNames(n)}`,
      });
      return undefined;
    }
    if (e.node === undefined) return { shape, oneWay };
    if (e.node === 'primary') return { shape, node: 'primary', oneWay };
    const node = resolveNodeName(e.node, n);
    if (!node.ok) {
      problems.push({ path: [...at, 'node'], message: node.message });
      return undefined;
    }
    return { shape, node: node.value, oneWay };
  }
  const components: number[][] = [];
  const seen = new Map<number, number>();
  let bad = false;
  shape.forEach((component, c) => {
    if (component.length === 0) {
      problems.push({ path: [...where, c], message: 'a component needs at least one node' });
      bad = true;
    }
    const nodes: number[] = [];
    component.forEach((name, k) => {
      const r = resolveNodeName(name, n);
      if (!r.ok) {
        problems.push({ path: [...where, c, k], message: r.message });
        bad = true;
        return;
      }
      const other = seen.get(r.value);
      if (other !== undefined) {
        problems.push({
          path: [...where, c, k],
          message: `${name} is already in component ${other}`,
        });
        bad = true;
        return;
      }
      seen.set(r.value, c);
      nodes.push(r.value);
    });
    components.push(nodes);
  });
  if (shape.length < 2) {
    problems.push({
      path: where,
      message: 'expected at least two components, like [[n1], [n2, n3]]',
    });
    bad = true;
  }
  return bad ? undefined : { shape: 'explicit', components, oneWay };
}

/** `{ cut: [[n1, n3], …] }`: node names → index pairs, each pair two different nodes. */
function linksSpec(
  pairs: readonly (readonly string[])[],
  n: number,
  where: readonly PathSegment[],
  oneWay: boolean,
  problems: ScenarioProblem[],
): PartitionSpec | undefined {
  const links: [number, number][] = [];
  let bad = false;
  pairs.forEach((pair, p) => {
    // The schema guarantees two names per pair.
    const ends = pair.map((name: string, k: number) => {
      const r = resolveNodeName(name, n);
      if (r.ok) return r.value;
      problems.push({ path: [...where, p, k], message: r.message });
      return undefined;
    });
    const [a, b] = ends;
    if (a === undefined || b === undefined) {
      bad = true;
      return;
    }
    if (a === b) {
      problems.push({
        path: [...where, p, 1],
        message: `a cut pair joins two different nodes, not ${pair[0]} and itself`,
      });
      bad = true;
      return;
    }
    links.push([a, b]);
  });
  return bad ? undefined : { shape: 'links', links, oneWay };
}

function nemesisSpec(
  spec: NemesisDocument,
  n: number,
  at: readonly PathSegment[],
  problems: ScenarioProblem[],
): NemesisSpec | undefined {
  const base = { everyUs: spec.every, forUs: spec.for };
  switch (spec.kind) {
    case 'crash':
    case 'pause':
    case 'clog':
      return { kind: spec.kind, ...base, target: spec.target };
    case 'skew':
      return { kind: 'skew', ...base, target: spec.target, bumpUsMax: spec.bumpMax };
    case 'partition': {
      if (n < 2) {
        problems.push({
          path: [...at, 'kind'],
          message: `a partition needs at least 2 nodes; ${clusterNames(n)}`,
        });
        return undefined;
      }
      let shapes: PartitionShape[];
      if (spec.shapes === undefined) {
        // All shapes the cluster can host, in the simulator's own default order.
        shapes = PARTITION_SHAPES.filter((s) => s !== 'bridge' || n >= 3);
      } else {
        shapes = [...spec.shapes];
        const bridge = shapes.indexOf('bridge');
        if (bridge >= 0 && n < 3) {
          problems.push({
            path: [...at, 'shapes', bridge],
            message: `a bridge partition needs at least 3 nodes; ${clusterNames(n)}`,
          });
          return undefined;
        }
      }
      if (spec.target === 'all') {
        problems.push({
          path: [...at, 'target'],
          message: 'a partition targets any node or the primary (for isolate), not all',
        });
        return undefined;
      }
      return {
        kind: 'partition',
        ...base,
        shapes,
        oneWay: spec.oneWay,
        ...(spec.target === 'primary' ? { target: 'primary' as const } : {}),
      };
    }
  }
}
