/**
 * Everything a run needs, resolved: the scenario layer turns a file into this, tests and the
 * library API build it directly. All durations are microseconds, all ratios parts per million.
 */
import type { MetricsCollector } from '../core/metrics.js';
import type { AnyProtocol } from '../core/protocol.js';
import type { RoleDefinition } from '../core/protocol-definition.js';
import type { Micros } from '../core/time.js';
import type { DiskConfig } from '../disk/disk-config.js';
import type { DelaySpec } from '../core/delay.js';
import type { LinkConfig, ReplayConfig } from '../net/network.js';
import type { EngineLimits } from '../engine/engine.js';
import type { FaultKindRuntime, NemesisSpec, ScheduledFault } from './faults.js';
import type { Workload } from '../core/workload.js';
import type { TraceSink } from './trace-recorder.js';

export interface ClockSpec {
  /** Each node's offset is drawn uniformly from ±skewUsMax unless given per node. */
  readonly skewUsMax: Micros;
  readonly driftPpmMax: number;
  readonly perNode?: readonly {
    readonly node: number;
    readonly offsetUs: Micros;
    readonly driftPpm: number;
  }[];
}

export interface DiskSpec {
  readonly writeLatency: DelaySpec;
  readonly syncLatency: DelaySpec;
  readonly config: DiskConfig;
  /** How many nodes' disks may fault (the rest get no faults), e.g. a minority. */
  readonly faultyNodesMax: number;
}

export interface PhaseSpec {
  /** Workload and faults run for this long. */
  readonly faultyUs: Micros;
  /** Then faults are healed (network, crashed and paused nodes) and the workload goes on. */
  readonly healedUs: Micros;
  /** Then final operations (reads) must complete within this long. */
  readonly finalUs: Micros;
}

/**
 * The clients of a run (Jepsen's closed loops): how many, how long each waits for an outcome and
 * thinks between operations, how often it retries a definite failure, and what it invokes.
 */
export interface ClientsConfig {
  readonly count: number;
  readonly timeoutUs: Micros;
  readonly thinkUs: DelaySpec;
  /** How many times a client retries an operation that definitely failed (e.g. `not-primary`). */
  readonly retries: number;
  /** Operations per client at most (bounded like everything else). */
  readonly opsPerClientMax: number;
  /**
   * The node each client sits beside, by client index (`workload.placement`): partitions and
   * clogs then reach clients too, and clients fail over. Undefined: clients reach every node.
   */
  readonly placement?: readonly number[];
  readonly workload: Workload;
}

/**
 * What a run may hold, beyond the engine's own bounds on events, time and the queue: each of
 * these grows with the run and would otherwise take all the memory there is (a 600-minute faulty
 * phase passed 1.6 GB). A run that reaches one stops with a status that names it.
 */
export interface RunLimits extends EngineLimits {
  /** Stop with `history-ops-limit` rather than record more client operations than this. */
  readonly historyOpsMax?: number;
  /**
   * Stop with `history-bytes-limit` once the operations' results, as JSON text, pass this many
   * bytes: a read of a list that only grows returns all of it, so the history grows as the
   * square of the run.
   */
  readonly historyBytesMax?: number;
  /** Stop with `fault-records-limit` once the fault log holds this many records. */
  readonly faultRecordsMax?: number;
}

/**
 * Shipped scenarios record at most 2,959 operations, 5.4 MB of results and 324 fault records per
 * seed (measured over seeds 1-5 of each); these are 7, 12 and 150 times that. The history is
 * also what the checkers work through, and linearizability grows faster than the history does:
 * Raft under partitions took 9 s to check 20,000 operations and 46 s for 50,000, with its heap
 * growing alike, so the operations bound is the one kept tight.
 */
export const RUN_LIMIT_DEFAULTS = {
  historyOpsMax: 20_000,
  historyBytesMax: 64 * 1024 * 1024,
  faultRecordsMax: 50_000,
} as const;

/** How a run that reached one of the world's limits ended. */
export type LimitStatus = 'history-ops-limit' | 'history-bytes-limit' | 'fault-records-limit';

export interface WorldConfig {
  readonly seed: number;
  readonly nodes: number;
  /**
   * How many of the `nodes` (the last ones) are spares: not members and not started until a
   * `join` (sim/membership.ts). 0 when absent.
   */
  readonly spares?: number;
  readonly protocol: AnyProtocol;
  readonly network: {
    readonly defaults: LinkConfig;
    readonly links: readonly {
      readonly from: number;
      readonly to: number;
      readonly config: LinkConfig;
    }[];
    /** Replay of messages between nodes (`network.replay`); off when undefined. */
    readonly replay?: ReplayConfig;
  };
  readonly disk: DiskSpec;
  readonly clocks: ClockSpec;
  readonly clients: ClientsConfig | undefined;
  readonly faults: {
    readonly schedule: readonly ScheduledFault[];
    readonly nemeses: readonly NemesisSpec[];
    /** Random nemeses never hold more nodes down at once (a power loss of `all` excepted). */
    readonly maxDown: number;
    /** The fault kinds that apply the schedule's and the nemeses' actions. */
    readonly kinds: readonly FaultKindRuntime[];
  };
  readonly phases: PhaseSpec;
  readonly limits: RunLimits;
  readonly trace?: TraceSink;
  /** The roles the protocol's nodes announce (fault targets like `role:leader` name them). */
  readonly roles?: readonly RoleDefinition[];
  /** The protocol's measures for this run (a fresh collector). */
  readonly metrics?: MetricsCollector;
  /**
   * Marks under these prefixes are kept in order with crashes and restarts, for checkers that
   * asked (run-timeline.ts); undefined keeps nothing.
   */
  readonly markPrefixes?: readonly string[];
}
