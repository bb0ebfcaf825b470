/**
 * A scenario, resolved: everything a file said (and every default it left out), checked and
 * converted to the simulator's units, ready to build a world for any seed. Node names are
 * indices here, durations microseconds, ratios parts per million. It holds no protocol instance
 * or workload state, so one Scenario serves every seed of a sweep.
 */
import type { ProtocolDefinition } from '../core/protocol-definition.js';
import type { EngineLimits } from '../engine/engine.js';
import type { KvWorkloadSpec } from '../sim/workload.js';
import type { ClockSpec, DiskSpec, PhaseSpec, WorldConfig } from '../sim/world-config.js';

export type WorkloadType = 'kv' | 'none';

export interface Scenario {
  /** The file as the caller named it (used in messages and replay commands). */
  readonly file: string;
  readonly name: string;
  readonly description?: string;
  readonly lesson?: string;
  readonly protocol: ProtocolDefinition<any>;
  /** The protocol's options, parsed by its own schema (defaults applied). */
  readonly options: unknown;
  /** Bugs the scenario switches on, in file order, without repeats. */
  readonly bugs: readonly string[];
  /** Default seed, when the command line gives none. */
  readonly seed?: number;
  /** Default seed range, inclusive, when the command line gives none. */
  readonly seeds?: { readonly from: number; readonly to: number };
  readonly checkers: readonly string[];
  readonly workloadType: WorkloadType;
  /** A short stable hash of the file's text, so a replay can tell the scenario changed. */
  readonly contentHash: string;

  readonly nodes: number;
  readonly network: WorldConfig['network'];
  readonly disk: DiskSpec;
  readonly clocks: ClockSpec;
  /** The kv workload's parameters; undefined when the workload is `none`. */
  readonly workload: KvWorkloadSpec | undefined;
  readonly faults: WorldConfig['faults'];
  readonly phases: PhaseSpec;
  readonly limits: EngineLimits;
}
