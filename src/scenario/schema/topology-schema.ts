/**
 * The `topology:` section of a scenario: the zones nodes sit in, and optionally racks inside a
 * zone, written as CockroachDB and Cassandra tier a node's locality (zone, then rack). A zone is a
 * list of nodes, or `{ racks: { r1: [...], r2: [...] } }`:
 *
 *   topology: { zones: { z1: [n1, n2], z2: { racks: { r1: [n3], r2: [n4] } }, z3: [n5] } }
 *
 * Node names, each node placed once, and no empty domain are checked in resolve-topology.ts,
 * once `cluster.nodes` is known.
 */
import { z } from 'zod';

/** Zone and rack names: faults and traces name them (`target: zone:z2`). */
export const DOMAIN_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

const domainName = z.string();

const nodeList = z.array(z.string({ error: 'expected a node name like n1' }), {
  error: 'expected a list of nodes, like [n1, n2]',
});

const zoneSchema = z
  .union(
    [
      nodeList.describe('the nodes in this zone, e.g. [n1, n2]'),
      z
        .strictObject({
          racks: z
            .record(domainName, nodeList.describe('the nodes in this rack'), {
              error: 'expected a mapping from rack name to nodes, like { r1: [n1, n2] }',
            })
            .describe('the racks of this zone, each a list of nodes; rack names are unique'),
        })
        .describe('a zone split into racks'),
    ],
    { error: 'expected a list of nodes like [n1, n2], or racks like { racks: { r1: [n1] } }' },
  )
  .describe('a zone: its nodes, or its racks');

export const topologySchema = z
  .strictObject({
    zones: z
      .record(domainName, zoneSchema, {
        error: 'expected a mapping from zone name to nodes, like { z1: [n1, n2], z2: [n3] }',
      })
      .describe('the zones, in order; every node is in exactly one'),
  })
  .optional()
  .describe(
    'fault domains: zones and racks, e.g. { zones: { z1: [n1, n2], z2: { racks: { r1: [n3], r2: [n4] } } } }; faults may name a zone or rack, and network.crossZone sets links between zones',
  );

export type TopologyDocument = z.output<typeof topologySchema>;
