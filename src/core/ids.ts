/**
 * Identifiers. Nodes are `n1…nN` and clients `c1…cK`, as in Maelstrom, so traces read the same
 * way in both tools. Inside the simulator a node is also a dense index (0-based) for typed arrays.
 */
export type NodeId = string;
export type ClientId = string;

const nodeId = (index: number): NodeId => `n${index + 1}`;
export const clientId = (index: number): ClientId => `c${index + 1}`;
/** The 0-based index of client `c3` (2): the inverse of `clientId`. */
export const clientIndex = (id: ClientId): number => Number(id.slice(1)) - 1;

/** Node ids of a cluster of `n` nodes, in order. */
export const nodeIds = (n: number): NodeId[] => Array.from({ length: n }, (_, i) => nodeId(i));
