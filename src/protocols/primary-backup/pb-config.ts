/**
 * Primary/backup's configuration as its handlers read it: the scenario's options converted to
 * microseconds once, and each named bug (README) as a boolean, so no handler looks a string up
 * in a set on every step. Built once per run by `createPrimaryBackup` and passed to every
 * module function.
 *
 * Leaves out validation and defaults: the options schema in index.ts has applied them already.
 */
import type { NodeId } from '../../core/ids.js';
import type { Micros } from '../../core/time.js';
import { DEFAULT_LSM_OPTIONS, type LsmOptions } from '../../storage/lsm/lsm-options.js';
import type { PB_NAMED_BUGS } from './named-bugs.js';

export interface PbOptions {
  readonly mode: 'sync' | 'async';
  readonly heartbeatMs: number;
  readonly electionTimeoutMs: number;
  readonly batchMax: number;
  /** Where the kv store lives: in memory (the default) or in the LSM engine. */
  readonly storage?: 'memory' | 'lsm';
  /** The engine's options under `storage: lsm` (the kv-store protocol's schema). */
  readonly lsm?: Omit<LsmOptions, 'mutations'>;
  /** Applied entries between checkpoints (checkpoint.ts); 0, the default, takes none. */
  readonly checkpointEvery?: number;
  /**
   * Members that are hot standbys (learners): sent every entry, never counted for a commit or
   * an election, never candidates. Set by an embedding protocol (the cluster's active-backup
   * recovery), not by a scenario.
   */
  readonly standbys?: readonly NodeId[];
  /**
   * Not a scenario option (the schema has no such field): a protocol that runs successive
   * configurations of one group, each a primary/backup group of its own started from an older
   * one's files (cluster), sets it so that every epoch this configuration elects is above every
   * epoch an earlier one could have (Vertical Paxos: each configuration its own ballots).
   */
  readonly epochFloor?: number;
  /**
   * Not a scenario option either: an embedding protocol that watches its nodes' liveness
   * itself and wakes a group (`WAKE_TIMER`) when a member's node fails or returns (cluster)
   * sets it, so an idle group stops heartbeating (quiescence.ts). A group on its own has no
   * such host, and a quiet backup would never notice its primary die.
   */
  readonly quiesce?: boolean;
}

/** A named bug's name, as named-bugs.ts declares it. */
type PbBug = (typeof PB_NAMED_BUGS)[number]['name'];

/** The named bugs, one switch each (README, "Named bugs"). */
interface PbBugSwitches {
  /** The primary and the backups acknowledge before their fsync completes. */
  readonly ackBeforeFsync: boolean;
  /** A deposed primary tells its waiting clients their writes failed. */
  readonly failWhenDeposed: boolean;
  /** Backups accept `Replicate` from a primary of an older epoch. */
  readonly unfencedEpochs: boolean;
  /** After a failed fsync, retry it and trust the retry (fsyncgate). */
  readonly retryFsync: boolean;
  /** A sync primary commits on its own fsync, without waiting for the backups' acknowledgements. */
  readonly ackBeforeBackups: boolean;
}

export interface PbConfig {
  readonly mode: 'sync' | 'async';
  readonly heartbeatUs: Micros;
  /** The failure detector's base timeout; each arming adds a random part up to as much again. */
  readonly electionTimeoutUs: Micros;
  readonly batchMax: number;
  /** Voting nodes in the cluster, this one included: what a majority is counted against. */
  readonly clusterSize: number;
  /** Hot standbys: replicated to, not counted (PbOptions.standbys). */
  readonly standbys: ReadonlySet<NodeId>;
  /** The engine's options under `storage: lsm`; undefined keeps the kv store in memory. */
  readonly lsm: LsmOptions | undefined;
  /** Applied entries between checkpoints; 0 takes none. */
  readonly checkpointEvery: number;
  /** A candidacy stands for the epoch after this one at least (0 for a group on its own). */
  readonly epochFloor: number;
  /** An idle group goes quiet (quiescence.ts): set by an embedder that wakes it. */
  readonly quiesce: boolean;
  readonly bugs: PbBugSwitches;
}

export function createPbConfig(
  options: PbOptions,
  bugs: ReadonlySet<string>,
  nodes: readonly NodeId[],
): PbConfig {
  const on = (name: PbBug) => bugs.has(name);
  return {
    mode: options.mode,
    heartbeatUs: options.heartbeatMs * 1000,
    electionTimeoutUs: options.electionTimeoutMs * 1000,
    batchMax: options.batchMax,
    clusterSize: nodes.filter((n) => !(options.standbys ?? []).includes(n)).length,
    standbys: new Set(options.standbys ?? []),
    lsm:
      options.storage === 'lsm'
        ? { ...(options.lsm ?? DEFAULT_LSM_OPTIONS), mutations: new Set() }
        : undefined,
    checkpointEvery: options.checkpointEvery ?? 0,
    epochFloor: options.epochFloor ?? 0,
    quiesce: options.quiesce ?? false,
    bugs: {
      ackBeforeFsync: on('primary-backup.ack-before-fsync'),
      failWhenDeposed: on('primary-backup.fail-when-deposed'),
      unfencedEpochs: on('primary-backup.unfenced-epochs'),
      retryFsync: on('primary-backup.retry-fsync'),
      ackBeforeBackups: on('primary-backup.ack-before-backups'),
    },
  };
}
