/**
 * The contract between the simulator's clients and a workload: what operation a client invokes
 * next, and which operations observe the final state once faults have healed. Clients are
 * closed loops (Jepsen's model): the host decides where an operation goes, waits for its outcome
 * or a timeout, records it, thinks, and asks for the next; the workload only decides what the
 * operations are. Like a protocol, a workload draws its randomness from the stream it is given.
 */
import type { OpOutcome, PhaseName } from './history.js';
import type { Prng } from './prng.js';

export interface Workload<In = unknown> {
  /** The next operation for a client, or undefined when it has nothing more to do. */
  next(client: number, phase: PhaseName, rng: Prng): In | undefined;
  /** Operations run once, after quiescence, to observe the final state (e.g. a read per key). */
  finalOps(): In[];
  /** The operation's function name in the history: `get`, `append`, `cas`. */
  opName(op: In): string;
  /**
   * The node (an index from 0) a client sends its next operation to, for a workload whose clients
   * stick to one replica or roam between them; `home` for the node the client sits beside (node
   * client mod n unless the scenario places it), which a placed client that failed over returns
   * to once its timeout has passed; without it, or when it returns undefined, the client keeps
   * the node it last used. Retries of a failed attempt still move on.
   */
  route?(client: number, op: In, nodes: number, rng: Prng): number | 'home' | undefined;
  /**
   * A client's operation ended (`ok`, `fail` or `info`): a workload whose next operation depends
   * on what an earlier one returned (a causal context to write with) remembers it here.
   */
  completed?(client: number, op: In, outcome: OpOutcome, output: unknown): void;
}
