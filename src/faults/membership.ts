/**
 * Membership changes as scenario events: `{ at: 2s, join: n6 }` starts a spare (a node the
 * scenario placed but left out of the cluster, `cluster: { spares: 2 }`), and
 * `{ at: 5s, leave: n3, for: 2s }` decommissions a member gracefully: every member, n3 included,
 * is told at once (`onMembership`), n3 keeps running for its drain period (`for`, default 1s) so
 * it can hand its data over, then stops for good (`left`). The drain is a fixed period rather than
 * the protocol saying "drained" because a period is what operators set (Cassandra's decommission
 * streams, then exits; Kafka's controlled shutdown has a timeout) and it keeps the schedule a
 * plain function of the scenario. Only protocols whose definition says `membership: true` take
 * these; the scenario layer checks that and the order of joins and leaves before a run
 * (scenario/resolve-membership.ts). They draw nothing, so they add no randomness.
 */
import { z } from 'zod';
import { US_PER_S } from '../core/time.js';
import { resolveNodeName } from '../options/node-names.js';
import type { FaultAction, FaultHost, FaultStrike } from '../sim/faults.js';
import type { NodeHost } from '../sim/node-host.js';
import type { EntryDocument, FaultKind, ResolveContext } from './fault-kind.js';

/** How long a leaving node drains when the entry gives no `for`. */
const DRAIN_US_DEFAULT = US_PER_S;

interface MemberAction extends FaultAction {
  readonly kind: 'join' | 'leave' | 'left';
  readonly node: number;
}

function applyJoin(a: MemberAction, strike: FaultStrike, host: FaultHost): void {
  const node = host.nodes[a.node] as NodeHost | undefined;
  // Checked before the run; a shrunk schedule may still name a node already in.
  if (node === undefined || node.status !== 'spare') return;
  strike.log(`${node.id} joins`, { node: node.id });
  host.join(node);
}

function applyLeave(a: MemberAction, strike: FaultStrike, host: FaultHost): void {
  const node = host.nodes[a.node] as NodeHost | undefined;
  const members = host.members();
  if (node === undefined || !members.includes(a.node) || members.length <= 1) return;
  strike.log(`${node.id} leaves, draining`, { node: node.id });
  host.leave(node);
  strike.undo({ kind: 'left', node: a.node } as MemberAction);
}

function applyLeft(a: MemberAction, strike: FaultStrike, host: FaultHost): void {
  const node = host.nodes[a.node] as NodeHost;
  strike.log(`${node.id} left`, { node: node.id });
  host.decommission(node);
}

const nodeSchema = (doc: string) =>
  z.string({ error: 'expected a node name like n6' }).describe(doc);

function resolveEntry(e: EntryDocument, action: string, ctx: ResolveContext) {
  const node = resolveNodeName(e[action] as string, ctx.nodes);
  if (!node.ok) {
    ctx.problems.push({ path: [...ctx.path, action], message: node.message });
    return undefined;
  }
  const fault = { atUs: e.at, action: { kind: action, node: node.value } };
  return action === 'leave' ? { ...fault, forUs: e.for ?? DRAIN_US_DEFAULT } : fault;
}

export const membershipFault: FaultKind = {
  name: 'membership',
  summary:
    'a spare joins the cluster, or a member leaves gracefully (told first, stopped after its drain); for protocols with membership: true',
  actions: ['join', 'leave', 'left'],
  apply: (action, strike, host) => {
    const a = action as MemberAction;
    if (a.kind === 'join') applyJoin(a, strike, host);
    else if (a.kind === 'leave') applyLeave(a, strike, host);
    else applyLeft(a, strike, host);
  },
  entry: {
    actions: {
      join: {
        schema: nodeSchema(
          'a spare (cluster.spares) joins the cluster: it boots and every member is told',
        ),
        for: 'none',
      },
      leave: {
        schema: nodeSchema(
          'a member leaves gracefully: every member is told, and it stops after for (its drain period, default 1s)',
        ),
        for: 'optional',
      },
    },
    resolve: resolveEntry,
  },
  materialize: (r) => {
    const node = r.data?.node;
    if (typeof node !== 'string') return undefined;
    if (r.action === 'join') return { entry: { join: node }, text: `join ${node}` };
    if (r.action === 'leave')
      return { holds: `leave:${node}`, entry: { leave: node }, text: `leave ${node}, draining` };
    return { closes: `leave:${node}` };
  },
};
