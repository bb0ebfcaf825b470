/**
 * The dynamo protocol's configuration as its handlers read it: the scenario's options with
 * quorums turned into numbers and times into microseconds once, the ring built from the
 * cluster's nodes, and each named bug as a boolean, so no handler looks a string up on every
 * step. Leaves out validation and defaults: the options schema in index.ts applied them.
 */
import type { NodeId } from '../../core/ids.js';
import type { Micros } from '../../core/time.js';
import { majority } from '../shared/quorum.js';
import { crdtTypeNamed } from '../../components/crdt/crdt-types.js';
import { type DynamoCrdtType, joinStates } from './crdt-values.js';
import { Ring } from '../../components/placement/hash-ring.js';
import type { Resolution, Resolver, Versions } from './versions.js';

/** A quorum as a scenario writes it: a name, or a count of replicas. */
export type QuorumSpec = 'one' | 'quorum' | 'all' | number;

export interface DynamoOptions {
  readonly n: number;
  readonly w: QuorumSpec;
  readonly r: QuorumSpec;
  readonly vnodes: number;
  readonly resolution: Resolution;
  /** Under `resolution: crdt`, the type of every key's value. */
  readonly crdtType?: DynamoCrdtType;
  readonly sloppyQuorum: boolean;
  readonly readRepair: boolean;
  readonly fallbackAfterMs: number;
  readonly handoffIntervalMs: number;
  readonly requestTimeoutMs: number;
  readonly antiEntropyMs: number;
}

interface DynamoBugSwitches {
  /** Hints kept in memory only: a crash of the fallback drops them before they are delivered. */
  readonly volatileHints: boolean;
  /** Read repair overwrites a replica with the resolved read instead of merging into it. */
  readonly repairOverwrites: boolean;
  /** Research #39: versions made obsolete by a vector-clock compare that skips missing entries. */
  readonly compareIgnoresMissing: boolean;
  /** Research #38: LWW stamped by the coordinator's wall clock, though the scenario says HLC. */
  readonly wallClockLww: boolean;
  /** Research #26: tombstones purged after a grace period, whoever still lacks the delete. */
  readonly gcBeforeAntiEntropy: boolean;
}

export interface DynamoConfig {
  readonly n: number;
  readonly w: number;
  readonly r: number;
  readonly ring: Ring;
  readonly resolver: Resolver;
  readonly sloppyQuorum: boolean;
  readonly readRepair: boolean;
  readonly fallbackAfterUs: Micros;
  readonly handoffIntervalUs: Micros;
  readonly requestTimeoutUs: Micros;
  /** 0: no anti-entropy. */
  readonly antiEntropyUs: Micros;
  readonly bugs: DynamoBugSwitches;
}

/** A quorum name or count as a number of replicas out of `n`. */
export function quorumSize(q: QuorumSpec, n: number): number {
  if (q === 'one') return 1;
  if (q === 'quorum') return majority(n);
  if (q === 'all') return n;
  return q;
}

/** The CRDT type of every key's value, under `resolution: crdt` (the schema requires one). */
function crdtOf(options: DynamoOptions) {
  if (options.resolution !== 'crdt') return {};
  const crdt = crdtTypeNamed(options.crdtType ?? 'pn-counter');
  return crdt === undefined ? {} : { crdt, joinStates: (all: Versions) => joinStates(crdt, all) };
}

export function createDynamoConfig(
  options: DynamoOptions,
  bugs: ReadonlySet<string>,
  nodes: readonly NodeId[],
): DynamoConfig {
  const compareIgnoresMissing = bugs.has('dynamo.compare-ignores-missing');
  return {
    n: options.n,
    w: quorumSize(options.w, options.n),
    r: quorumSize(options.r, options.n),
    ring: Ring.of(nodes, options.vnodes),
    resolver: {
      resolution: options.resolution,
      compareBug: compareIgnoresMissing
        ? new Set(['vector-clock.ignore-missing-entries'])
        : undefined,
      ...crdtOf(options),
    },
    sloppyQuorum: options.sloppyQuorum,
    readRepair: options.readRepair,
    fallbackAfterUs: options.fallbackAfterMs * 1000,
    handoffIntervalUs: options.handoffIntervalMs * 1000,
    requestTimeoutUs: options.requestTimeoutMs * 1000,
    antiEntropyUs: options.antiEntropyMs * 1000,
    bugs: {
      volatileHints: bugs.has('dynamo.volatile-hints'),
      repairOverwrites: bugs.has('dynamo.stale-read-repair'),
      compareIgnoresMissing,
      wallClockLww: bugs.has('dynamo.lww-wall-clock'),
      gcBeforeAntiEntropy: bugs.has('dynamo.tombstone-gc-before-anti-entropy'),
    },
  };
}
