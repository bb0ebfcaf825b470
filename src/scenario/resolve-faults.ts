/**
 * Turns the `faults:` section into the simulator's fault vocabulary through the fault kinds: each
 * schedule entry is resolved by the kind that owns its action (node names → indices, roles, the
 * inverse's delay), each random nemesis by its kind, and `maxDown: minority` becomes a number.
 * A kind rejects what the cluster cannot host (a partition of one node, a bridge of two), which
 * would otherwise trip an assertion in the middle of a run.
 */
import type { RoleDefinition } from '../core/protocol-definition.js';
import type {
  EntryDocument,
  FaultKind,
  NemesisDocument,
  ResolveContext,
} from '../faults/fault-kind.js';
import type { NemesisSpec, ScheduledFault } from '../sim/faults.js';
import type { WorldConfig } from '../sim/world-config.js';
import type { ScenarioProblem } from './scenario-problem.js';
import { scheduleActions } from './schema/faults-schema.js';
import type { ScenarioDocument } from './schema/scenario-schema.js';

/** The most nodes a minority can hold: a majority survives without them. */
export const minority = (n: number): number => Math.floor((n - 1) / 2);

export function resolveFaults(
  doc: ScenarioDocument['faults'],
  n: number,
  kinds: readonly FaultKind[],
  roles: readonly RoleDefinition[],
  problems: ScenarioProblem[],
  around: {
    readonly clients: ResolveContext['clients'] | undefined;
    readonly topology: ResolveContext['topology'] | undefined;
    /** The initial members, when the world also holds spares (n counts them): maxDown's base. */
    readonly members?: number;
  },
): WorldConfig['faults'] {
  const { clients, topology } = around;
  const context = (path: (string | number)[]): ResolveContext => ({
    nodes: n,
    roles,
    ...(clients !== undefined ? { clients } : {}),
    ...(topology !== undefined ? { topology } : {}),
    path,
    problems,
  });
  const actions = scheduleActions(kinds);
  const schedule: ScheduledFault[] = [];
  doc.schedule.forEach((entry, i) => {
    // The schema guarantees exactly one action key.
    const e = entry as EntryDocument;
    const owner = actions.find((a) => e[a.name] !== undefined);
    const fault = owner?.kind.entry.resolve(e, owner.name, context(['faults', 'schedule', i]));
    if (fault !== undefined) schedule.push(fault);
  });
  const nemeses: NemesisSpec[] = [];
  doc.random.forEach((spec, i) => {
    const d = spec as NemesisDocument;
    const kind = kinds.find((k) => k.name === d.kind);
    const nemesis = kind?.nemesis?.resolve(d, context(['faults', 'random', i]));
    if (nemesis !== undefined) nemeses.push(nemesis);
  });
  let maxDown = minority(around.members ?? n);
  if (doc.maxDown !== 'minority') {
    if (doc.maxDown > n)
      problems.push({
        path: ['faults', 'maxDown'],
        message: `maxDown ${doc.maxDown} is more than the cluster's ${n} nodes`,
      });
    maxDown = doc.maxDown;
  }
  return { schedule, nemeses, maxDown, kinds };
}
