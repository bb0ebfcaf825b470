/**
 * Partitions along fault domains: `partition: { zones: [[z1], [z2, z3]] }` cuts the links
 * between the nodes of the zones on each side (a zone's uplink failing, or a WAN split), and a
 * partition nemesis with the `zone` shape cuts one zone, drawn when it strikes, off from the rest.
 * Both become explicit components over the nodes, so a placed client goes with its node and the
 * fault is recorded (and shrunk) as the components it cut. Zones left out of the entry keep all
 * their links, as nodes left out of explicit components do.
 */
import { z } from 'zod';
import type { Prng } from '../core/prng.js';
import type { PartitionSpec } from '../net/partitions.js';
import { show } from '../options/messages.js';
import type { PathSegment } from '../options/problem.js';
import { didYouMean } from '../options/suggest.js';
import type { ResolveContext } from './fault-kind.js';

/** `zones: [[z1], [z2, z3]]` inside `partition:`, beside `cut` (partition.ts). */
export const zonesSideSchema = z
  .array(
    z.array(z.string({ error: 'expected a zone name' }), { error: 'expected a list of zones' }),
    { error: 'expected a list of sides, like [[z1], [z2, z3]]' },
  )
  .describe('cut the links between zones: the sides, each a list of zones of the topology');

/** The sides of a zones entry as node components, each zone on at most one side. */
export function zonesComponents(
  sides: readonly (readonly string[])[],
  where: readonly PathSegment[],
  ctx: ResolveContext,
): number[][] | undefined {
  const problem = (path: readonly PathSegment[], message: string) => {
    ctx.problems.push({ path, message });
  };
  const zones = ctx.topology?.zones;
  if (zones === undefined) {
    problem(where, 'a partition between zones needs a topology: add topology: { zones: … }');
    return undefined;
  }
  const names = zones.map((z) => z.name);
  const before = ctx.problems.length;
  const seen = new Map<string, number>();
  const out = sides.map((side, s) => {
    if (side.length === 0) problem([...where, s], 'a side needs at least one zone');
    return side.flatMap((name, k) => {
      const zone = zones.find((z) => z.name === name);
      const other = seen.get(name);
      if (zone === undefined)
        problem(
          [...where, s, k],
          `unknown zone ${show(name)}: the topology has ${names.join(', ')}${didYouMean(name, names)}`,
        );
      else if (other !== undefined)
        problem([...where, s, k], `${name} is already on side ${other}`);
      else seen.set(name, s);
      return zone === undefined || other !== undefined ? [] : [...zone.nodes];
    });
  });
  if (sides.length < 2) problem(where, 'expected at least two sides, like [[z1], [z2, z3]]');
  return ctx.problems.length === before ? out : undefined;
}

/** The node groups a `zone`-shaped nemesis draws from; a problem when there are fewer than 2. */
export function nemesisZones(
  ctx: ResolveContext,
  where: readonly PathSegment[],
): readonly (readonly number[])[] | undefined {
  const zones = ctx.topology?.zones ?? [];
  if (zones.length >= 2) return zones.map((z) => z.nodes);
  const message =
    ctx.topology === undefined
      ? 'the zone shape needs a topology: add topology: { zones: … }'
      : 'the zone shape needs at least two zones to cut one off';
  ctx.problems.push({ path: where, message });
  return undefined;
}

/** A zone drawn now, cut off from every other node. */
export function zoneCut(
  zones: readonly (readonly number[])[],
  nodes: number,
  oneWay: boolean,
  rng: Prng,
): PartitionSpec {
  const zone = rng.pick(zones);
  const rest = Array.from({ length: nodes }, (_, i) => i).filter((i) => !zone.includes(i));
  return { shape: 'explicit', components: [[...zone], rest], oneWay };
}
