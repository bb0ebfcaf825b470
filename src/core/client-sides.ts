/**
 * Which side of a partition a client stood on, and when: the record a run keeps once its
 * clients are placed beside nodes (`workload.placement`), so availability can be counted per
 * side ("operations attempted and succeeded on the minority side"). Without placement clients
 * reach every node whatever the partition, and no record is kept.
 *
 * A client's reach is the set of nodes it can exchange messages with both ways. Its side is
 * `connected` when it reaches every node, `majority` when it reaches more than half of them and
 * `minority` otherwise: the count the partition fault uses to say a node was cut from a
 * majority. (Reaching a majority of nodes is not the same as reaching a working quorum under a
 * majorities ring; the count is what a client could know, not what a protocol could do.)
 */
import { clientIndex } from './ids.js';
import type { Micros } from './time.js';

export type ClientSide = 'connected' | 'majority' | 'minority';

/** From `atUs` on (until the next change), client c reached the nodes `reach[c]`. */
export interface ClientReachChange {
  readonly atUs: Micros;
  readonly reach: readonly (readonly number[])[];
}

export interface ClientSides {
  readonly nodes: number;
  /** The node each client is placed beside, by client index. */
  readonly home: readonly number[];
  /** Changes of reach in time order; before the first, every client reached every node. */
  readonly changes: readonly ClientReachChange[];
}

/** The nodes client `client` reached at `tUs` (a change at exactly `tUs` applies). */
export function reachAt(sides: ClientSides, client: number, tUs: Micros): readonly number[] {
  let reach: readonly number[] | undefined;
  for (const change of sides.changes) {
    if (change.atUs > tUs) break;
    reach = change.reach[client];
  }
  return reach ?? Array.from({ length: sides.nodes }, (_, i) => i);
}

/** The side client `client` was on at `tUs`. */
export function sideOf(sides: ClientSides, client: number, tUs: Micros): ClientSide {
  const reached = reachAt(sides, client, tUs).length;
  if (reached === sides.nodes) return 'connected';
  return reached * 2 > sides.nodes ? 'majority' : 'minority';
}

/** The side an operation's client was on when it invoked the operation. */
export const sideAtInvoke = (
  sides: ClientSides,
  op: { readonly client: string; readonly invokeUs: Micros },
): ClientSide => sideOf(sides, clientIndex(op.client), op.invokeUs);

/** True when client `client` could not reach a majority of the nodes at `tUs`. */
export const cutFromMajority = (sides: ClientSides, client: number, tUs: Micros): boolean =>
  sideOf(sides, client, tUs) === 'minority';

/** Operations attempted on one side, and how they ended. */
export interface SideCounts {
  attempted: number;
  ok: number;
  fail: number;
  info: number;
}

/**
 * Operations counted by the side their client was on when it invoked them (final reads, which
 * run once everything has healed, left out): what `faultline compare` reads as availability.
 */
export function countBySide(
  sides: ClientSides,
  ops: readonly {
    readonly client: string;
    readonly invokeUs: Micros;
    readonly outcome: string;
    readonly phase: string;
  }[],
): Record<ClientSide, SideCounts> {
  const zero = (): SideCounts => ({ attempted: 0, ok: 0, fail: 0, info: 0 });
  const out: Record<ClientSide, SideCounts> = {
    connected: zero(),
    majority: zero(),
    minority: zero(),
  };
  for (const op of ops) {
    if (op.phase === 'final') continue;
    const counts = out[sideAtInvoke(sides, op)];
    counts.attempted++;
    if (op.outcome === 'ok' || op.outcome === 'fail' || op.outcome === 'info') counts[op.outcome]++;
  }
  return out;
}
