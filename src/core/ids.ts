/**
 * Identifiers. Nodes are `n1…nN` and clients `c1…cK`, as in Maelstrom, so traces read the same
 * way in both tools. Inside the simulator a node is also a dense index (0-based) for typed arrays.
 */
export type NodeId = string;
export type ClientId = string;

export const nodeId = (index: number): NodeId => `n${index + 1}`;
export const clientId = (index: number): ClientId => `c${index + 1}`;

/** Node ids of a cluster of `n` nodes, in order. */
export const nodeIds = (n: number): NodeId[] => Array.from({ length: n }, (_, i) => nodeId(i));

/** Compares ids like n2 < n10 (numeric suffix), so sorted output reads naturally. */
export function compareIds(a: string, b: string): number {
  const ma = /^([a-z]*)(\d+)$/.exec(a);
  const mb = /^([a-z]*)(\d+)$/.exec(b);
  if (ma && mb && ma[1] === mb[1]) return Number(ma[2]) - Number(mb[2]);
  return a < b ? -1 : a > b ? 1 : 0;
}
