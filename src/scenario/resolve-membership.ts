/**
 * The checks on membership changes that need the whole schedule (faults/membership.ts resolves
 * each entry alone): the protocol must take them (`membership: true` in its definition), and,
 * replaying the joins and leaves in time order from the initial members n1..nK, each join names
 * a spare not yet in, each leave a node in now, and no leave takes the last member. A node that
 * left does not join again: decommissioned, its disk is gone with it. Each change that passes
 * these is then put to the protocol's own `checkMembership`, when it has one and its options
 * parsed (a cluster that would keep too few nodes to place its replicas on).
 */
import type { AnyProtocolDefinition, MembershipCheck } from '../core/protocol-definition.js';
import { formatDuration } from '../core/time.js';
import { resolveNodeName } from '../options/node-names.js';
import type { ScenarioProblem } from './scenario-problem.js';
import type { Registry } from './registry.js';
import { NODES_MAX, type ScenarioDocument } from './schema/scenario-schema.js';

interface Change {
  readonly index: number;
  readonly atUs: number;
  readonly action: 'join' | 'leave';
  readonly node: number;
}

export function checkMembership(
  doc: ScenarioDocument,
  protocol: AnyProtocolDefinition,
  registry: Registry,
  problems: ScenarioProblem[],
  options?: unknown,
): void {
  const { nodes, spares } = doc.cluster;
  const changes = membershipChanges(doc, nodes + spares);
  if (protocol.membership !== true) {
    const message = notOptedIn(protocol, registry);
    if (spares > 0) problems.push({ path: ['cluster', 'spares'], message });
    for (const c of changes)
      problems.push({ path: ['faults', 'schedule', c.index, c.action], message });
    return;
  }
  if (nodes + spares > NODES_MAX)
    problems.push({
      path: ['cluster', 'spares'],
      message: `nodes and spares together are at most ${NODES_MAX}, got ${nodes + spares}`,
    });
  const fits =
    options === undefined || protocol.checkMembership === undefined
      ? undefined
      : (c: MembershipCheck) => protocol.checkMembership?.(options, c);
  replay(changes, nodes, spares, problems, fits);
}

function notOptedIn(protocol: AnyProtocolDefinition, registry: Registry): string {
  const takers = registry.protocols.filter((p) => p.membership === true).map((p) => p.name);
  const which =
    takers.length === 0 ? '' : ` (${takers.join(', ')} ${takers.length === 1 ? 'does' : 'do'})`;
  return `${protocol.name} takes no membership changes: spares, join and leave need a protocol whose definition says membership: true${which}`;
}

/** The schedule's joins and leaves naming real nodes (a bad name is reported by the kind). */
function membershipChanges(doc: ScenarioDocument, total: number): Change[] {
  const out: Change[] = [];
  doc.faults.schedule.forEach((entry, index) => {
    const e = entry as Readonly<Record<string, unknown>> & { readonly at: number };
    for (const action of ['join', 'leave'] as const) {
      if (typeof e[action] !== 'string') continue;
      const node = resolveNodeName(e[action] as string, total);
      if (node.ok) out.push({ index, atUs: e.at, action, node: node.value });
    }
  });
  // The engine runs entries of one instant in file order: a stable sort keeps it.
  return out.sort((a, b) => a.atUs - b.atUs);
}

function replay(
  changes: readonly Change[],
  nodes: number,
  spares: number,
  problems: ScenarioProblem[],
  fits: ((c: MembershipCheck) => string | undefined) | undefined,
): void {
  const members = new Set(Array.from({ length: nodes }, (_, i) => i));
  const leftAt = new Map<number, number>();
  const spareNames = Array.from({ length: spares }, (_, i) => `n${nodes + i + 1}`);
  const sparesText =
    spares === 0
      ? 'the cluster has no spares: add cluster: { spares: 1 }'
      : `a join names a spare: ${spareNames.join(', ')}`;
  for (const c of changes) {
    const name = `n${c.node + 1}`;
    const when = formatDuration(c.atUs);
    const left = leftAt.get(c.node);
    const path = ['faults', 'schedule', c.index, c.action];
    let message: string | undefined;
    if (c.action === 'join') {
      if (members.has(c.node))
        message = `${name} is already in the cluster at ${when}; ${sparesText}`;
      else if (left !== undefined)
        message = `${name} left at ${formatDuration(left)}: a node that left does not join again`;
      else members.add(c.node);
    } else if (!members.has(c.node)) {
      message =
        left !== undefined
          ? `${name} already left at ${formatDuration(left)}`
          : `${name} is not in the cluster at ${when}: it is a spare until a join names it`;
    } else if (members.size === 1) {
      message = `leaving ${name} at ${when} would leave no node: a cluster keeps at least 1`;
    } else {
      members.delete(c.node);
      leftAt.set(c.node, c.atUs);
    }
    if (message === undefined && fits !== undefined) {
      message = fits({ action: c.action, node: name, members: namesOf(members) });
      // Refused: the replay goes on as if the change had not been made.
      if (message !== undefined && c.action === 'join') members.delete(c.node);
      if (message !== undefined && c.action === 'leave') {
        members.add(c.node);
        leftAt.delete(c.node);
      }
    }
    if (message !== undefined) problems.push({ path, message });
  }
}

const namesOf = (members: ReadonlySet<number>): string[] =>
  [...members].sort((a, b) => a - b).map((m) => `n${m + 1}`);
