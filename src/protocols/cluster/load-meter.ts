/**
 * What a storage node serves, per shard, for load-aware rebalancing (`balance: load`, TiKV's
 * hot-region scheduler and CockroachDB's load-based rebalancing, which weigh queries per
 * second): the client requests each shard's group took here as its primary (backups only
 * redirect, so the primary does the work), counted per heartbeat and summed over the last
 * `LOAD_WINDOW_MS`, reported in the heartbeat as requests per second. Without the option no
 * meter exists and the heartbeat carries nothing more.
 */
import type { ClusterConfig } from './cluster-config.js';

/** The window load is measured over: long enough to smooth a closed loop's bursts. */
export const LOAD_WINDOW_MS = 1000;

/** Requests served per shard, by heartbeat, the newest last. */
export interface LoadMeter {
  readonly buckets: Map<number, number>[];
  /** Heartbeats the window holds. */
  readonly span: number;
  readonly heartbeatUs: number;
}

export const createLoadMeter = (cfg: ClusterConfig): LoadMeter | undefined =>
  cfg.options.balance !== 'load'
    ? undefined
    : {
        buckets: [new Map()],
        span: Math.max(1, Math.round(LOAD_WINDOW_MS / cfg.options.heartbeatMs)),
        heartbeatUs: cfg.heartbeatUs,
      };

/** A request this node's primary of `shard` took. */
export function served(m: LoadMeter, shard: number): void {
  const now = m.buckets[m.buckets.length - 1] as Map<number, number>;
  now.set(shard, (now.get(shard) ?? 0) + 1);
}

/**
 * The heartbeat: each shard's requests per second over the window's full heartbeats (sorted by
 * shard, only those served), then a new heartbeat's count begins.
 */
export function loadReport(m: LoadMeter): [number, number][] {
  const done = m.buckets.slice(0, -1);
  const sums = new Map<number, number>();
  for (const b of done) for (const [shard, n] of b) sums.set(shard, (sums.get(shard) ?? 0) + n);
  const spanUs = Math.max(1, done.length) * m.heartbeatUs;
  const out = [...sums]
    .sort(([a], [b]) => a - b)
    .map(([shard, n]): [number, number] => [shard, Math.round((n * 1_000_000) / spanUs)]);
  m.buckets.push(new Map());
  while (m.buckets.length > m.span + 1) m.buckets.shift();
  return out;
}
