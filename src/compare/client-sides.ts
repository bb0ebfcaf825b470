/**
 * Which side of a partition a client's operation was on, for availability per side. Today every
 * client reaches every node whatever the partition, so there is one side, `all clients`. When
 * clients become network endpoints placed beside nodes (the `endpoints` work), the run will say
 * where each client stood, and a side function built from that plugs in here: the measures
 * (seed-measures.ts) already count attempts and successes by whatever label it returns.
 */
import type { Operation } from '../core/history.js';

/** The label of the side `op`'s client was on when it invoked `op`. */
export type SideOf = (op: Operation) => string;

export const ALL_CLIENTS = 'all clients';

export const allClients: SideOf = () => ALL_CLIENTS;
