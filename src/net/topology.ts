/**
 * Fault domains: the zones a cluster's nodes sit in, and the racks inside a zone, as CockroachDB
 * and Cassandra write a node's locality (`region/zone/rack` tiers; here the two tiers that fail
 * together in practice). A zone is what loses power or its uplink as one; a rack is a smaller
 * unit inside it. Faults name a domain (`crash: { zone: z2 }`) and strike every node in it, and
 * messages between zones take the cross-zone link settings.
 *
 * A placed client sits in the zone of the node it sits beside; an unplaced client reaches every
 * node alike and is in no zone. Regions, a third tier, are left out: nothing here needs one yet.
 */
import type { Locality } from '../core/protocol-definition.js';
import type { LinkConfig } from './network.js';

/** A named group of nodes (a zone, or a rack inside one), as node indices in order. */
export interface Domain {
  readonly name: string;
  readonly nodes: readonly number[];
}

export interface Zone extends Domain {
  /** Its racks, in file order; empty when the zone names none. */
  readonly racks: readonly Domain[];
}

export interface Topology {
  /** Zones in file order; every node is in exactly one. */
  readonly zones: readonly Zone[];
}

/** The two tiers a fault can name. */
export type DomainTier = 'zone' | 'rack';

/** The domains of one tier, in file order (racks zone by zone). */
export function domainsOf(t: Topology, tier: DomainTier): readonly Domain[] {
  return tier === 'zone' ? t.zones : t.zones.flatMap((z) => z.racks);
}

/** Each node's zone, as an index into `t.zones`. */
export function zoneOfNodes(t: Topology, nodes: number): Int32Array {
  const zone = new Int32Array(nodes).fill(-1);
  t.zones.forEach((z, k) => {
    for (const i of z.nodes) zone[i] = k;
  });
  return zone;
}

/**
 * The directed links between endpoints in different zones, each given `crossZone`: node to node,
 * and, for clients placed beside a node (`home[c]`), client to node and back. `overridden` says
 * which node links the scenario set itself; those keep their own settings.
 */
export function crossZoneLinks(
  t: Topology,
  nodes: number,
  home: readonly number[] | undefined,
  crossZone: LinkConfig,
  overridden: (from: number, to: number) => boolean,
): { from: number; to: number; config: LinkConfig }[] {
  const zone = zoneOfNodes(t, nodes);
  const out: { from: number; to: number; config: LinkConfig }[] = [];
  for (let a = 0; a < nodes; a++)
    for (let b = 0; b < nodes; b++)
      if (zone[a] !== zone[b] && !overridden(a, b)) out.push({ from: a, to: b, config: crossZone });
  (home ?? []).forEach((h, c) => {
    const e = nodes + c;
    for (let b = 0; b < nodes; b++) {
      if (zone[h] === zone[b]) continue;
      out.push({ from: e, to: b, config: crossZone });
      out.push({ from: b, to: e, config: crossZone });
    }
  });
  return out;
}

/** Each node's zone and rack, in node order: what a protocol is told of the topology. */
export function localitiesOf(t: Topology, nodes: number): Locality[] {
  const out = new Array<Locality>(nodes);
  for (const z of t.zones) {
    for (const i of z.nodes) out[i] = { zone: z.name };
    for (const r of z.racks) for (const i of r.nodes) out[i] = { zone: z.name, rack: r.name };
  }
  return out;
}
