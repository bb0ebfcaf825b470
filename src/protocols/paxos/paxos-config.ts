/**
 * A Paxos node's configuration, built once per protocol instance by `createPaxos` and passed to
 * every handler: the scenario's options in microseconds, the quorum size, each node's place in
 * the ballot order, and the named bugs (README.md) as booleans, so a step tests a field instead
 * of looking up a name. Left out: per-node options (every node runs the same configuration).
 */
import { assert } from '../../core/assert.js';
import type { NodeId } from '../../core/ids.js';
import type { Micros } from '../../core/time.js';
import { majority } from '../shared/quorum.js';
import { NODES_MAX } from './ballot.js';
import type { PAXOS_NAMED_BUGS } from './named-bugs.js';

export interface PaxosOptions {
  readonly roundTimeoutMs: number;
  readonly backoffMs: number;
  readonly attemptsMax: number;
  readonly timeoutMs: number;
  readonly registersMax: number;
  readonly walBytesMax: number;
}

/** A named bug's name, as named-bugs.ts declares it. */
type PaxosBug = (typeof PAXOS_NAMED_BUGS)[number]['name'];

/** The named bugs, each on or off; README.md says what each breaks and where it happened. */
interface PaxosBugSwitches {
  readonly acceptDoesNotRaisePromise: boolean;
  readonly readSkipsInProgress: boolean;
  readonly ignoreAcceptedValue: boolean;
  readonly replyBeforeDurable: boolean;
  readonly ballotReusedAfterRestart: boolean;
}

export interface PaxosConfig {
  /** How long a proposer waits for a quorum's answers before it tries a higher ballot. */
  readonly roundTimeoutUs: Micros;
  /** The first backoff's upper bound after a lost ballot; it doubles with each attempt. */
  readonly backoffUs: Micros;
  /** Ballots a proposer tries for one request before it gives up. */
  readonly attemptsMax: number;
  /** How long after a request arrived its proposer may still start a new ballot. */
  readonly timeoutUs: Micros;
  /** Keys a node keeps a register for; past it new keys are refused. */
  readonly registersMax: number;
  /** Bytes the WAL may grow to; a write that would pass it is not made. */
  readonly walBytesMax: number;
  /** Promises, or acceptances, that make a majority of the cluster. */
  readonly quorum: number;
  /** Every node, sorted: a node's position is its place among ballots of one round. */
  readonly nodes: readonly NodeId[];
  readonly bugs: PaxosBugSwitches;
}

export function createPaxosConfig(
  options: PaxosOptions,
  bugs: ReadonlySet<string>,
  nodes: readonly NodeId[],
): PaxosConfig {
  assert(nodes.length <= NODES_MAX, () => `paxos ballots order at most ${NODES_MAX} nodes`);
  const on = (name: PaxosBug) => bugs.has(name);
  return {
    roundTimeoutUs: options.roundTimeoutMs * 1000,
    backoffUs: options.backoffMs * 1000,
    attemptsMax: options.attemptsMax,
    timeoutUs: options.timeoutMs * 1000,
    registersMax: options.registersMax,
    walBytesMax: options.walBytesMax,
    quorum: majority(nodes.length),
    nodes: [...nodes].sort(),
    bugs: {
      acceptDoesNotRaisePromise: on('paxos.accept-does-not-raise-promise'),
      readSkipsInProgress: on('paxos.read-skips-in-progress'),
      ignoreAcceptedValue: on('paxos.ignore-accepted-value'),
      replyBeforeDurable: on('paxos.reply-before-durable'),
      ballotReusedAfterRestart: on('paxos.ballot-reused-after-restart'),
    },
  };
}
