/**
 * A lock-service node's configuration, built once per protocol instance and passed to every
 * handler: the scenario's options in microseconds, who plays which part, and the named bugs
 * (README.md) as booleans. The first node (sorted) is the lock server, the second the protected
 * store, and every other node a lock client: the process that takes locks and writes under them.
 *
 * With `server: raft` the lock server is a Raft group of `servers` replicas: the first node and
 * the last `servers - 1` (n1, n6 and n7 of seven), so the store stays n2 and the lock clients
 * n3 and on, where the lock workload sends its operations.
 */
import type { NodeId } from '../../core/ids.js';
import { LOCK_CLIENTS_FROM, LOCK_SERVER_INDEX, LOCK_STORE_INDEX } from '../../core/lock-ops.js';
import type { Micros } from '../../core/time.js';
import type { RaftOptions } from '../raft/index.js';
import type { LOCK_NAMED_BUGS } from './named-bugs.js';

export interface LockServiceOptions {
  readonly fencing: boolean;
  readonly ttlMaxMs: number;
  /** One lock server (`single`, the default) or a Raft group of `servers` replicas. */
  readonly server?: 'single' | 'raft';
  readonly servers?: number;
}

/**
 * Raft's options for the lock group: the raft protocol's defaults, with a snapshot every 64
 * applied commands so that scenarios of a few seconds exercise compaction and InstallSnapshot.
 */
export const LOCK_RAFT_OPTIONS: RaftOptions = {
  heartbeatMs: 20,
  electionTimeoutMs: 150,
  batchMax: 64,
  preVote: true,
  checkQuorum: true,
  snapshotEvery: 64,
};

type LockBug = (typeof LOCK_NAMED_BUGS)[number]['name'];

export interface LockConfig {
  /** The store refuses a write whose token is below the highest it has taken for that key. */
  readonly fencing: boolean;
  /** The longest lease the server grants, and how long it grants nothing after a restart. */
  readonly ttlMaxUs: Micros;
  /** The lock server (`single`), or the replica a lock client asks first (`raft`). */
  readonly server: NodeId;
  /** `server: raft`: the Raft group's replicas; undefined for a single server. */
  readonly replicas: readonly NodeId[] | undefined;
  readonly store: NodeId;
  readonly clients: readonly NodeId[];
  readonly bugs: {
    /** The store takes every write, whatever its token (catalogue B21). */
    readonly noFencingCheck: boolean;
    /** The server keeps its token counter in memory only: a restart reissues tokens. */
    readonly volatileFencingToken: boolean;
    /** `server: raft`: a follower grants from its own applied state, outside the log. */
    readonly grantFromFollower: boolean;
  };
}

export type LockRole = 'server' | 'replica' | 'store' | 'client';

export function createLockConfig(
  options: LockServiceOptions,
  bugs: ReadonlySet<string>,
  nodes: readonly NodeId[],
): LockConfig {
  const sorted = [...nodes].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
  const on = (name: LockBug) => bugs.has(name);
  const server = sorted[LOCK_SERVER_INDEX] as NodeId;
  const extra = options.server === 'raft' ? (options.servers ?? 3) - 1 : 0;
  const clientsEnd = sorted.length - extra;
  return {
    fencing: options.fencing,
    ttlMaxUs: options.ttlMaxMs * 1000,
    server,
    replicas: options.server === 'raft' ? [server, ...sorted.slice(clientsEnd)] : undefined,
    store: sorted[LOCK_STORE_INDEX] as NodeId,
    clients: sorted.slice(LOCK_CLIENTS_FROM, clientsEnd),
    bugs: {
      noFencingCheck: on('lock-service.no-fencing-check'),
      volatileFencingToken: on('lock-service.volatile-fencing-token'),
      grantFromFollower: on('lock-service.grant-from-follower'),
    },
  };
}

export function roleOf(cfg: LockConfig, node: NodeId): LockRole {
  if (cfg.replicas?.includes(node) === true) return 'replica';
  if (node === cfg.server) return 'server';
  return node === cfg.store ? 'store' : 'client';
}
