/**
 * The `topology:` section resolved against the cluster: node names to indices, and the checks
 * that need `cluster.nodes`. Every node is placed exactly once (a node in no zone would have no
 * fault domain, so a zone outage could not say whether it struck it), no zone or rack is empty,
 * and rack names are unique across zones so a fault can name a rack on its own.
 */
import { show } from '../options/messages.js';
import { clusterNames, resolveNodeName } from '../options/node-names.js';
import type { PathSegment, ScenarioProblem } from '../options/problem.js';
import type { Domain, Topology, Zone } from '../net/topology.js';
import { DOMAIN_NAME, type TopologyDocument } from './schema/topology-schema.js';

export function resolveTopology(
  doc: TopologyDocument,
  n: number,
  problems: ScenarioProblem[],
): Topology | undefined {
  if (doc === undefined) return undefined;
  const placedAt = new Map<number, string>();
  const rackZone = new Map<string, string>();
  const place = (names: readonly string[], where: readonly PathSegment[], domain: string) => {
    const nodes: number[] = [];
    names.forEach((name, k) => {
      const r = resolveNodeName(name, n);
      const earlier = r.ok ? placedAt.get(r.value) : undefined;
      if (!r.ok) problems.push({ path: [...where, k], message: r.message });
      else if (earlier !== undefined)
        problems.push({
          path: [...where, k],
          message: `${name} is already placed in ${earlier}; a node sits in one zone and rack`,
        });
      else {
        placedAt.set(r.value, domain);
        nodes.push(r.value);
      }
    });
    if (names.length === 0)
      problems.push({ path: where, message: `${domain} is empty: list its nodes, like [n1]` });
    return nodes;
  };
  const named = (name: string, where: readonly PathSegment[], tier: string) => {
    if (!DOMAIN_NAME.test(name))
      problems.push({
        path: where,
        message: `expected a ${tier} name of letters, digits, dash and underscore, starting with a letter, got ${show(name)}`,
        at: 'key',
      });
  };
  const zones: Zone[] = Object.entries(doc.zones).map(([name, zone]) => {
    const where = ['topology', 'zones', name];
    named(name, where, 'zone');
    if (Array.isArray(zone)) return { name, nodes: place(zone, where, `zone ${name}`), racks: [] };
    const racks: Domain[] = Object.entries(zone.racks).map(([rack, names]) => {
      named(rack, [...where, 'racks', rack], 'rack');
      const other = rackZone.get(rack);
      if (other !== undefined)
        problems.push({
          path: [...where, 'racks', rack],
          message: `rack ${rack} is also in zone ${other}: rack names are unique, so a fault can name one`,
          at: 'key',
        });
      rackZone.set(rack, name);
      return { name: rack, nodes: place(names, [...where, 'racks', rack], `rack ${rack}`) };
    });
    if (racks.length === 0)
      problems.push({
        path: [...where, 'racks'],
        message: `zone ${name} is empty: give it racks, like { r1: [n1] }`,
      });
    const nodes = racks.flatMap((r) => r.nodes).sort((a, b) => a - b);
    return { name, nodes, racks };
  });
  if (zones.length === 0)
    problems.push({ path: ['topology', 'zones'], message: 'expected at least one zone' });
  const unplaced = Array.from({ length: n }, (_, i) => i).filter((i) => !placedAt.has(i));
  if (unplaced.length > 0)
    problems.push({
      path: ['topology', 'zones'],
      message: `${unplaced.map((i) => `n${i + 1}`).join(', ')} ${unplaced.length === 1 ? 'is' : 'are'} in no zone: a topology places every node (${clusterNames(n)})`,
    });
  // Even with problems, what resolved lets faults check their zone names against it.
  return { zones };
}
