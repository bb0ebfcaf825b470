/**
 * `network.crossZone` resolved: every directed link between endpoints in different zones of the
 * topology takes the cross-zone delay and loss (duplication and reordering stay the network's),
 * node to node and, for clients placed beside a node, client to node. A link the scenario set in
 * `network.links` keeps its own settings: the more specific setting wins.
 */
import type { LinkConfig } from '../net/network.js';
import { crossZoneLinks, type Topology } from '../net/topology.js';
import type { ScenarioProblem } from '../options/problem.js';
import type { WorldConfig } from '../sim/world-config.js';
import type { ScenarioDocument } from './schema/scenario-schema.js';

export function withCrossZone(
  network: WorldConfig['network'],
  doc: ScenarioDocument['network']['crossZone'],
  topology: Topology | undefined,
  nodes: number,
  placement: readonly number[] | undefined,
  problems: ScenarioProblem[],
): WorldConfig['network'] {
  if (doc === undefined) return network;
  if (topology === undefined) {
    problems.push({
      path: ['network', 'crossZone'],
      message:
        'crossZone needs zones to cross: add topology: { zones: { z1: [n1, …], z2: [...] } }',
      at: 'key',
    });
    return network;
  }
  const d = network.defaults;
  const config: LinkConfig = {
    delay: doc.delay ?? d.delay,
    lossPpm: doc.loss ?? d.lossPpm,
    duplicatePpm: d.duplicatePpm,
    reorderPpm: d.reorderPpm,
  };
  const set = new Set(network.links.map((l) => l.from * nodes + l.to));
  const own = (from: number, to: number) => set.has(from * nodes + to);
  const cross = crossZoneLinks(topology, nodes, placement, config, own);
  return { ...network, links: [...network.links, ...cross] };
}
