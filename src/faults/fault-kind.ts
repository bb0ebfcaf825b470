/**
 * What a fault kind declares, beside applying its actions (sim/faults.ts): how a scenario writes
 * it (the schedule-entry fields it owns, its random-nemesis form), how those are resolved against
 * the cluster (node names, roles), and how a fired fault's record becomes a schedule entry again
 * for shrinking. One module per kind (crash.ts, partition.ts…) and a line in faults/registry.ts
 * is all a new kind needs; the scenario schema, `faultline list` and the shrinker read this.
 */
import type { z } from 'zod';
import type { DelaySpec } from '../core/delay.js';
import type { RoleDefinition } from '../core/protocol-definition.js';
import type { Micros } from '../core/time.js';
import type { Topology } from '../net/topology.js';
import type { PathSegment, ScenarioProblem } from '../options/problem.js';
import type { FaultKindRuntime, FaultRecord, NemesisSpec, ScheduledFault } from '../sim/faults.js';

/** Where a kind resolves a piece of the document: the cluster, the protocol's roles, problems. */
export interface ResolveContext {
  readonly nodes: number;
  readonly roles: readonly RoleDefinition[];
  /**
   * The run's clients, c1..cK, and whether they are placed beside nodes (then cuts name them);
   * undefined when the workload could not be read (its problem is reported there).
   */
  readonly clients?: { readonly count: number; readonly placed: boolean };
  /** The zones and racks of the cluster, when the scenario names them (faults may aim at one). */
  readonly topology?: Topology;
  /** The entry's or nemesis's path in the document. */
  readonly path: readonly PathSegment[];
  readonly problems: ScenarioProblem[];
}

/** A schedule entry as the schema parsed it: `at`, an optional `for`, and the kinds' fields. */
export type EntryDocument = { readonly at: Micros; readonly for?: Micros } & Readonly<
  Record<string, unknown>
>;

/** A random nemesis as the schema parsed it. */
export type NemesisDocument = {
  readonly kind: string;
  readonly every: DelaySpec;
  readonly for: DelaySpec;
  readonly target: string;
} & Readonly<Record<string, unknown>>;

/** One action a schedule entry can name (`crash: n2`). */
export interface EntryAction {
  readonly schema: z.ZodType;
  /** `optional`: `for` undoes it; `required`: it needs a length; `none`: it has no inverse. */
  readonly for: 'optional' | 'required' | 'none';
  /** What a required `for` means, for the message when it is missing. */
  readonly forMeans?: string;
}

/** A problem with a schedule entry, at one of its fields or at the entry itself. */
interface EntryIssue {
  readonly field?: string;
  readonly message: string;
}

/** The fields of a schedule entry besides `at` and `for`: `{ crash: 'n2' }`. */
type EntryFields = Readonly<Record<string, unknown>>;

/** A fired fault turned back into a schedule entry; fuzz/materialize.ts pairs and orders them. */
export type Materialized =
  /** A fault that holds until an inverse closes `holds` (a crash until its restart). */
  | { readonly holds: string; readonly entry: EntryFields; readonly text: string }
  /** An inverse: it closes what it names, or stands as an entry (if it has one) when nothing is open. */
  | { readonly closes: string; readonly entry?: EntryFields; readonly text?: string }
  /** A fault that carries its own length (a clog). */
  | { readonly entry: EntryFields; readonly text: string; readonly forUs?: Micros };

/** A schedule entry being rebuilt: its time, fields, one line for people, and its length. */
export interface Draft {
  readonly atUs: Micros;
  readonly entry: EntryFields;
  readonly text: string;
  forUs?: Micros;
}

export interface FaultKind extends FaultKindRuntime {
  readonly summary: string;
  readonly entry: {
    /** The actions it owns in a schedule entry, by field name. */
    readonly actions: Readonly<Record<string, EntryAction>>;
    /** Fields it adds beside its actions, valid only with them (partition's `oneWay`). */
    readonly modifiers?: Readonly<Record<string, z.ZodType>>;
    /** Checks across an entry's fields that name one of its actions. */
    refine?(entry: Readonly<Record<string, unknown>>, action: string): readonly EntryIssue[];
    resolve(entry: EntryDocument, action: string, ctx: ResolveContext): ScheduledFault | undefined;
  };
  readonly nemesis?: {
    readonly summary: string;
    /** Its own fields beside `kind`, `every`, `for` and `target`. */
    readonly fields?: Readonly<Record<string, z.ZodType>>;
    resolve(doc: NemesisDocument, ctx: ResolveContext): NemesisSpec | undefined;
  };
  /** A fired fault's record back as a schedule entry; undefined for what is not a fault. */
  materialize(record: FaultRecord): Materialized | undefined;
  /** Merges drafts a person would write as one entry (every node crashed at once: crash all). */
  coalesce?(drafts: readonly Draft[], nodes: number): Draft[];
}
