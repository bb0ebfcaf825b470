/**
 * A resolved scenario plus a seed becomes a `WorldConfig`: the one place a protocol instance and
 * a workload are created, so every seed gets fresh ones and nothing carries over between runs.
 * Bugs named on the command line join the scenario's own; `validateBugs` checks them first so
 * the CLI can report a typo as a user error rather than an assertion. A scenario with a topology
 * tells the protocol each node's zone and rack (`localities`), so it can place across them.
 * Spares are nodes of the world after the members, not started until they join.
 */
import { assert } from '../core/assert.js';
import { nodeIds } from '../core/ids.js';
import { localitiesOf } from '../net/topology.js';
import type { TraceSink } from '../sim/trace-recorder.js';
import type { WorldConfig } from '../sim/world-config.js';
import { unknownBugMessage } from '../options/messages.js';
import type { Scenario } from './scenario.js';

export interface BuildExtras {
  /** Bugs to switch on beyond the scenario's own (e.g. from `--bug`). */
  readonly bugs?: readonly string[];
  readonly trace?: TraceSink;
}

/** The message for the first bug the scenario's protocol does not have, or undefined if all exist. */
export function validateBugs(s: Scenario, bugs: readonly string[]): string | undefined {
  for (const bug of bugs) {
    if (!s.protocol.bugs.some((b) => b.name === bug)) return unknownBugMessage(s.protocol, bug);
  }
  return undefined;
}

export function buildWorldConfig(s: Scenario, seed: number, extra: BuildExtras = {}): WorldConfig {
  const extraBugs = extra.bugs ?? [];
  const bad = validateBugs(s, extraBugs);
  assert(bad === undefined, () => `${bad} (call validateBugs before buildWorldConfig)`);
  const bugs = new Set([...s.bugs, ...extraBugs]);
  const spares = s.spares ?? 0;
  const nodes = nodeIds(s.nodes + spares);
  const protocol = s.protocol.create({
    options: s.options,
    bugs,
    nodes,
    ...(spares > 0 ? { spares: nodes.slice(s.nodes) } : {}),
    ...(s.topology !== undefined ? { localities: localitiesOf(s.topology, s.nodes + spares) } : {}),
  });
  return {
    seed,
    nodes: s.nodes + spares,
    ...(spares > 0 ? { spares } : {}),
    protocol,
    network: s.network,
    disk: s.disk,
    clocks: s.clocks,
    clients:
      s.clients === undefined
        ? undefined
        : {
            ...s.clients,
            workload: s.workload.definition.create(s.workload.options, s.clients.count, s.nodes),
          },
    faults: s.faults,
    phases: s.phases,
    limits: s.limits,
    ...(extra.trace !== undefined ? { trace: extra.trace } : {}),
    ...(s.protocol.roles !== undefined ? { roles: s.protocol.roles } : {}),
    ...(s.protocol.metrics !== undefined ? { metrics: s.protocol.metrics() } : {}),
    ...markPrefixesOf(s),
  };
}

/** The mark prefixes the scenario's checkers read (checker-definition.ts `readsMarks`). */
function markPrefixesOf(s: Scenario): { markPrefixes?: readonly string[] } {
  const prefixes = [...new Set(s.checkers.flatMap((c) => c.readsMarks ?? []))].sort();
  return prefixes.length > 0 ? { markPrefixes: prefixes } : {};
}
