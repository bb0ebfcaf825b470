/**
 * A Multi-Paxos node's configuration, built once per protocol instance by `createMultiPaxos` and
 * passed to every handler: the scenario's options in microseconds, the quorum size, each node's
 * place in the ballot order, and the named bugs (README.md) as booleans, so a step tests a field
 * instead of looking up a name. Left out: per-node options (every node runs the same one).
 */
import { assert } from '../../core/assert.js';
import type { NodeId } from '../../core/ids.js';
import type { Micros } from '../../core/time.js';
import { NODES_MAX } from '../paxos/index.js';
import { majority } from '../shared/quorum.js';
import type { MULTI_PAXOS_NAMED_BUGS } from './named-bugs.js';

type ReadMode = 'lease' | 'quorum';

export interface MultiPaxosOptions {
  readonly heartbeatMs: number;
  readonly electionTimeoutMs: number;
  readonly leaseMs: number;
  readonly reads: ReadMode;
  readonly batchMax: number;
  readonly snapshotEvery: number;
}

/** A named bug's name, as named-bugs.ts declares it. */
type MultiPaxosBug = (typeof MULTI_PAXOS_NAMED_BUGS)[number]['name'];

/** The named bugs, each on or off; README.md says what each breaks and where it happened. */
interface MultiPaxosBugSwitches {
  readonly ignorePromisedValues: boolean;
  readonly replyBeforeDurable: boolean;
}

/**
 * The share of a lease the leader trusts: it stops serving lease reads a tenth of the lease
 * before the followers' promise not to elect anyone else runs out, which covers clocks whose
 * rates differ by up to 10% (a quartz clock drifts by 0.01%; a paused VM's clock by any amount).
 */
export const LEASE_TRUSTED_RATIO = 0.9;

export interface MultiPaxosConfig {
  readonly heartbeatUs: Micros;
  /** The minimum election timeout; a follower's timer runs for up to twice as long. */
  readonly electionTimeoutUs: Micros;
  /** How long an acceptor that heard from a leader refuses to promise anyone else. */
  readonly leaseUs: Micros;
  readonly reads: ReadMode;
  /** Most chosen slots in one Learn. */
  readonly batchMax: number;
  /** Take a snapshot every this many applied slots. */
  readonly snapshotEvery: number;
  /** Promises, or acceptances, that make a majority of the cluster. */
  readonly quorum: number;
  /** Every node, sorted: a node's position is its place among ballots of one round. */
  readonly nodes: readonly NodeId[];
  readonly bugs: MultiPaxosBugSwitches;
}

export function createMultiPaxosConfig(
  options: MultiPaxosOptions,
  bugs: ReadonlySet<string>,
  nodes: readonly NodeId[],
): MultiPaxosConfig {
  assert(nodes.length <= NODES_MAX, () => `multi-paxos ballots order at most ${NODES_MAX} nodes`);
  const on = (name: MultiPaxosBug) => bugs.has(name);
  return {
    heartbeatUs: options.heartbeatMs * 1000,
    electionTimeoutUs: options.electionTimeoutMs * 1000,
    leaseUs: options.leaseMs * 1000,
    reads: options.reads,
    batchMax: options.batchMax,
    snapshotEvery: options.snapshotEvery,
    quorum: majority(nodes.length),
    nodes: [...nodes].sort(),
    bugs: {
      ignorePromisedValues: on('multi-paxos.ignore-promised-values'),
      replyBeforeDurable: on('multi-paxos.reply-before-durable'),
    },
  };
}
