/**
 * The quiet world host tests start from: every link a constant 1 ms with no loss, duplication or
 * reordering, disks with fixed write and fsync latencies and no faulty nodes, clocks exact, no
 * clients and no random faults. A test names what it varies (protocol, nodes, schedule,
 * phases, clients) and overrides the rest only where its point needs it, so what differs
 * between tests is what they are about.
 */
import type { AnyProtocol } from '../../src/core/protocol.js';
import { DEFAULT_DISK_CONFIG } from '../../src/disk/disk-config.js';
import { FAULT_KINDS } from '../../src/faults/registry.js';
import type { ScheduledFault } from '../../src/sim/faults.js';
import type { PhaseSpec, WorldConfig } from '../../src/sim/world-config.js';

export interface QuietWorld {
  readonly protocol: AnyProtocol;
  readonly nodes: number;
  readonly phases: PhaseSpec;
  readonly seed?: number;
  readonly schedule?: readonly ScheduledFault[];
  /** Anything else of the config, as given (network, disk, clients, limits, spares…). */
  readonly over?: Partial<WorldConfig>;
}

export function quietWorldConfig(w: QuietWorld): WorldConfig {
  return {
    seed: w.seed ?? 1,
    nodes: w.nodes,
    protocol: w.protocol,
    network: {
      defaults: {
        delay: { dist: 'constant', us: 1000 },
        lossPpm: 0,
        duplicatePpm: 0,
        reorderPpm: 0,
      },
      links: [],
    },
    disk: {
      writeLatency: { dist: 'constant', us: 10 },
      syncLatency: { dist: 'constant', us: 50 },
      config: DEFAULT_DISK_CONFIG,
      faultyNodesMax: 0,
    },
    clocks: { skewUsMax: 0, driftPpmMax: 0 },
    clients: undefined,
    faults: { schedule: w.schedule ?? [], nemeses: [], maxDown: 1, kinds: FAULT_KINDS },
    phases: w.phases,
    limits: { eventsMax: 100_000, virtualTimeUsMax: 10_000_000 },
    ...w.over,
  };
}
