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
import { type KeyRange, splitsRange } from './key-range.js';

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
  /** `sharding: range`: the keys it holds (key-range.ts); absent under hashing. */
  readonly range?: KeyRange;
  /**
   * `sharding: range`: the shard this one was split from, when this configuration is the
   * split's: its members start from copies of that shard's previous epoch (range-split.ts).
   */
  readonly splitFrom?: number;
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
  /** `sharding: range`: a first placement's range. */
  readonly range?: KeyRange;
  /** `sharding: range`: this change splits the shard at key `at`, the right half `right`. */
  readonly split?: { readonly at: string; readonly right: number };
}

const EMPTY_SHARD_MAP: ShardMap = { version: 0, shards: [] };

const RECORD = /^s(\d+)@(\d+)\^(\d+)=([A-Za-z0-9+-]+)(?:\/([A-Za-z0-9+-]+))?$/;

/**
 * Under `sharding: range`, two more kinds of record (keys URI-encoded, so no space or bracket
 * of a key ends up in one): a first placement with its range, `s0@1^0[,k6)=n4+n5+n7`, and a
 * split, `s0@3^2|k6|s5`: shard 0 at epoch 2 splits at k6, the left half `[start, k6)` keeps
 * shard 0 at epoch 3, the right half `[k6, end)` is shard 5, also at epoch 3 (its group elects
 * above every epoch the parent's could have used, configuration-epochs), both on the parent's
 * replicas. A split applies only when the parent is at exactly the epoch it names, the key lies
 * strictly inside its range, and the right half's id is the next unused one: a stale split, or
 * two splits planned from one map, is fenced like any stale change.
 */
const RANGED = /^s(\d+)@1\^0\[([^,\s]*),([^)\s]*)\)=([A-Za-z0-9+-]+)$/;
const SPLIT = /^s(\d+)@(\d+)\^(\d+)\|([^|\s]+)\|s(\d+)$/;

/** One change as a record of the appended log (no spaces: the kv store joins appends by one). */
function changeRecord(c: ShardChange): string {
  if (c.split !== undefined)
    return `s${c.shard}@${c.epoch}^${c.supersedes}|${encodeURIComponent(c.split.at)}|s${c.split.right}`;
  if (c.range !== undefined) {
    const end = c.range.end === undefined ? '' : encodeURIComponent(c.range.end);
    const range = `[${encodeURIComponent(c.range.start)},${end})`;
    return `s${c.shard}@1^0${range}=${[...c.replicas].sort().join('+')}`;
  }
  const standby =
    c.standby === undefined || c.standby.length === 0 ? '' : `/${[...c.standby].sort().join('+')}`;
  return `s${c.shard}@${c.epoch}^${c.supersedes}=${[...c.replicas].sort().join('+')}${standby}`;
}

/** Several changes, as one `append` value. */
export const changeRecords = (cs: readonly ShardChange[]): string => cs.map(changeRecord).join(' ');

/** A log and the map it folded to, which a longer log of the same start folds onwards from. */
export interface FoldedLog {
  readonly log: string | null;
  readonly map: ShardMap;
}

/**
 * The map the appended log folds to (null: nothing appended yet). Given an earlier fold whose
 * log this one extends (the log only grows), only the records after it are folded, onto a copy
 * of its map: the fold is a left fold, so the map is the same as folding from the start.
 */
export function foldShardMap(log: string | null, earlier?: FoldedLog): ShardMap {
  if (log === null || log === '') return EMPTY_SHARD_MAP;
  const from = extendsFold(log, earlier);
  const shards: (ShardConfig | undefined)[] = from === undefined ? [] : [...from.map.shards];
  let version = from?.map.version ?? 0;
  const rest = from === undefined ? log : log.slice((from.log as string).length + 1);
  for (const record of rest.split(' ')) {
    const m = RECORD.exec(record);
    if (m === null) {
      if (foldRangeRecord(shards, record)) version++;
      continue;
    }
    const shard = Number(m[1]);
    const epoch = Number(m[2]);
    const current = shards[shard]?.epoch ?? 0;
    if (Number(m[3]) !== current || epoch <= current) continue; // fenced: a stale change
    const replicas = (m[4] as string).split('+').sort();
    const laggards = (shards[shard]?.standby ?? []).filter((n) => replicas.includes(n));
    const range = shards[shard]?.range;
    shards[shard] = {
      shard,
      epoch,
      replicas,
      ...(m[5] === undefined ? {} : { standby: m[5].split('+').sort() }),
      ...(laggards.length === 0 ? {} : { laggards }),
      ...(range === undefined ? {} : { range }),
    };
    version++;
  }
  return { version, shards };
}

/** `earlier`, when `log` is its log plus more records. */
function extendsFold(log: string, earlier: FoldedLog | undefined): FoldedLog | undefined {
  const before = earlier?.log;
  if (before === null || before === undefined || before === '') return undefined;
  const extended = log.length > before.length && log[before.length] === ' ';
  return extended && log.startsWith(before) ? earlier : undefined;
}

/** A first placement with its range, or a split: whether it applied (not fenced). */
function foldRangeRecord(shards: (ShardConfig | undefined)[], record: string): boolean {
  const placed = RANGED.exec(record);
  if (placed !== null) {
    const shard = Number(placed[1]);
    if (shards[shard] !== undefined) return false; // fenced: placed already
    const end = placed[3] === '' ? {} : { end: decodeURIComponent(placed[3] as string) };
    const range = { start: decodeURIComponent(placed[2] as string), ...end };
    shards[shard] = { shard, epoch: 1, replicas: (placed[4] as string).split('+').sort(), range };
    return true;
  }
  const m = SPLIT.exec(record);
  return m !== null && foldSplit(shards, m);
}

function foldSplit(shards: (ShardConfig | undefined)[], m: RegExpExecArray): boolean {
  const left = Number(m[1]);
  const epoch = Number(m[2]);
  const right = Number(m[5]);
  const at = decodeURIComponent(m[4] as string);
  const parent = shards[left];
  if (parent?.range === undefined || parent.epoch !== Number(m[3])) return false;
  if (epoch !== parent.epoch + 1 || right !== shards.length) return false;
  if (!splitsRange(parent.range, at)) return false;
  const { replicas, range } = parent;
  shards[left] = { shard: left, epoch, replicas, range: { start: range.start, end: at } };
  const end = range.end === undefined ? {} : { end: range.end };
  const half = { start: at, ...end };
  shards[right] = { shard: right, epoch, replicas, range: half, splitFrom: left };
  return true;
}

/** Whether every one of `count` shards has a configuration. */
export function placesAll(map: ShardMap, count: number): boolean {
  for (let s = 0; s < count; s++) if (map.shards[s] === undefined) return false;
  return true;
}
