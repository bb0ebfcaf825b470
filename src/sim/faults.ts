/**
 * The simulator's fault vocabulary: actions, scheduled faults, random nemeses, fault records, and
 * the contract a fault kind implements so the injector can apply it. Each kind (crash, partition,
 * clog…) lives in its own module under src/faults and is handed to the world in its config, as a
 * protocol is: the simulator knows how to strike, not what the strikes are.
 */
import type { BackupTool } from '../core/backup-tool.js';
import type { DelaySpec } from '../core/delay.js';
import type { Prng } from '../core/prng.js';
import type { Micros } from '../core/time.js';
import type { Network } from '../net/network.js';
import type { NodeHost } from './node-host.js';

/**
 * Which nodes a fault strikes: a node index, a random node (drawn when it strikes), every node
 * at once (`all`: a coordinated power loss when crashing), whoever holds a role now, or every
 * node of a fault domain (a zone or rack; one drawn when it strikes, when several are named).
 */
export type NodeSelector =
  | number
  | 'random'
  | 'all'
  | { readonly role: string }
  | {
      /** `zone` or `rack`, for records. */
      readonly tier: string;
      readonly domains: readonly { readonly name: string; readonly nodes: readonly number[] }[];
    };

/**
 * What a fault does, as data: `kind` names the action (`crash`, `restart`, `heal`…), the other
 * fields are the owning fault kind's (`node`, `spec`, `bumpUs`…).
 */
export interface FaultAction {
  readonly kind: string;
  readonly [field: string]: unknown;
}

export interface ScheduledFault {
  readonly atUs: Micros;
  readonly action: FaultAction;
  /** When set, the inverse action follows after this long. */
  readonly forUs?: Micros;
}

/** A random nemesis: during the faulty phase, one fault of its kind every `everyUs` on average. */
export interface NemesisSpec {
  /** The fault kind that draws its faults. */
  readonly kind: string;
  readonly everyUs: DelaySpec;
  readonly forUs: DelaySpec;
  /** Which nodes it strikes: `random`, `all`, or a role's holder. */
  readonly target: NodeSelector;
  /** What the kind itself reads (partition shapes, the largest clock bump…). */
  readonly params?: Readonly<Record<string, unknown>>;
}

/**
 * One fault that fired, for the report and for shrinking: the action's name, one line for
 * people, and the structured facts (`data`) a shrinker turns back into a schedule entry exactly.
 */
export interface FaultRecord {
  readonly t: Micros;
  readonly action: string;
  readonly detail: string;
  readonly data?: Readonly<Record<string, unknown>>;
}

/** A fault striking now: what a kind's `apply` may read and do. */
export interface FaultStrike {
  readonly now: Micros;
  /** The fault stream: every draw a fault makes comes from here. */
  readonly rng: Prng;
  /** It came from a random nemesis, which keeps within `maxDown`, not from the schedule. */
  readonly fromNemesis: boolean;
  /** The nodes a selector names now (`random` draws from the fault stream). */
  resolve(selector: NodeSelector): number[];
  /** True when a nemesis may take one more node down. */
  mayTakeDown(): boolean;
  /** Records the fault: the report line, its structured facts, and the trace hash. */
  log(detail: string, data: Readonly<Record<string, unknown>>): void;
  /** Schedules the inverse after the strike's `for`, when it has one. */
  undo(inverse: FaultAction): void;
  /** Schedules another action after `delayUs` (a periodic event, a backup, repeats this way). */
  after(action: FaultAction, delayUs: Micros): void;
}

/** What a fault kind may touch: the network, the nodes, their clocks and lifecycle. */
export interface FaultHost {
  readonly network: Network;
  readonly nodes: readonly NodeHost[];
  baseClock(node: number): { readonly offsetUs: Micros; readonly driftPpm: number };
  crash(node: NodeHost): void;
  restart(node: NodeHost): void;
  pause(node: NodeHost): void;
  resume(node: NodeHost): void;
  /** Tells the measures that a node crashed, paused or was cut off from a majority. */
  nodeFailed(node: number): void;
  /** The members of the cluster now, by index, ascending (spares and nodes that left are not). */
  members(): readonly number[];
  /** A spare joins the cluster: it boots, and every member is told (see sim/membership.ts). */
  join(node: NodeHost): void;
  /** A member leaves: every member, itself included, is told; it keeps running until `decommission`. */
  leave(node: NodeHost): void;
  /** A node that left stops for good at the end of its drain period. */
  decommission(node: NodeHost): void;
  /** The protocol's backup tool, when it has a storage engine (faults/backup.ts). */
  readonly backups: BackupTool<unknown> | undefined;
  /** A named mark for a node, as a protocol's `mark` effect makes (the run's metrics read it). */
  mark(node: NodeHost, name: string, value: number): void;
}

/** The simulator's half of a fault kind: applying its actions, and drawing a nemesis strike. */
export interface FaultKindRuntime {
  readonly name: string;
  /** The action kinds it applies (a crash kind applies `crash` and `restart`). */
  readonly actions: readonly string[];
  apply(action: FaultAction, strike: FaultStrike, host: FaultHost): void;
  /**
   * A random nemesis of this kind strikes: the action to apply, drawn from the fault stream.
   * `holdsItself` when the action carries its own length (a clog) and needs no inverse.
   */
  draw?(
    spec: NemesisSpec,
    rng: Prng,
    forUs: Micros,
  ): { action: FaultAction; holdsItself?: boolean };
}
