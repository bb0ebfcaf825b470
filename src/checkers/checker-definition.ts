/**
 * What a checker declares: its name, what it can judge, and how it judges a finished run. The
 * run loop gives every checker a scenario names the same record of the run (what clients saw,
 * what the protocol's observer saw, whether a protocol error cut the run short) and collects
 * their results, so a new checker is one file and one line in checkers/registry.ts.
 */
import type { Restore } from './crash-consistency-restore.js';
import type { ClientSides } from '../core/client-sides.js';
import type { History, Operation } from '../core/history.js';
import type { ObservedProperty } from '../core/protocol.js';
import type { Replicas } from '../core/replica-set.js';
import type { RunTimeline } from '../core/run-timeline.js';
import type { Micros } from '../core/time.js';
import type { CheckResult } from './check-result.js';
import type { AnyModel } from './linearizability/types.js';

/** What a scenario offers a checker: enough to say whether the checker applies. */
export interface CheckScope {
  readonly workload: {
    readonly name: string;
    /** The workload has clients, so there is a history with final operations. */
    readonly hasClients: boolean;
    /** The workload names a sequential model its histories follow. */
    readonly hasModel: boolean;
  };
  readonly protocol: { readonly name: string };
}

/** Everything a checker may read about a finished run. */
export interface RunRecord {
  readonly history: History;
  /** The workload's sequential model, if it has one. */
  readonly model: AnyModel | undefined;
  /** How an operation of this workload prints: `append(k0, c1.53)`. */
  readonly formatOp: (op: Operation) => string;
  /** How many final operations the workload asked for, and how many never completed. */
  readonly finalOpsTotal: number;
  readonly finalOpsIncomplete: number;
  /** What the protocol's cluster observer checked, when it has one. */
  readonly observed: readonly ObservedProperty[];
  /** A protocol assertion or exception that ended the run early. */
  readonly error: string | undefined;
  /** Every replica's state at the end, when the protocol replicates a data type. */
  readonly replicas?: Replicas;
  /** When the faults were healed (the healed phase began). */
  readonly healedAtUs?: Micros;
  /** The protocol's options as the scenario set them (defaults applied): a sync policy, say. */
  readonly protocolOptions?: unknown;
  /** When a node crashed (power loss or process crash), in order. */
  readonly crashesUs?: readonly Micros[];
  /** Restores from backups, in order, with the point each vouches for (faults/backup.ts). */
  readonly restores?: readonly Restore[];
  /** Which nodes each client could reach, and when, when clients are placed (core/client-sides). */
  readonly clientSides?: ClientSides;
  /** The marks under the prefixes the scenario's checkers read, crashes and restarts. */
  readonly timeline?: RunTimeline;
  /** When the run ended, in virtual time. */
  readonly endUs?: Micros;
}

export interface CheckerDefinition {
  readonly name: string;
  readonly summary: string;
  /** What it can judge, in a few words for `faultline list` and errors: `kv histories`. */
  readonly appliesTo: string;
  /** Undefined when it can judge runs of this scope; otherwise why it cannot. */
  fits(scope: CheckScope): string | undefined;
  /** Mark name prefixes whose marks it reads from `RunRecord.timeline` (the world keeps them). */
  readonly readsMarks?: readonly string[];
  /** False: it runs only when a scenario names it, not among the defaults that fit. */
  readonly byDefault?: false;
  /** True when it judges a run that a protocol error cut short; other checkers skip such runs. */
  readonly judgesFailedRuns?: boolean;
  /** One result, or several (the invariants checker reports each observed property). */
  check(run: RunRecord): readonly CheckResult[];
  /** Lines a single run's report prints under this checker's finding (e.g. the lost writes). */
  details?(result: CheckResult): readonly string[];
}
