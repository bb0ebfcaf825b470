/**
 * Everything a scenario can name, in one object: protocols, workloads, checkers and fault kinds.
 * The scenario schema, the parser, `faultline list` and the JSON Schema are all built from a
 * registry, so extending faultline is a definition plus a line in its list: the four lists here
 * for what faultline ships, or `extendRegistry` for a test suite's or a user's own (a test-only
 * protocol with its own workload, checker and fault kind runs without touching src/).
 */
import type { CheckerDefinition } from '../checkers/checker-definition.js';
import { CHECKERS } from '../checkers/registry.js';
import type { AnyProtocolDefinition } from '../core/protocol-definition.js';
import type { FaultKind } from '../faults/fault-kind.js';
import { FAULT_KINDS } from '../faults/registry.js';
import { PROTOCOLS } from '../protocols/registry.js';
import { WORKLOADS } from '../workloads/registry.js';
import type { AnyWorkloadDefinition } from '../workloads/workload-definition.js';

export interface Registry {
  readonly protocols: readonly AnyProtocolDefinition[];
  readonly workloads: readonly AnyWorkloadDefinition[];
  readonly checkers: readonly CheckerDefinition[];
  readonly faults: readonly FaultKind[];
}

/** What faultline ships. */
export const BUILTINS: Registry = {
  protocols: PROTOCOLS,
  workloads: WORKLOADS,
  checkers: CHECKERS,
  faults: FAULT_KINDS,
};

/**
 * A registry with more definitions after the base's. A name already taken is an error (two
 * definitions under one name would make scenarios ambiguous).
 */
export function extendRegistry(base: Registry, more: Partial<Registry>): Registry {
  const merge = <T extends { readonly name: string }>(
    kind: string,
    a: readonly T[],
    b?: readonly T[],
  ) => {
    const out = [...a];
    for (const item of b ?? []) {
      if (out.some((x) => x.name === item.name))
        throw new Error(`${kind} ${item.name} is already registered`);
      out.push(item);
    }
    return out;
  };
  return {
    protocols: merge('protocol', base.protocols, more.protocols),
    workloads: merge('workload', base.workloads, more.workloads),
    checkers: merge('checker', base.checkers, more.checkers),
    faults: mergeFaults(base.faults, more.faults),
  };
}

export const findIn = <T extends { readonly name: string }>(
  list: readonly T[],
  name: string,
): T | undefined => list.find((x) => x.name === name);

/** Fault kinds must not share a name, nor an action a schedule entry names. */
function mergeFaults(a: readonly FaultKind[], b: readonly FaultKind[] = []): FaultKind[] {
  const out = [...a];
  for (const kind of b) {
    const taken = out.find(
      (k) => k.name === kind.name || k.actions.some((x) => kind.actions.includes(x)),
    );
    if (taken !== undefined) throw new Error(`fault kind ${kind.name} clashes with ${taken.name}`);
    out.push(kind);
  }
  return out;
}
