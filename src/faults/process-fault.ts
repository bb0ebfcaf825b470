/**
 * What crash and pause share: a fault that takes nodes out of service (`down`) and its inverse
 * that brings them back (`up`), aimed by a node selector, respecting `maxDown` when a nemesis
 * strikes (a deliberate `all` excepted), recorded per node so a shrinker can pair each down with
 * its up. crash.ts and pause.ts each build their kind from this with their own words.
 */
import type { FaultAction, FaultHost, FaultStrike, NodeSelector } from '../sim/faults.js';
import type { NodeHost } from '../sim/node-host.js';
import type { EntryDocument, FaultKind, ResolveContext } from './fault-kind.js';
import { resolveTarget } from './nemesis-fields.js';
import type { DomainRef } from './domain-target.js';
import { resolveFaultTarget, targetSchema } from './node-selector.js';

/** `crash: n2` and the like: which nodes an action aims at. */
export interface NodeAction extends FaultAction {
  readonly node: NodeSelector;
}

export interface ProcessFaultWords {
  readonly down: string;
  readonly up: string;
  readonly summary: string;
  readonly downDoc: string;
  readonly upDoc: string;
  readonly nemesisDoc: string;
  /** Takes a node out of service, or brings it back, through the host. */
  takeDown(host: FaultHost, node: NodeHost): void;
  bringBack(host: FaultHost, node: NodeHost): void;
  /** The status a node is in while down (`down` for a crash, `paused` for a pause). */
  readonly downStatus: NodeHost['status'];
}

export function processFault(w: ProcessFaultWords): FaultKind {
  const applyDown = (a: NodeAction, strike: FaultStrike, host: FaultHost) => {
    // A whole-cluster power loss is a deliberate fault, not subject to maxDown.
    const everyone = a.node === 'all';
    for (const i of strike.resolve(a.node)) {
      const node = host.nodes[i] as NodeHost;
      if (node.status !== 'up') continue;
      if (strike.fromNemesis && !everyone && !strike.mayTakeDown()) continue;
      w.takeDown(host, node);
      host.nodeFailed(i);
      strike.log(node.id, { node: node.id });
      strike.undo({ kind: w.up, node: i } as NodeAction);
    }
  };
  const applyUp = (a: NodeAction, strike: FaultStrike, host: FaultHost) => {
    for (const i of strike.resolve(a.node)) {
      const node = host.nodes[i] as NodeHost;
      if (node.status !== w.downStatus) continue;
      strike.log(node.id, { node: node.id });
      w.bringBack(host, node);
    }
  };
  const resolveEntry = (e: EntryDocument, action: string, ctx: ResolveContext) => {
    const node = resolveFaultTarget(e[action] as string | DomainRef, ctx);
    if (!node.ok) {
      ctx.problems.push({ path: [...ctx.path, action], message: node.message });
      return undefined;
    }
    const fault = { atUs: e.at, action: { kind: action, node: node.value } };
    return action === w.down && e.for !== undefined ? { ...fault, forUs: e.for } : fault;
  };
  return {
    name: w.down,
    summary: w.summary,
    actions: [w.down, w.up],
    apply: (action, strike, host) =>
      action.kind === w.down
        ? applyDown(action as NodeAction, strike, host)
        : applyUp(action as NodeAction, strike, host),
    draw: (spec) => ({ action: { kind: w.down, node: spec.target } as NodeAction }),
    entry: {
      actions: {
        [w.down]: { schema: targetSchema.describe(w.downDoc), for: 'optional' },
        [w.up]: { schema: targetSchema.describe(w.upDoc), for: 'none' },
      },
      resolve: resolveEntry,
    },
    nemesis: {
      summary: w.nemesisDoc,
      resolve: (doc, ctx) => {
        const target = resolveTarget(doc.target, ctx, true);
        return target === undefined
          ? undefined
          : { kind: w.down, everyUs: doc.every, forUs: doc.for, target };
      },
    },
    materialize: (r) => {
      const node = r.data?.node;
      if (typeof node !== 'string') return undefined;
      if (r.action === w.down)
        return { holds: `${w.down}:${node}`, entry: { [w.down]: node }, text: `${w.down} ${node}` };
      return { closes: `${w.down}:${node}`, entry: { [w.up]: node }, text: `${w.up} ${node}` };
    },
  };
}
