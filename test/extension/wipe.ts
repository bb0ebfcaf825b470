/**
 * A test-only fault kind, to show that a fault kind is one module plus one registry entry: a node
 * loses its whole disk, as when a machine is replaced, and restarts empty after `for`. Unlike a
 * crash, even fsynced data is gone, so it is outside what most protocols claim to survive on
 * one node. A scenario writes `{ at: 2s, wipe: role:keeper, for: 100ms }` or a random nemesis
 * `{ kind: wipe, every: 1s, for: 50ms }`; a shrinker turns its records back into those entries.
 */
import { z } from 'zod';
import type { FaultKind } from '../../src/faults/fault-kind.js';
import { resolveTarget } from '../../src/faults/nemesis-fields.js';
import { resolveNodeSelector } from '../../src/faults/node-selector.js';
import type { FaultAction, FaultHost, FaultStrike, NodeSelector } from '../../src/sim/faults.js';
import type { NodeHost } from '../../src/sim/node-host.js';

interface WipeAction extends FaultAction {
  readonly kind: 'wipe' | 'rejoin';
  readonly node: NodeSelector;
}

function wipe(a: WipeAction, strike: FaultStrike, host: FaultHost): void {
  for (const i of strike.resolve(a.node)) {
    const node = host.nodes[i] as NodeHost;
    if (node.status !== 'up') continue;
    host.crash(node);
    for (const file of node.disk.list()) node.disk.delete(file);
    node.disk.syncDir();
    host.nodeFailed(i);
    strike.log(`${node.id} disk wiped`, { node: node.id });
    strike.undo({ kind: 'rejoin', node: i });
  }
}

function rejoin(a: WipeAction, strike: FaultStrike, host: FaultHost): void {
  for (const i of strike.resolve(a.node)) {
    const node = host.nodes[i] as NodeHost;
    if (node.status !== 'down') continue;
    strike.log(`${node.id} rejoins empty`, { node: node.id });
    host.restart(node);
  }
}

const nodeRef = z.string({ error: 'expected a node' });

export const wipeFault: FaultKind = {
  name: 'wipe',
  summary: 'a node loses its whole disk (a replaced machine) and rejoins empty after for',
  actions: ['wipe', 'rejoin'],
  apply: (action, strike, host) =>
    action.kind === 'wipe'
      ? wipe(action as WipeAction, strike, host)
      : rejoin(action as WipeAction, strike, host),
  draw: (spec) => ({ action: { kind: 'wipe', node: spec.target } }),
  entry: {
    actions: {
      wipe: {
        schema: nodeRef.describe('wipe a node’s disk; with for, it rejoins after'),
        for: 'optional',
      },
      rejoin: { schema: nodeRef.describe('restart a wiped node'), for: 'none' },
    },
    resolve(e, action, ctx) {
      const node = resolveNodeSelector(e[action] as string, ctx.nodes, ctx.roles);
      if (!node.ok) {
        ctx.problems.push({ path: [...ctx.path, action], message: node.message });
        return undefined;
      }
      const fault = { atUs: e.at, action: { kind: action, node: node.value } };
      return e.for === undefined ? fault : { ...fault, forUs: e.for };
    },
  },
  nemesis: {
    summary: 'wipe a node’s disk, let it rejoin after for',
    resolve(doc, ctx) {
      const target = resolveTarget(doc.target, ctx, false);
      return target === undefined
        ? undefined
        : { kind: 'wipe', everyUs: doc.every, forUs: doc.for, target };
    },
  },
  materialize(r) {
    const node = r.data?.node;
    if (typeof node !== 'string') return undefined;
    if (r.action === 'wipe')
      return { holds: `wipe:${node}`, entry: { wipe: node }, text: `wipe ${node}` };
    return { closes: `wipe:${node}`, entry: { rejoin: node }, text: `rejoin ${node}` };
  },
};
