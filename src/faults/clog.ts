/**
 * Clogging: every message to and from a node, or on one link (both ways), is held for a while
 * and then delivered, as a congested switch or a long GC pause in the network stack would. Unlike
 * a partition nothing is lost, only late. A clog carries its own length: the network releases
 * the held messages itself, so it has no inverse action. A clog of a fault domain (`{ zone: z2 }`)
 * holds the messages that cross its edge, as a saturated uplink does, and leaves the traffic
 * inside the zone alone.
 */
import { z } from 'zod';
import type { Micros } from '../core/time.js';
import { resolveNodeName } from '../options/node-names.js';
import type { FaultAction, FaultHost, FaultStrike, NodeSelector } from '../sim/faults.js';
import { type DomainRef, domainRefSchema, domainStruck } from './domain-target.js';
import type { EntryDocument, FaultKind, Materialized, ResolveContext } from './fault-kind.js';
import { resolveTarget } from './nemesis-fields.js';
import { resolveFaultTarget } from './node-selector.js';

interface ClogAction extends FaultAction {
  readonly kind: 'clog';
  readonly node?: NodeSelector;
  readonly link?: readonly [number, number];
  readonly forUs: Micros;
}

const nameSchema = z.string({ error: 'expected text' });

function applyClog(a: ClogAction, strike: FaultStrike, host: FaultHost): void {
  const until = strike.now + a.forUs;
  if (a.link !== undefined) {
    const [x, y] = a.link;
    host.network.clogLink(x, y, until);
    host.network.clogLink(y, x, until);
    const link = [`n${x + 1}`, `n${y + 1}`];
    strike.log(`${link[0]}<->${link[1]} for ${a.forUs}us`, { link, forUs: a.forUs });
    return;
  }
  const selector = a.node ?? 'random';
  const nodes = strike.resolve(selector);
  const domain = domainStruck(selector, nodes);
  if (domain !== undefined) {
    host.network.clogBoundary(nodes, until);
    const names = nodes.map((i) => `n${i + 1}`);
    const detail = `${domain.tier} ${domain.name} (${names.join(' ')}) uplinks for ${a.forUs}us`;
    strike.log(detail, { domain: domain.name, tier: domain.tier, nodes: names, forUs: a.forUs });
    return;
  }
  for (const i of nodes) {
    host.network.clogNode(i, until);
    strike.log(`n${i + 1} for ${a.forUs}us`, { node: `n${i + 1}`, forUs: a.forUs });
  }
}

function resolveClog(e: EntryDocument, ctx: ResolveContext) {
  // The schema guarantees `for` with clog: the clog's own length is part of the action.
  const forUs = e.for as Micros;
  const target = e.clog as string | readonly [string, string] | DomainRef;
  const fail = (path: readonly (string | number)[], message: string) => {
    ctx.problems.push({ path: [...ctx.path, ...path], message });
    return undefined;
  };
  if (!Array.isArray(target)) {
    const node = resolveFaultTarget(target as string | DomainRef, ctx);
    if (!node.ok) return fail(['clog'], node.message);
    return { atUs: e.at, action: { kind: 'clog', node: node.value, forUs } as ClogAction };
  }
  const [x, y] = target as readonly [string, string];
  const a = resolveNodeName(x, ctx.nodes);
  const b = resolveNodeName(y, ctx.nodes);
  if (!a.ok) fail(['clog', 0], a.message);
  if (!b.ok) fail(['clog', 1], b.message);
  if (!a.ok || !b.ok) return undefined;
  if (a.value === b.value) return fail(['clog', 1], 'a link joins two different nodes');
  const link = [a.value, b.value] as const;
  return { atUs: e.at, action: { kind: 'clog', link, forUs } as ClogAction };
}

export const clogFault: FaultKind = {
  name: 'clog',
  summary: 'hold every message to and from a node (or on one link) for a while, then release them',
  actions: ['clog'],
  apply: (action, strike, host) => applyClog(action as ClogAction, strike, host),
  draw: (spec, _rng, forUs) => ({
    action: { kind: 'clog', node: spec.target, forUs } as ClogAction,
    holdsItself: true,
  }),
  entry: {
    actions: {
      clog: {
        schema: z
          .union(
            [
              nameSchema,
              z.tuple([nameSchema, nameSchema], { error: 'expected a link like [n1, n2]' }),
              domainRefSchema,
            ],
            {
              error:
                'expected a node (n1..nN, random, primary), a link like [n1, n2], or a fault domain like { zone: z1 }',
            },
          )
          .describe(
            'hold every message to and from a node, on a link (both ways), or crossing the edge of a zone or rack ({ zone: z1 }), for `for`',
          ),
        for: 'required',
        forMeans: 'how long messages are held',
      },
    },
    resolve: (e, _action, ctx) => resolveClog(e, ctx),
  },
  nemesis: {
    summary: 'hold a node’s messages for for',
    resolve: (doc, ctx) => {
      const target = resolveTarget(doc.target, ctx, true);
      return target === undefined
        ? undefined
        : { kind: 'clog', everyUs: doc.every, forUs: doc.for, target };
    },
  },
  materialize: (r) => {
    const forUs = r.data?.forUs;
    if (typeof forUs !== 'number') return undefined;
    const domain = r.data?.domain;
    if (typeof domain === 'string') return materializeDomain(domain, r.data, forUs);
    const link = r.data?.link as [string, string] | undefined;
    if (link !== undefined)
      return { entry: { clog: link }, text: `clog ${link.join('<->')}`, forUs };
    const node = r.data?.node;
    return typeof node === 'string'
      ? { entry: { clog: node }, text: `clog ${node}`, forUs }
      : undefined;
  },
};

/** A domain clog written back as its entry, `clog: { zone: z2 }` (or `{ rack: r1 }`). */
function materializeDomain(
  name: string,
  data: Readonly<Record<string, unknown>> | undefined,
  forUs: number,
): Materialized {
  const tier = data?.tier === 'rack' ? 'rack' : 'zone';
  return { entry: { clog: { [tier]: name } }, text: `clog ${tier} ${name}`, forUs };
}
