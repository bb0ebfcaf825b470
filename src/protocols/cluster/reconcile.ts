/**
 * Reconciliation of a storage node with the map (HDFS's block report, answered by deleting
 * replicas the NameNode no longer lists): a node that returns after being declared dead, or
 * that a move left, is not trusted with what its disk holds. On adopting a map it deletes the
 * files of every group of a superseded epoch that nothing can read again, and it serves the
 * shard again only if a new placement names it, through a copy like any new member.
 *
 * A group's files `s<shard>e<epoch>.*` (and its copy marker) are obsolete when the shard's
 * current epoch E in the map
 * - does not name this node and the group is older than E: a copy into epoch E+1 comes only
 *   from the members of E (transfer.ts), so no one asks this node for it; or
 * - is more than one epoch newer: a copy only ever comes from the epoch just before.
 * The files of epoch E-1 stay on a member of E: they are what it sends a new member of E; and
 * under `sharding: range` so do those a split's right half was copied from, while it is at the
 * epoch of the split (range-split.ts).
 */
import type { NodeId } from '../../core/ids.js';
import type { ClusterEffect } from './messages.js';
import type { ShardMap } from './shard-map.js';
import { parseNamespace } from '../../core/configuration-id.js';
import { markerFile } from './transfer.js';

/** The namespaces among `onDisk` that `map` makes obsolete for `node`, sorted. */
export function obsoleteNamespaces(
  map: ShardMap,
  node: NodeId,
  onDisk: readonly string[],
): string[] {
  return onDisk
    .filter((ns) => {
      const p = parseNamespace(ns);
      if (p === undefined) return false;
      const c = map.shards[p.shard];
      const epoch = p.epoch;
      if (c === undefined || epoch >= c.epoch) return false;
      if (splitSource(map, node, p.shard, epoch)) return false;
      return !c.replicas.includes(node) || epoch < c.epoch - 1;
    })
    .sort();
}

/** Whether a split's right half on `node` still copies from group `s<shard>e<epoch>`. */
const splitSource = (map: ShardMap, node: NodeId, shard: number, epoch: number): boolean =>
  map.shards.some(
    (c) => c?.splitFrom === shard && c.epoch - 1 === epoch && c.replicas.includes(node),
  );

/**
 * Deletes group `ns`'s files and copy marker, then syncs the directory; returns how many.
 * `listing` is the disk's, read in this step (deletes are effects, applied after it).
 */
export function deleteGroupFiles(
  listing: readonly string[],
  ns: string,
  tag: () => number,
  fx: ClusterEffect[],
): number {
  const prefix = `${ns}.`;
  const marker = markerFile(ns);
  const files = listing.filter((f) => f.startsWith(prefix) || f === marker).sort();
  for (const file of files) fx.push({ type: 'diskDelete', file, tag: tag() });
  if (files.length > 0) fx.push({ type: 'diskSyncDir', tag: tag() });
  return files.length;
}
