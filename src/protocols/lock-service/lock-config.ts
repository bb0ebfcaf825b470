/**
 * A lock-service node's configuration, built once per protocol instance and passed to every
 * handler: the scenario's options in microseconds, who plays which part, and the named bugs
 * (README.md) as booleans. The first node (sorted) is the lock server, the second the protected
 * store, and every other node a lock client: the process that takes locks and writes under them.
 */
import type { NodeId } from '../../core/ids.js';
import { LOCK_CLIENTS_FROM, LOCK_SERVER_INDEX, LOCK_STORE_INDEX } from '../../core/lock-ops.js';
import type { Micros } from '../../core/time.js';
import type { LOCK_NAMED_BUGS } from './named-bugs.js';

export interface LockServiceOptions {
  readonly fencing: boolean;
  readonly ttlMaxMs: number;
}

type LockBug = (typeof LOCK_NAMED_BUGS)[number]['name'];

export interface LockConfig {
  /** The store refuses a write whose token is below the highest it has taken for that key. */
  readonly fencing: boolean;
  /** The longest lease the server grants, and how long it grants nothing after a restart. */
  readonly ttlMaxUs: Micros;
  readonly server: NodeId;
  readonly store: NodeId;
  readonly clients: readonly NodeId[];
  readonly bugs: {
    /** The store takes every write, whatever its token (catalogue B21). */
    readonly noFencingCheck: boolean;
    /** The server keeps its token counter in memory only: a restart reissues tokens. */
    readonly volatileFencingToken: boolean;
  };
}

export type LockRole = 'server' | 'store' | 'client';

export function createLockConfig(
  options: LockServiceOptions,
  bugs: ReadonlySet<string>,
  nodes: readonly NodeId[],
): LockConfig {
  const sorted = [...nodes].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
  const on = (name: LockBug) => bugs.has(name);
  return {
    fencing: options.fencing,
    ttlMaxUs: options.ttlMaxMs * 1000,
    server: sorted[LOCK_SERVER_INDEX] as NodeId,
    store: sorted[LOCK_STORE_INDEX] as NodeId,
    clients: sorted.slice(LOCK_CLIENTS_FROM),
    bugs: {
      noFencingCheck: on('lock-service.no-fencing-check'),
      volatileFencingToken: on('lock-service.volatile-fencing-token'),
    },
  };
}

export function roleOf(cfg: LockConfig, node: NodeId): LockRole {
  if (node === cfg.server) return 'server';
  return node === cfg.store ? 'store' : 'client';
}
