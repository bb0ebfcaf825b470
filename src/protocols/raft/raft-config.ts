/**
 * A Raft node's configuration, built once per protocol instance by `createRaft` and passed to
 * every handler: the scenario's options with durations in microseconds, the quorum size, and the
 * named bugs (README.md) as booleans, so a step tests a field instead of looking up a name.
 *
 * It also carries one scratch array for the commit rule (commit.ts), which runs on every
 * AppendEntries reply: reusing it keeps that path free of allocation. The nodes of one instance
 * share it safely, because no step runs inside another. Left out: per-node options (every node
 * of a cluster runs the same configuration).
 */
import type { NodeId } from '../../core/ids.js';
import type { Micros } from '../../core/time.js';
import { DEFAULT_LSM_OPTIONS, type LsmOptions } from '../../storage/lsm/lsm-options.js';
import { majority } from '../shared/quorum.js';
import type { RAFT_NAMED_BUGS } from './named-bugs.js';
import type { StateMachineKind } from './session-kv.js';

export interface RaftOptions {
  readonly heartbeatMs: number;
  readonly electionTimeoutMs: number;
  readonly batchMax: number;
  readonly preVote: boolean;
  readonly checkQuorum: boolean;
  readonly snapshotEvery: number;
  /** Where the state machine lives: in memory (the default) or in the LSM engine. */
  readonly storage?: 'memory' | 'lsm';
  /** The engine's options under `storage: lsm` (the kv-store protocol's schema). */
  readonly lsm?: Omit<LsmOptions, 'mutations'>;
}

/** A named bug's name, as named-bugs.ts declares it. */
type RaftBug = (typeof RAFT_NAMED_BUGS)[number]['name'];

/** The named bugs, each on or off; README.md says what each breaks and where it happened. */
interface RaftBugSwitches {
  readonly commitPreviousTerm: boolean;
  readonly voteBeforePersist: boolean;
  readonly truncateOnStaleAppend: boolean;
  readonly commitPastVerified: boolean;
  readonly staleRead: boolean;
  readonly readBeforeNoop: boolean;
  readonly ackBeforeFsync: boolean;
  readonly voteIndexOnly: boolean;
  readonly readWithoutHeartbeat: boolean;
  readonly timerNotResetOnAppend: boolean;
  readonly appliedIndexApart: boolean;
}

export interface RaftConfig {
  readonly heartbeatUs: Micros;
  /** The minimum election timeout; a follower's timer runs for up to twice as long. */
  readonly electionTimeoutUs: Micros;
  /** Most entries in one AppendEntries. */
  readonly batchMax: number;
  /** Ask for PreVotes before bumping the term (thesis §9.6). */
  readonly preVote: boolean;
  /** Step down as leader without a majority's answers for an election timeout (§6.2). */
  readonly checkQuorum: boolean;
  /** Take a snapshot every this many applied entries. */
  readonly snapshotEvery: number;
  /** Votes, or durable copies of an entry, that make a majority of the cluster. */
  readonly quorum: number;
  /** The engine's options under `storage: lsm`; undefined keeps the state machine in memory. */
  readonly lsm: LsmOptions | undefined;
  readonly bugs: RaftBugSwitches;
  /** The state machine behind the log: the kv store, or a protocol's own (session-kv.ts). */
  readonly stateMachine: StateMachineKind;
  /** Scratch for the commit rule: one slot per node, overwritten on every use. */
  readonly ackScratch: number[];
}

export function createRaftConfig(
  options: RaftOptions,
  bugs: ReadonlySet<string>,
  nodes: readonly NodeId[],
  stateMachine: StateMachineKind,
): RaftConfig {
  const on = (name: RaftBug) => bugs.has(name);
  const mutations = new Set<never>();
  return {
    heartbeatUs: options.heartbeatMs * 1000,
    electionTimeoutUs: options.electionTimeoutMs * 1000,
    batchMax: options.batchMax,
    preVote: options.preVote,
    checkQuorum: options.checkQuorum,
    snapshotEvery: options.snapshotEvery,
    quorum: majority(nodes.length),
    lsm:
      options.storage === 'lsm'
        ? { ...(options.lsm ?? DEFAULT_LSM_OPTIONS), mutations }
        : undefined,
    bugs: {
      commitPreviousTerm: on('raft.commit-previous-term'),
      voteBeforePersist: on('raft.vote-before-persist'),
      truncateOnStaleAppend: on('raft.truncate-on-stale-append'),
      commitPastVerified: on('raft.commit-past-verified'),
      staleRead: on('raft.stale-read'),
      readBeforeNoop: on('raft.read-before-noop'),
      ackBeforeFsync: on('raft.ack-before-fsync'),
      voteIndexOnly: on('raft.vote-index-only'),
      readWithoutHeartbeat: on('raft.read-without-heartbeat'),
      timerNotResetOnAppend: on('raft.timer-not-reset-on-append'),
      appliedIndexApart: on('raft.applied-index-apart'),
    },
    stateMachine,
    ackScratch: new Array<number>(nodes.length).fill(0),
  };
}
