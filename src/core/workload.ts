/**
 * The contract between the simulator's clients and a workload: what operation a client invokes
 * next, and which operations observe the final state once faults have healed. Clients are
 * closed loops (Jepsen's model): the host decides where an operation goes, waits for its outcome
 * or a timeout, records it, thinks, and asks for the next; the workload only decides what the
 * operations are. Like a protocol, a workload draws its randomness from the stream it is given.
 */
import type { PhaseName } from './history.js';
import type { Prng } from './prng.js';

export interface Workload<In = unknown> {
  /** The next operation for a client, or undefined when it has nothing more to do. */
  next(client: number, phase: PhaseName, rng: Prng): In | undefined;
  /** Operations run once, after quiescence, to observe the final state (e.g. a read per key). */
  finalOps(): In[];
  /** The operation's function name in the history: `get`, `append`, `cas`. */
  opName(op: In): string;
}
