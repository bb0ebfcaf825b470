/**
 * Node names in scenario files: `n1`..`nN` (as in traces and Maelstrom), resolved to the dense
 * 0-based indices the simulator uses. A name outside the cluster is an error that says which
 * names exist. (Fault targets add `random`, `all` and roles: faults/node-selector.ts.)
 */
import { show } from './messages.js';

export type Resolved<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly message: string };

/** "the cluster has n1..n3" (or "only n1"). */
export const clusterNames = (n: number): string =>
  n === 1 ? 'the cluster has only n1' : `the cluster has n1..n${n}`;

const NODE_NAME = /^n([1-9]\d*)$/;

/** `n2` → 1, for a cluster of `n` nodes. */
export function resolveNodeName(name: string, n: number): Resolved<number> {
  const m = NODE_NAME.exec(name);
  if (m === null)
    return {
      ok: false,
      message: `expected a node name like n1 (${clusterNames(n)}), got ${show(name)}`,
    };
  const index = Number(m[1]) - 1;
  if (index >= n) return { ok: false, message: `unknown node ${name}: ${clusterNames(n)}` };
  return { ok: true, value: index };
}
