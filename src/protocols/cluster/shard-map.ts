/**
 * The shard map, the manager's replicated state (TiKV's placement driver keeps the same in
 * etcd): per shard its configuration epoch and replica set. It lives in the manager's Raft
 * group as one key, `shardmap`, that only ever grows by `append`: each appended record is one
 * configuration change, and every replica folds the records in log order into the same map.
 *
 * A record names the epoch it supersedes (`s3@2^1=n4+n5+n7`: shard 3, epoch 2, replacing epoch
 * 1, replicas n4, n5, n7; under active-backup a standby follows a slash, `=n4+n5+n7+n8/n8`). The fold applies a record only when the shard is at exactly that
 * epoch, so a change proposed by a manager that had a stale view (a deposed leader, or one that
 * had not read the latest map) is ignored: fencing by epoch, decided by the log's order and
 * nothing else. The map's version counts the records applied, so a newer map has a higher one.
 */
import type { NodeId } from '../../core/ids.js';

/** The Raft key the shard map is appended to. */
export const SHARD_MAP_KEY = 'shardmap';

interface ShardConfig {
  readonly shard: number;
  /** The configuration epoch: 1 for the initial placement, one more for each change. */
  readonly epoch: number;
  /** Sorted: every member, voters and standbys. */
  readonly replicas: readonly NodeId[];
  /** Sorted: the members that are hot standbys (active-backup, standby.ts); usually none. */
  readonly standby?: readonly NodeId[];
  /**
   * Sorted: members that were the epoch before's standbys, whose files there may lag; they
   * catch up from a voter's before they run this epoch (standby.ts). Derived by the fold.
   */
  readonly laggards?: readonly NodeId[];
}

export interface ShardMap {
  /** Configuration changes applied; a newer map has a higher version. */
  readonly version: number;
  /** By shard number; a shard not yet placed is absent. */
  readonly shards: readonly (ShardConfig | undefined)[];
}

export interface ShardChange {
  readonly shard: number;
  readonly epoch: number;
  /** The epoch this change replaces: 0 for a shard's first placement. */
  readonly supersedes: number;
  readonly replicas: readonly NodeId[];
  /** Members of `replicas` that are hot standbys; none when absent. */
  readonly standby?: readonly NodeId[];
}

const EMPTY_SHARD_MAP: ShardMap = { version: 0, shards: [] };

const RECORD = /^s(\d+)@(\d+)\^(\d+)=([A-Za-z0-9+-]+)(?:\/([A-Za-z0-9+-]+))?$/;

/** One change as a record of the appended log (no spaces: the kv store joins appends by one). */
function changeRecord(c: ShardChange): string {
  const standby =
    c.standby === undefined || c.standby.length === 0 ? '' : `/${[...c.standby].sort().join('+')}`;
  return `s${c.shard}@${c.epoch}^${c.supersedes}=${[...c.replicas].sort().join('+')}${standby}`;
}

/** Several changes, as one `append` value. */
export const changeRecords = (cs: readonly ShardChange[]): string => cs.map(changeRecord).join(' ');

/** The map the appended log folds to (null: nothing appended yet). */
export function foldShardMap(log: string | null): ShardMap {
  if (log === null || log === '') return EMPTY_SHARD_MAP;
  const shards: (ShardConfig | undefined)[] = [];
  let version = 0;
  for (const record of log.split(' ')) {
    const m = RECORD.exec(record);
    if (m === null) continue;
    const shard = Number(m[1]);
    const epoch = Number(m[2]);
    const current = shards[shard]?.epoch ?? 0;
    if (Number(m[3]) !== current || epoch <= current) continue; // fenced: a stale change
    const replicas = (m[4] as string).split('+').sort();
    const laggards = (shards[shard]?.standby ?? []).filter((n) => replicas.includes(n));
    shards[shard] = {
      shard,
      epoch,
      replicas,
      ...(m[5] === undefined ? {} : { standby: m[5].split('+').sort() }),
      ...(laggards.length === 0 ? {} : { laggards }),
    };
    version++;
  }
  return { version, shards };
}

/** Whether every one of `count` shards has a configuration. */
export function placesAll(map: ShardMap, count: number): boolean {
  for (let s = 0; s < count; s++) if (map.shards[s] === undefined) return false;
  return true;
}
