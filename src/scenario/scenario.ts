/**
 * A scenario, resolved: everything a file said (and every default it left out), checked and
 * converted to the simulator's units, ready to build a world for any seed. Node names are
 * indices here, durations microseconds, ratios parts per million. It holds no protocol instance
 * or workload state, so one Scenario serves every seed of a sweep.
 */
import type { CheckerDefinition } from '../checkers/checker-definition.js';
import type { AnyProtocolDefinition } from '../core/protocol-definition.js';
import type {
  ClientsConfig,
  ClockSpec,
  DiskSpec,
  PhaseSpec,
  RunLimits,
  WorldConfig,
} from '../sim/world-config.js';
import type { Topology } from '../net/topology.js';
import type { AnyWorkloadDefinition } from '../workloads/workload-definition.js';
import type { Registry } from './registry.js';

/** How the clients behave; the operations come from the workload. */
export type ClientSpec = Omit<ClientsConfig, 'workload'>;

/** The workload a scenario runs, and its own options (defaults applied). */
export interface ResolvedWorkload {
  readonly definition: AnyWorkloadDefinition;
  readonly options: unknown;
}

export interface Scenario {
  /** The file as the caller named it (used in messages and replay commands). */
  readonly file: string;
  readonly name: string;
  readonly description?: string;
  readonly lesson?: string;
  readonly protocol: AnyProtocolDefinition;
  /** The protocol's options, parsed by its own schema (defaults applied). */
  readonly options: unknown;
  /** Bugs the scenario switches on, in file order, without repeats. */
  readonly bugs: readonly string[];
  /** Default seed, when the command line gives none. */
  readonly seed?: number;
  /** Default seed range, inclusive, when the command line gives none. */
  readonly seeds?: { readonly from: number; readonly to: number };
  /** The checkers to run, in report order. */
  readonly checkers: readonly CheckerDefinition[];
  /**
   * `--option KEY=VALUE` flags this run set over the file's `options:` (already applied to
   * `options`), as written, so replay commands and result.json repeat them.
   */
  readonly optionOverrides?: readonly string[];
  /** A short stable hash of the file's text, so a replay can tell the scenario changed. */
  readonly contentHash: string;
  /** What the scenario could name: where its protocol, workload, checkers and faults came from. */
  readonly registry: Registry;

  /** The initial members, n1..nN. */
  readonly nodes: number;
  /** Spare nodes after them (nN+1…), started only when a `join` names one; absent when none. */
  readonly spares?: number;
  /** The zones and racks nodes sit in, when the scenario names them. */
  readonly topology?: Topology;
  readonly network: WorldConfig['network'];
  readonly disk: DiskSpec;
  readonly clocks: ClockSpec;
  readonly workload: ResolvedWorkload;
  /** The clients' behaviour; undefined when the workload has none. */
  readonly clients: ClientSpec | undefined;
  readonly faults: WorldConfig['faults'];
  readonly phases: PhaseSpec;
  /** Every limit set (the defaults filled in). */
  readonly limits: Required<RunLimits>;
}
