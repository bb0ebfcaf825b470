/**
 * A schedule entry's `partition:` resolved against the cluster: a shape (with `node:` for
 * isolate: a node name, `primary` or `role:<name>`), explicit components (every node and client
 * at most once, at least two components; clients only when the scenario places them), or
 * `{ cut: [[a, b], …] }` node pairs. A partition the cluster cannot host (fewer than two nodes;
 * a bridge of fewer than three) is an error here rather than an assertion in the middle of a
 * run.
 */
import type { PartitionShape, PartitionSpec } from '../net/partitions.js';
import { clusterNames, type Resolved, resolveNodeName } from '../options/node-names.js';
import type { PathSegment } from '../options/problem.js';
import type { FaultAction, ScheduledFault } from '../sim/faults.js';
import type { EntryDocument, ResolveContext } from './fault-kind.js';
import { resolveRole } from './node-selector.js';
import { zonesComponents } from './partition-zones.js';

export interface PartitionAction extends FaultAction {
  readonly kind: 'partition';
  readonly spec: PartitionSpec;
  /** For `isolate`: cut off whoever holds this role when it strikes (a random node if none). */
  readonly isolate?: { readonly role: string };
}

type PartitionField =
  | PartitionShape
  | readonly (readonly string[])[]
  | {
      readonly cut?: readonly (readonly string[])[];
      readonly zones?: readonly (readonly string[])[];
    };

export function resolvePartitionEntry(
  e: EntryDocument,
  ctx: ResolveContext,
): ScheduledFault | undefined {
  const where = [...ctx.path, 'partition'];
  if (ctx.nodes < 2) {
    const message = `a partition needs at least 2 nodes; ${clusterNames(ctx.nodes)}`;
    ctx.problems.push({ path: where, message });
    return undefined;
  }
  const oneWay = e.oneWay === true;
  const field = e.partition as PartitionField;
  const action =
    typeof field === 'string'
      ? shapeAction(field, e.node as string | undefined, oneWay, ctx)
      : 'zones' in field && field.zones !== undefined
        ? zonesAction(field.zones, oneWay, [...where, 'zones'], ctx)
        : 'cut' in field && field.cut !== undefined
          ? linksAction(field.cut, oneWay, [...where, 'cut'], ctx)
          : componentsAction(field as readonly (readonly string[])[], oneWay, where, ctx);
  if (action === undefined) return undefined;
  return e.for === undefined ? { atUs: e.at, action } : { atUs: e.at, action, forUs: e.for };
}

function shapeAction(
  shape: PartitionShape,
  node: string | undefined,
  oneWay: boolean,
  ctx: ResolveContext,
): PartitionAction | undefined {
  if (shape === 'bridge' && ctx.nodes < 3) {
    ctx.problems.push({
      path: [...ctx.path, 'partition'],
      message: `a bridge partition needs at least 3 nodes; ${clusterNames(ctx.nodes)}`,
    });
    return undefined;
  }
  const spec = { shape, oneWay };
  if (node === undefined) return { kind: 'partition', spec };
  const role = resolveRole(node, ctx.roles);
  const resolved = role ?? resolveNodeName(node, ctx.nodes);
  if (!resolved.ok) {
    ctx.problems.push({ path: [...ctx.path, 'node'], message: resolved.message });
    return undefined;
  }
  const value = resolved.value;
  return typeof value === 'number'
    ? { kind: 'partition', spec: { ...spec, node: value } }
    : { kind: 'partition', spec, isolate: value };
}

function componentsAction(
  components: readonly (readonly string[])[],
  oneWay: boolean,
  where: readonly PathSegment[],
  ctx: ResolveContext,
): PartitionAction | undefined {
  const out: number[][] = [];
  const clientsOut: number[][] = [];
  const seen = new Map<string, number>();
  let bad = false;
  const problem = (path: readonly PathSegment[], message: string) => {
    ctx.problems.push({ path, message });
    bad = true;
  };
  components.forEach((component, c) => {
    if (component.length === 0)
      problem([...where, c], 'a component needs at least one node or client');
    const nodes: number[] = [];
    const clients: number[] = [];
    component.forEach((name, k) => {
      const isClient = CLIENT_NAME.test(name);
      const r = isClient ? resolveClientName(name, ctx) : resolveNodeName(name, ctx.nodes);
      const other = r.ok ? seen.get(name) : undefined;
      if (!r.ok) problem([...where, c, k], r.message);
      else if (other !== undefined)
        problem([...where, c, k], `${name} is already in component ${other}`);
      else {
        seen.set(name, c);
        (isClient ? clients : nodes).push(r.value);
      }
    });
    out.push(nodes);
    clientsOut.push(clients);
  });
  if (components.length < 2) {
    problem(where, 'expected at least two components, like [[n1], [n2, n3]]');
  }
  const named = clientsOut.some((c) => c.length > 0);
  const spec: PartitionSpec = {
    shape: 'explicit',
    components: out,
    oneWay,
    ...(named ? { clientComponents: clientsOut } : {}),
  };
  return bad ? undefined : { kind: 'partition', spec };
}

/** `{ zones: [[z1], [z2, z3]] }`: the zones' nodes as explicit components. */
function zonesAction(
  sides: readonly (readonly string[])[],
  oneWay: boolean,
  where: readonly PathSegment[],
  ctx: ResolveContext,
): PartitionAction | undefined {
  const components = zonesComponents(sides, where, ctx);
  if (components === undefined) return undefined;
  return { kind: 'partition', spec: { shape: 'explicit', components, oneWay } };
}

const CLIENT_NAME = /^c(\d+)$/;

/** `c2` → 1, for a run whose clients are placed beside nodes. */
function resolveClientName(name: string, ctx: ResolveContext): Resolved<number> {
  const index = Number(CLIENT_NAME.exec(name)?.[1]) - 1;
  // The workload has a problem of its own (reported there): take the name as written.
  if (ctx.clients === undefined) return { ok: true, value: index };
  const count = ctx.clients.count;
  if (count === 0)
    return { ok: false, message: `${name} names a client, but this scenario has no clients` };
  if (index < 0 || index >= count) {
    const has = count === 1 ? 'only c1' : `c1..c${count}`;
    return { ok: false, message: `unknown client ${name}: the workload has ${has}` };
  }
  if (!ctx.clients.placed)
    return {
      ok: false,
      message: `${name} names a client, but clients reach every node unless placed: set workload.placement to beside (or { c1: n1, … }) to give them a side`,
    };
  return { ok: true, value: index };
}

/** `{ cut: [[n1, n3], …] }`: node names → index pairs, each pair two different nodes. */
function linksAction(
  pairs: readonly (readonly string[])[],
  oneWay: boolean,
  where: readonly PathSegment[],
  ctx: ResolveContext,
): PartitionAction | undefined {
  const links: [number, number][] = [];
  let bad = false;
  pairs.forEach((pair, p) => {
    // The schema guarantees two names per pair.
    const ends = pair.map((name: string, k: number) => {
      const r = resolveNodeName(name, ctx.nodes);
      if (r.ok) return r.value;
      ctx.problems.push({ path: [...where, p, k], message: r.message });
      return undefined;
    });
    const [a, b] = ends;
    if (a === undefined || b === undefined) {
      bad = true;
      return;
    }
    if (a === b) {
      ctx.problems.push({
        path: [...where, p, 1],
        message: `a cut pair joins two different nodes, not ${pair[0]} and itself`,
      });
      bad = true;
      return;
    }
    links.push([a, b]);
  });
  return bad ? undefined : { kind: 'partition', spec: { shape: 'links', links, oneWay } };
}
