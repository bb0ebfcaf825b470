/**
 * A schedule entry's `partition:` resolved against the cluster: a shape (with `node:` for
 * isolate: a node name, `primary` or `role:<name>`), explicit components (every node at most
 * once, at least two components), or `{ cut: [[a, b], …] }` node pairs. A partition the cluster
 * cannot host (fewer than two nodes; a bridge of fewer than three) is an error here rather than
 * an assertion in the middle of a run.
 */
import type { PartitionShape, PartitionSpec } from '../net/partitions.js';
import { clusterNames, resolveNodeName } from '../options/node-names.js';
import type { PathSegment } from '../options/problem.js';
import type { FaultAction, ScheduledFault } from '../sim/faults.js';
import type { EntryDocument, ResolveContext } from './fault-kind.js';
import { resolveRole } from './node-selector.js';

export interface PartitionAction extends FaultAction {
  readonly kind: 'partition';
  readonly spec: PartitionSpec;
  /** For `isolate`: cut off whoever holds this role when it strikes (a random node if none). */
  readonly isolate?: { readonly role: string };
}

type PartitionField =
  | PartitionShape
  | readonly (readonly string[])[]
  | { readonly cut: readonly (readonly string[])[] };

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
      : 'cut' in field
        ? linksAction(field.cut, oneWay, [...where, 'cut'], ctx)
        : componentsAction(field, oneWay, where, ctx);
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
  const seen = new Map<number, number>();
  let bad = false;
  const problem = (path: readonly PathSegment[], message: string) => {
    ctx.problems.push({ path, message });
    bad = true;
  };
  components.forEach((component, c) => {
    if (component.length === 0) problem([...where, c], 'a component needs at least one node');
    const nodes: number[] = [];
    component.forEach((name, k) => {
      const r = resolveNodeName(name, ctx.nodes);
      const other = r.ok ? seen.get(r.value) : undefined;
      if (!r.ok) problem([...where, c, k], r.message);
      else if (other !== undefined)
        problem([...where, c, k], `${name} is already in component ${other}`);
      else {
        seen.set(r.value, c);
        nodes.push(r.value);
      }
    });
    out.push(nodes);
  });
  if (components.length < 2) {
    problem(where, 'expected at least two components, like [[n1], [n2, n3]]');
  }
  const spec: PartitionSpec = { shape: 'explicit', components: out, oneWay };
  return bad ? undefined : { kind: 'partition', spec };
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
