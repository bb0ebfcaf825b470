/**
 * Fault domains as fault targets: `{ zone: z2 }` or `{ rack: r1 }` in a schedule entry strikes
 * every node of that zone or rack at once (a zone outage, a rack's power or switch failing), and
 * a nemesis's `target: zone` (or `rack`) strikes a zone drawn when it strikes, `target: zone:z2`
 * always that one. The names are checked against the scenario's topology before the run.
 */
import { z } from 'zod';
import { type Domain, domainsOf, type DomainTier, type Topology } from '../net/topology.js';
import { show } from '../options/messages.js';
import type { Resolved } from '../options/node-names.js';
import { didYouMean } from '../options/suggest.js';
import type { NodeSelector } from '../sim/faults.js';

const DOMAIN_HINT = 'expected a fault domain, { zone: <name> } or { rack: <name> }';

/** `{ zone: z2 }` or `{ rack: r1 }`: exactly one of the two. */
export const domainRefSchema = z
  .strictObject({
    zone: z.string({ error: 'expected a zone name' }).optional().describe('every node of a zone'),
    rack: z.string({ error: 'expected a rack name' }).optional().describe('every node of a rack'),
  })
  .refine((d) => (d.zone === undefined) !== (d.rack === undefined), {
    error: DOMAIN_HINT,
    // An unknown field has its own message ("did you mean zone?"); this one would repeat it.
    when: (payload) => payload.issues.length === 0,
  })
  .describe('a fault domain of the topology: { zone: z2 } or { rack: r1 }');

export type DomainRef = z.output<typeof domainRefSchema>;

type DomainSelector = Extract<NodeSelector, { readonly domains: unknown }>;

/** `{ zone: z2 }` → the nodes of z2, checked against the topology. */
export function resolveDomainRef(
  ref: DomainRef,
  topology: Topology | undefined,
): Resolved<DomainSelector> {
  const tier: DomainTier = ref.zone !== undefined ? 'zone' : 'rack';
  const name = (ref.zone ?? ref.rack) as string;
  return resolveDomain(tier, name, topology);
}

/** One named zone or rack, or (name undefined) every one of the tier, drawn at each strike. */
export function resolveDomain(
  tier: DomainTier,
  name: string | undefined,
  topology: Topology | undefined,
): Resolved<DomainSelector> {
  if (topology === undefined)
    return {
      ok: false,
      message: `a ${tier} target needs a topology: add topology: { zones: { z1: [n1, …], … } }`,
    };
  const all = domainsOf(topology, tier);
  if (all.length === 0)
    return { ok: false, message: `the topology names no racks: write a zone as { racks: { … } }` };
  const plain = (d: Domain) => ({ name: d.name, nodes: d.nodes });
  if (name === undefined) return { ok: true, value: { tier, domains: all.map(plain) } };
  const found = all.find((d) => d.name === name);
  if (found !== undefined) return { ok: true, value: { tier, domains: [plain(found)] } };
  const names = all.map((d) => d.name);
  const message = `unknown ${tier} ${show(name)}: the topology has ${names.join(', ')}${didYouMean(name, names)}`;
  return { ok: false, message };
}

/** The domain a selector's strike hit, found by its nodes (a tier's domains are disjoint). */
export function domainStruck(
  selector: NodeSelector,
  nodes: readonly number[],
): { readonly tier: string; readonly name: string } | undefined {
  if (typeof selector !== 'object' || !('domains' in selector)) return undefined;
  const key = nodes.join();
  const hit = selector.domains.find((d) => d.nodes.join() === key);
  return hit === undefined ? undefined : { tier: selector.tier, name: hit.name };
}
