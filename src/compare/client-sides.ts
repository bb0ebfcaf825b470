/**
 * Which side of a partition a client's operation was on, for availability per side. Clients
 * placed beside nodes (`workload.placement`) are network endpoints, and the run records where
 * each stood over time (core/client-sides.ts): an operation counts on the side its client was on
 * when it invoked it — `connected` (reached every node), `majority` or `minority`. Without
 * placement every client reaches every node whatever the partition, and there is one side, `all
 * clients`. The measures (seed-measures.ts) count attempts and successes by the label.
 */
import { type ClientSides, sideAtInvoke } from '../core/client-sides.js';
import type { Operation } from '../core/history.js';

/** The label of the side `op`'s client was on when it invoked `op`. */
export type SideOf = (op: Operation) => string;

export const ALL_CLIENTS = 'all clients';

/** The side function for a run: by the reach record when clients were placed, else one side. */
export function sidesOf(sides: ClientSides | undefined): SideOf {
  if (sides === undefined) return () => ALL_CLIENTS;
  return (op) => `${sideAtInvoke(sides, op)} side`;
}
