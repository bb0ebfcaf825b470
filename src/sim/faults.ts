/**
 * Fault actions, the vocabulary of nemeses: what can be done to a cluster, and each action's
 * inverse. A scheduled fault (`at: 2s, crash: n1, for: 1s`) is an action and, after `for`, its
 * inverse; a random nemesis draws actions at a rate during the faulty phase.
 */
import type { PartitionSpec } from '../net/partitions.js';
import type { Micros } from '../core/time.js';
import type { DelaySpec } from '../core/delay.js';

/**
 * A node index, a random node, whichever node last announced it became primary, or every node
 * at once (`all`: a coordinated power loss when crashing, as Jepsen's lazyfs nemesis does).
 */
export type NodeSelector = number | 'random' | 'primary' | 'all';

export type FaultAction =
  | { readonly kind: 'partition'; readonly spec: PartitionSpec }
  | { readonly kind: 'heal' }
  | { readonly kind: 'crash'; readonly node: NodeSelector }
  | { readonly kind: 'restart'; readonly node: NodeSelector }
  | { readonly kind: 'pause'; readonly node: NodeSelector }
  | { readonly kind: 'resume'; readonly node: NodeSelector }
  /** Holds every message to and from the node (or on one link) until `forUs` has passed. */
  | {
      readonly kind: 'clog';
      readonly node?: NodeSelector;
      readonly link?: readonly [number, number];
      readonly forUs: Micros;
    }
  /** Moves a node's clock by `bumpUs` (negative: backwards), or sets its drift. */
  | {
      readonly kind: 'skew';
      readonly node: NodeSelector;
      readonly bumpUs: Micros;
      readonly driftPpm?: number;
    }
  | { readonly kind: 'unskew'; readonly node: NodeSelector };

export interface ScheduledFault {
  readonly atUs: Micros;
  readonly action: FaultAction;
  /** When set, the inverse action follows after this long. */
  readonly forUs?: Micros;
}

export type NemesisKind = 'crash' | 'pause' | 'partition' | 'clog' | 'skew';

/** A random nemesis: during the faulty phase, one fault of this kind every `every` on average. */
export interface NemesisSpec {
  readonly kind: NemesisKind;
  readonly everyUs: DelaySpec;
  readonly forUs: DelaySpec;
  /** For partitions: the shapes to draw from. */
  readonly shapes?: readonly PartitionSpec['shape'][];
  readonly oneWay?: boolean;
  /** For crash and pause: which nodes may be hit; `all` hits every node together and ignores maxDown. */
  readonly target?: 'any' | 'primary' | 'all';
  /** For skew: the largest bump, either way. */
  readonly bumpUsMax?: Micros;
}
