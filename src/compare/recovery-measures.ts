/**
 * What a cluster's recovery strategy costs, for one seed, so state transfer, checkpoint restore
 * and an active backup can be read side by side (the recovery-strategies lesson): from the
 * cluster protocol's measures, how many shards were re-replicated and the time each took to be
 * fully replicated again (declared dead to the new epoch running on every live voter), the
 * bytes state transfers moved over the network to new voters (a survivor's copy of its own
 * files moves none) and, apart, to fresh hot standbys in the background,
 * and how long each moving shard had no primary able to serve. A protocol without these
 * measures has none of them.
 */
import type { Metric } from '../core/metrics.js';
import type { RunResult } from '../run/run-result.js';
import type { Spread } from './transaction-measures.js';

export interface RecoveryMeasures {
  readonly fullReplication: Spread;
  /** Bytes moved by every state transfer of the seed, and how many transfers. */
  readonly bytesMoved: number;
  readonly transfers: number;
  /** Bytes moved to fill fresh hot standbys (active-backup), which no write waits for. */
  readonly standbyBytesMoved: number;
  readonly unavailable?: Spread;
}

const spread = (m: Metric): Spread => ({ count: m.count, p50Us: m.p50Us, maxUs: m.maxUs });

/** The seed's recovery measures, when it re-replicated a shard. */
export function recoveryMeasures(result: RunResult): { recovery?: RecoveryMeasures } {
  const full = result.metrics.shardRecovery;
  if (full === undefined) return {};
  const bytes = result.metrics.bytesMoved;
  const standby = result.metrics.standbyBytesMoved;
  const unavailable = result.metrics.unavailable;
  return {
    recovery: {
      fullReplication: spread(full),
      bytesMoved: bytes === undefined ? 0 : bytes.meanUs * bytes.count,
      transfers: bytes?.count ?? 0,
      standbyBytesMoved: standby === undefined ? 0 : standby.meanUs * standby.count,
      ...(unavailable !== undefined ? { unavailable: spread(unavailable) } : {}),
    },
  };
}

/**
 * Several seeds' measures as one, when every seed has them: counts and bytes summed, the
 * median of the seeds' p50s, the largest max.
 */
export function sumRecoveryMeasures(
  all: readonly (RecoveryMeasures | undefined)[],
): RecoveryMeasures | undefined {
  if (all.length === 0 || all.some((m) => m === undefined)) return undefined;
  const ms = all as readonly RecoveryMeasures[];
  const unavailable = combine(ms.flatMap((m) => (m.unavailable ? [m.unavailable] : [])));
  return {
    fullReplication: combine(ms.map((m) => m.fullReplication)) as Spread,
    bytesMoved: ms.reduce((n, m) => n + m.bytesMoved, 0),
    transfers: ms.reduce((n, m) => n + m.transfers, 0),
    standbyBytesMoved: ms.reduce((n, m) => n + m.standbyBytesMoved, 0),
    ...(unavailable !== undefined ? { unavailable } : {}),
  };
}

function combine(all: readonly Spread[]): Spread | undefined {
  if (all.length === 0) return undefined;
  const p50s = all.map((s) => s.p50Us).sort((a, b) => a - b);
  return {
    count: all.reduce((n, s) => n + s.count, 0),
    p50Us: p50s[Math.floor(p50s.length / 2)] as number,
    maxUs: Math.max(...all.map((s) => s.maxUs)),
  };
}
