/**
 * Partitions and heal, after Jepsen's nemeses: halves, random halves, isolating one node (or
 * whoever holds a role), the non-transitive bridge, the majorities ring, explicit components,
 * the exact node pairs cut, or sides made of zones of the topology (partition-zones.ts: also a
 * nemesis shape cutting one zone off); symmetric or one-way. Clients reach every node, unless the scenario
 * places them: then each goes with the node it sits beside, and explicit components may name
 * clients (`[[n1, n2, c1], [n3, c2]]`) to put them on a side of their own. A new partition
 * replaces the one before; heal removes it. A node left without a two-way majority
 * counts as failed for the protocol's measures (failure detection, failover).
 *
 * The record of a partition carries its components, or, for a bridge, a ring or links, every
 * directed link it cut, so a shrinker writes it down exactly instead of drawing it again.
 */
import { z } from 'zod';
import { unlessMissing } from '../options/messages.js';
import {
  blockedLinks,
  clientName,
  type Cut,
  makeCut,
  nodeName,
  type PartitionShape,
} from '../net/partitions.js';
import type { FaultHost, FaultStrike, NodeSelector } from '../sim/faults.js';
import type { FaultKind, Materialized } from './fault-kind.js';
import { resolveTarget } from './nemesis-fields.js';
import { type PartitionAction, resolvePartitionEntry } from './partition-entry.js';
import { nemesisZones, zoneCut, zonesSideSchema } from './partition-zones.js';

const PARTITION_SHAPES = [
  'halves',
  'random-halves',
  'isolate',
  'bridge',
  'majorities-ring',
] as const satisfies readonly PartitionShape[];

/** What a nemesis may draw: the shapes, and `zone` (one zone cut off), only when named. */
const NEMESIS_SHAPES = [...PARTITION_SHAPES, 'zone'] as const;
type NemesisShape = (typeof NEMESIS_SHAPES)[number];

const nameSchema = z.string({ error: 'expected text' });
const PAIR_HINT = 'expected a pair of two nodes, like [n1, n3]';

/**
 * The exact links a partition cuts (what a bridge or a majorities ring drew, written down), or
 * the sides as zones of the topology: one object with either field, so a typo in either gets a
 * "did you mean".
 */
const cutOrZonesSchema = z
  .strictObject({
    cut: z
      .array(
        z
          .array(nameSchema, { error: PAIR_HINT })
          .min(2, { error: PAIR_HINT })
          .max(2, { error: PAIR_HINT }),
        { error: unlessMissing('expected a list of node pairs, like [[n1, n3], [n2, n4]]') },
      )
      .optional()
      .describe(
        'node pairs that cannot talk (both ways, or first to second with oneWay); may be empty',
      ),
    zones: zonesSideSchema.optional(),
  })
  .refine((v) => (v.cut === undefined) !== (v.zones === undefined), {
    error: 'expected one of cut (node pairs) or zones (sides of zones)',
    when: (payload) => payload.issues.length === 0,
  })
  .describe('the exact links to cut, { cut: [[n1, n3], [n2, n4]] }, or { zones: [[z1], [z2]] }');

const partitionSchema = z
  .union(
    [
      z.enum(PARTITION_SHAPES),
      z.array(z.array(nameSchema, { error: 'expected a list of nodes' }), {
        error: 'expected a list of components',
      }),
      cutOrZonesSchema,
    ],
    {
      error: `expected a partition shape (${PARTITION_SHAPES.join(', ')}), components like [[n1, n2], [n3]], cut links like { cut: [[n1, n3]] }, or zones like { zones: [[z1], [z2]] }`,
    },
  )
  .describe(
    'cut the network: a shape, explicit components like [[n1, n2], [n3]], the exact node pairs that cannot talk, { cut: [[n1, n3], [n2, n4]] }, or sides of zones, { zones: [[z1], [z2, z3]] }',
  );

function applyPartition(a: PartitionAction, strike: FaultStrike, host: FaultHost): void {
  // `isolate` of a role names whichever node holds it now (a random one if none does yet).
  const holder = a.isolate === undefined ? undefined : strike.resolve(a.isolate)[0];
  const spec = holder === undefined ? a.spec : { ...a.spec, node: holder };
  const cut = makeCut(host.nodes.length, spec, strike.rng);
  host.network.partition(cut, strike.now);
  strike.log(cut.description, cutData(cut));
  reportUnreachable(cut.matrix, host);
  strike.undo({ kind: 'heal' });
}

