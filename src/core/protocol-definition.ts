/**
 * What a protocol package declares beside its handlers: its name and options, the workloads it
 * serves, the roles its nodes take, the measures it reports, and its known bugs — each with the
 * canary that proves the fuzzer still catches it (DESIGN §8) — and the coverage marks its
 * scenarios must hit. The registry, the scenario parser, `faultline list`, the generic canary and
 * coverage tests and `npm run fuzz` all read this one declaration.
 */
import type { ZodType } from 'zod';
import type { NodeId } from './ids.js';
import type { MetricsCollector } from './metrics.js';
import type { AnyProtocol } from './protocol.js';

/** How the fuzzer must catch a named bug, and the seeds CI replays (DESIGN §8). */
export interface CanaryDefinition {
  /** The scenario class that exposes the bug, relative to the package root. */
  readonly scenario: string;
  /** The checker that must report the violation. */
  readonly checker: string;
  /** The fuzzer finds it within seeds 1..budget, and the correct protocol passes all of them. */
  readonly budget: number;
  /** Seeds known to trip it: CI runs each with the bug on (caught) and off (clean). */
  readonly seeds: readonly number[];
  /** What was measured when the budget was chosen, for the next person to re-measure. */
  readonly measured: string;
  /** A regular expression the checker's sentence must match, where the wording matters. */
  readonly says?: string;
  /**
   * The same bug on the same scenario class with protocol options set over the file's, as
   * `--option` sets them (`storage=lsm`), each measured and pinned like the canary itself.
   */
  readonly variants?: readonly CanaryVariant[];
}

/**
 * A canary's scenario class run with `options` (`KEY=VALUE`, as `--option` takes them): its own
 * budget, seeds and measure (and checker and wording, where another check fires first under
 * those options), or, for a bug those options cannot express, why not.
 */
export type CanaryVariant =
  | {
      readonly options: readonly string[];
      readonly budget: number;
      readonly seeds: readonly number[];
      readonly measured: string;
      readonly checker?: string;
      readonly says?: string;
    }
  | { readonly options: readonly string[]; readonly inexpressible: string };

/** A known bug a protocol ships as a switchable mutation (DESIGN §8). */
export interface BugDefinition {
  /** `<protocol>.<name>`, e.g. `primary-backup.ack-before-fsync`. */
  readonly name: string;
  readonly summary: string;
  readonly canary?: CanaryDefinition;
}

/** The marks a scenario class must hit in its first seeds, so a clean sweep means something. */
export interface CoverageDefinition {
  readonly scenario: string;
  /** How many seeds, from 1, together must hit every mark. */
  readonly seeds: number;
  readonly marks: readonly string[];
}

/**
 * A role a node can take (leader, primary, coordinator, replica of shard 3…), announced by a
 * mark. Fault targets name it (`crash: role:leader`), so a nemesis can strike whoever holds it.
 */
export interface RoleDefinition {
  readonly name: string;
  readonly summary: string;
  /** The mark a node emits when it takes the role. */
  readonly takenBy: string;
  /** The mark a node emits when it gives the role up, if the protocol announces that. */
  readonly leftBy?: string;
  /**
   * One holder at a time (the default): taking the role moves it to the new node, and it stays
   * with whichever node took it last, even crashed, as a client would believe. Otherwise every
   * node that took it and has not left it holds it.
   */
  readonly shared?: boolean;
}

/** Why a protocol's options cannot serve a workload: a path under `options` and a message. */
export interface OptionsMisfit {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/**
 * Where a node sits, when the scenario names fault domains (`topology:`): its zone, and its rack
 * when the zone has racks. A protocol that places replicas across failure domains (one per zone
 * when it can) reads this, as CockroachDB's allocator reads each store's locality.
 */
export interface Locality {
  readonly zone: string;
  readonly rack?: string;
}

/** What a protocol package exports: how to build it and what it claims. */
export interface ProtocolDefinition<Options = unknown> {
  readonly name: string;
  readonly summary: string;
  /** Workloads whose operations it understands (e.g. `kv`); the first is the default. */
  readonly workloads: readonly string[];
  readonly bugs: readonly BugDefinition[];
  /**
   * Validates the scenario's `options:`; each field's `.describe()` is its documentation.
   * Optional for a user's own quick protocol: without it, options are passed as written.
   */
  readonly optionsSchema?: ZodType<Options>;
  /** The roles its nodes take; the first is what a scenario's `primary` names. */
  readonly roles?: readonly RoleDefinition[];
  /** A fresh collector per run for the measures it reports (failover, replication lag…). */
  readonly metrics?: () => MetricsCollector;
  readonly coverage?: readonly CoverageDefinition[];
  /**
   * Its nodes take membership changes (`onMembership`): a scenario may then name spare nodes and
   * schedule `join:` and `leave:` entries. Without it, those are a scenario error.
   */
  readonly membership?: boolean;
  /**
   * Whether one join or leave of the schedule fits these options (a leave that would leave too
   * few nodes to place data on, say): a message with a suggestion, or undefined when it fits.
   * `members` is the cluster after the change, in node order. Only for `membership` protocols.
   */
  checkMembership?(options: Options, change: MembershipCheck): string | undefined;
  /**
   * Its protocol offers backups and restore (`Protocol.backups`): a scenario may then schedule
   * `backup:`, `disaster:` and `restore:` entries. Without it, those are a scenario error.
   */
  readonly backups?: boolean;
  /**
   * Whether the options fit the workload the scenario runs (a replicated data type that cannot
   * take the workload's operations, say, or a replication factor above the cluster's size);
   * undefined when they do. The scenario parser reports a misfit at its path under `options`.
   */
  checkWorkload?(
    options: Options,
    workload: { readonly name: string; readonly options: Readonly<Record<string, unknown>> },
    /** `nodes` members when the run starts, and `spares` more that may join (named after them). */
    cluster: { readonly nodes: number; readonly spares?: number },
  ): OptionsMisfit | undefined;
  create(config: {
    readonly options: Options;
    readonly bugs: ReadonlySet<string>;
    readonly nodes: readonly NodeId[];
    /**
     * The nodes of `nodes` that are spares, not members when the run starts (they may join
     * later); absent when there are none. Only a protocol with `membership` gets spares.
     */
    readonly spares?: readonly NodeId[];
    /** Each node's zone and rack, in node order; absent when the scenario has no topology. */
    readonly localities?: readonly Locality[];
  }): AnyProtocol;
}

/** One membership change of a schedule, for `checkMembership`. */
export interface MembershipCheck {
  readonly action: 'join' | 'leave';
  readonly node: NodeId;
  /** The members after the change, in node order. */
  readonly members: readonly NodeId[];
}

/** A definition of any options type, as registries and the parser hold them. */
// biome-ignore lint/suspicious/noExplicitAny: a registry holds protocols of many option types
export type AnyProtocolDefinition = ProtocolDefinition<any>;