/** What a shrinker needs to write the cut down exactly: its sides, or every link it cut. */
function cutData(cut: Cut): Readonly<Record<string, unknown>> {
  if (cut.components !== undefined) {
    const named = cut.clientComponents;
    const components = cut.components.map((c, k) => [
      ...c.map(nodeName),
      ...(named?.[k] ?? []).map(clientName),
    ]);
    return { components, oneWay: cut.oneWay === true };
  }
  return { cut: blockedLinks(cut).map(([a, b]) => [nodeName(a), nodeName(b)]) };
}

/** Tells the measures which nodes a cut leaves without a two-way majority. */
function reportUnreachable(matrix: Uint8Array, host: FaultHost): void {
  const n = host.nodes.length;
  for (let a = 0; a < n; a++) {
    let reach = 1;
    for (let b = 0; b < n; b++) {
      if (a !== b && matrix[a * n + b] === 0 && matrix[b * n + a] === 0) reach++;
    }
    if (reach * 2 <= n) host.nodeFailed(a);
  }
}

function applyHeal(strike: FaultStrike, host: FaultHost): void {
  if (host.network.partitionDescription !== undefined) strike.log('network healed', {});
  host.network.heal(strike.now);
}

export const partitionFault: FaultKind = {
  name: 'partition',
  summary:
    'cut the network: halves, random-halves, isolate (one node, or a role’s holder), bridge (one node sees both sides), majorities-ring, explicit components, or the exact node pairs cut ({ cut: [[n1, n3]] }); symmetric or oneWay; heal removes it',
  actions: ['partition', 'heal'],
  apply: (action, strike, host) =>
    action.kind === 'partition'
      ? applyPartition(action as PartitionAction, strike, host)
      : applyHeal(strike, host),
  draw: (spec, rng) => {
    const shapes = (spec.params?.shapes as readonly NemesisShape[]) ?? PARTITION_SHAPES;
    const shape = rng.pick(shapes);
    const oneWay = spec.params?.oneWay === true;
    if (shape === 'zone') {
      const zones = spec.params?.zones as readonly (readonly number[])[];
      const nodes = spec.params?.nodes as number;
      return { action: { kind: 'partition', spec: zoneCut(zones, nodes, oneWay, rng) } };
    }
    const target = spec.target;
    const role =
      typeof target === 'object' && 'role' in target && shape === 'isolate' ? target : undefined;
    const action: PartitionAction = {
      kind: 'partition',
      spec: { shape, oneWay },
      ...(role !== undefined ? { isolate: role } : {}),
    };
    return { action };
  },
  entry: {
    actions: {
      partition: { schema: partitionSchema, for: 'optional' },
      heal: {
        schema: z.literal(true, { error: 'expected heal: true' }).describe('heal every partition'),
        for: 'none',
      },
    },
    modifiers: {
      oneWay: z
        .boolean({ error: 'expected true or false' })
        .describe(
          'with partition: cut only messages leaving the first component (or the isolated node); with cut, only messages from the first node of each pair to the second',
        ),
      node: nameSchema.describe(
        'with partition: isolate: the node to isolate, n1..nN, primary or role:<name> (default random)',
      ),
    },
    refine: (e) =>
      e.node !== undefined && e.partition !== 'isolate'
        ? [{ field: 'node', message: 'node only goes with partition: isolate' }]
        : [],
    resolve: (e, action, ctx) =>
      action === 'heal' ? { atUs: e.at, action: { kind: 'heal' } } : resolvePartitionEntry(e, ctx),
  },
  nemesis: {
    summary: 'partition the network, heal after for',
    fields: {
      target: z
        .enum(['any', 'primary', 'all'], { error: 'expected any or primary' })
        .or(z.string().regex(/^role:.+$/, { error: 'expected any, primary or role:<name>' }))
        .default('any')
        .describe(
          'isolate: cut off a random node (any), or whoever holds the protocol’s primary role or role:<name> now (default any)',
        ),
      shapes: z
        .array(z.enum(NEMESIS_SHAPES, { error: shapeError }), {
          error: 'expected a list of partition shapes',
        })
        .min(1, { error: 'expected at least one shape' })
        .optional()
        .describe(
          `shapes to draw from (default all: ${PARTITION_SHAPES.join(', ')}; bridge needs 3 nodes), or zone: one zone of the topology cut off from the rest (only when named)`,
        ),
      oneWay: z
        .boolean({ error: 'expected true or false' })
        .default(false)
        .describe('cut only one direction (default false)'),
    },
    resolve: (doc, ctx) => {
      const shapes = nemesisShapes(doc.shapes as readonly NemesisShape[] | undefined, ctx);
      if (shapes === undefined) return undefined;
      const target: NodeSelector | undefined = resolveTarget(doc.target, ctx, false);
      if (target === undefined) return undefined;
      const zone = shapes.indexOf('zone');
      const zones = zone < 0 ? undefined : nemesisZones(ctx, [...ctx.path, 'shapes', zone]);
      if (zone >= 0 && zones === undefined) return undefined;
      const base = { shapes, oneWay: doc.oneWay === true };
      const params = zones === undefined ? base : { ...base, zones, nodes: ctx.nodes };
      return { kind: 'partition', everyUs: doc.every, forUs: doc.for, target, params };
    },
  },
  materialize: materializePartition,
};

function shapeError(issue: { readonly input?: unknown }): string | undefined {
  if (issue.input === undefined) return undefined;
  return `unknown partition shape ${JSON.stringify(issue.input)}: expected one of ${NEMESIS_SHAPES.join(', ')}`;
}

/** The shapes a nemesis draws from: all the cluster can host, or the ones named. */
function nemesisShapes(
  named: readonly NemesisShape[] | undefined,
  ctx: Parameters<NonNullable<FaultKind['nemesis']>['resolve']>[1],
): NemesisShape[] | undefined {
  const n = ctx.nodes;
  const cluster = n === 1 ? 'the cluster has only n1' : `the cluster has n1..n${n}`;
  if (n < 2) {
    ctx.problems.push({
      path: [...ctx.path, 'kind'],
      message: `a partition needs at least 2 nodes; ${cluster}`,
    });
    return undefined;
  }
  if (named === undefined) return PARTITION_SHAPES.filter((s) => s !== 'bridge' || n >= 3);
  const bridge = named.indexOf('bridge');
  if (bridge >= 0 && n < 3) {
    ctx.problems.push({
      path: [...ctx.path, 'shapes', bridge],
      message: `a bridge partition needs at least 3 nodes; ${cluster}`,
    });
    return undefined;
  }
  return [...named];
}

function materializePartition(r: {
  readonly action: string;
  readonly detail: string;
  readonly data?: Readonly<Record<string, unknown>>;
}): Materialized | undefined {
  if (r.action === 'heal') return { closes: 'partition', entry: { heal: true }, text: 'heal' };
  const components = r.data?.components as string[][] | undefined;
  if (components !== undefined) {
    const oneWay = r.data?.oneWay === true;
    const entry = oneWay ? { partition: components, oneWay: true } : { partition: components };
    return { holds: 'partition', entry, text: `partition ${r.detail}` };
  }
  const cut = r.data?.cut as [string, string][] | undefined;
  if (cut === undefined) return undefined;
  const links = linksOf(cut);
  const entry = links.oneWay
    ? { partition: { cut: links.pairs }, oneWay: true }
    : { partition: { cut: links.pairs } };
  return { holds: 'partition', entry, text: `partition ${cutText(links.pairs, links.oneWay)}` };
}

/**
 * Directed links as a `cut` entry: when every link's reverse is cut too, each pair once (lower
 * node first) and both ways; otherwise every directed link, one-way.
 */
function linksOf(blocked: readonly (readonly [string, string])[]): {
  pairs: [string, string][];
  oneWay: boolean;
} {
  const key = (a: string, b: string) => `${a}>${b}`;
  const all = new Set(blocked.map(([a, b]) => key(a, b)));
  const symmetric = blocked.every(([a, b]) => all.has(key(b, a)));
  const order = (name: string): number => Number(name.slice(1));
  const byNode = (x: readonly [string, string], y: readonly [string, string]) =>
    order(x[0]) - order(y[0]) || order(x[1]) - order(y[1]);
  const kept = symmetric ? blocked.filter(([a, b]) => order(a) < order(b)) : [...blocked];
  return {
    pairs: [...kept].sort(byNode).map(([a, b]): [string, string] => [a, b]),
    oneWay: !symmetric,
  };
}

const cutText = (pairs: readonly (readonly [string, string])[], oneWay: boolean): string =>
  pairs.length === 0
    ? 'no links cut'
    : pairs.map(([a, b]) => `${a} ${oneWay ? '-x->' : '-x-'} ${b}`).join(', ');
