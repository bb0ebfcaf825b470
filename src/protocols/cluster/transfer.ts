/**
 * State transfer into a new configuration epoch, at the level of files: a shard group's state
 * is its primary/backup node's files (`meta`, `wal`), so a replica of the new epoch starts from
 * a copy of an old replica's files and primary/backup's own recovery does the rest (it reads
 * the log, elects the most up-to-date member, truncates uncommitted conflicting suffixes). No
 * seam in primary/backup is needed: the files are copied as opaque bytes, as a block copy in
 * HDFS or a snapshot file in CockroachDB is.
 *
 * A survivor (it ran, or has files of, an older epoch of the shard) stops its old group for
 * good, then copies that group's files under the new namespace. A new member asks the other
 * members every heartbeat (`TransferRequest`) until one sends the frozen files of the epoch it
 * copied from (`Transfer`). Either way the copy is written, fsynced file by file and with the
 * directory, and only then is the marker `copied-<ns>` written and made durable: a node that
 * crashes before the marker copies again after its restart.
 *
 * Why it is safe in `sync` mode: an old group acknowledges a write only once every member has
 * it durably; a survivor stops its group before copying, so it acknowledges nothing after its
 * copy, and the group cannot commit without it. So every acknowledged write is in every
 * survivor's copy. (In `async` mode it is not, as primary/backup alone is not.)
 */
import type { NodeId } from '../../core/ids.js';
import type { NodeContext } from '../../core/protocol.js';
import { subFile } from '../../components/sub-node/embedded-node.js';
import type { ClusterEffect, TransferFile } from './messages.js';

/** A copy being written: which files it is waiting for, and in which phase. */
export interface Copy {
  /** The namespace the files were copied from (a survivor's own older group). */
  readonly from: string | undefined;
  /** A former standby's own older group, caught up from a voter's (standby.ts). */
  readonly base?: string;
  phase: 'awaiting' | 'files' | 'marker';
  /** Completions still expected in this phase. */
  outstanding: number;
  /** Tags of this copy's disk effects. */
  readonly tags: Set<number>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const markerFile = (ns: string): string => `copied-${ns}`;

/**
 * The files of namespace `ns` on this disk, read whole, by inner name; undefined when one
 * cannot be read or there are none. A group that ran always has files (its first boot writes
 * them), so none means they were deleted: a donor that shipped an empty set for a group whose
 * files reconcile.ts had deleted started its asker's group empty, which then donated its empty
 * log onwards, and a shard lost every write (cluster-active-backup seed 4260).
 */
export function readGroupFiles(ctx: NodeContext, ns: string): TransferFile[] | undefined {
  const prefix = `${ns}.`;
  const out: TransferFile[] = [];
  for (const f of ctx.disk.list()) {
    if (!f.startsWith(prefix)) continue;
    const r = ctx.disk.read(f);
    if (!r.ok) return undefined;
    out.push({ name: f.slice(prefix.length), data: r.data });
  }
  return out.length === 0 ? undefined : out;
}

/** Writes `files` under `ns`, each fsynced, and the directory: the copy's first phase. */
export function writeCopy(
  ns: string,
  files: readonly TransferFile[],
  copy: Copy,
  tag: () => number,
  fx: ClusterEffect[],
): void {
  copy.phase = 'files';
  copy.outstanding = 0;
  for (const f of files) {
    const file = subFile(ns, f.name);
    fx.push({
      type: 'diskWrite',
      file,
      offset: 0,
      data: f.data,
      tag: track(copy, tag()),
      quiet: true,
    });
    fx.push({ type: 'diskSync', file, tag: track(copy, tag()) });
    copy.outstanding++;
  }
  fx.push({ type: 'diskSyncDir', tag: track(copy, tag()) });
  copy.outstanding++;
}

/** The copy is durable: write the marker naming where it came from, and make it durable. */
export function writeMarker(ns: string, copy: Copy, tag: () => number, fx: ClusterEffect[]): void {
  copy.phase = 'marker';
  const data = encoder.encode(copy.from ?? '');
  fx.push({
    type: 'diskWrite',
    file: markerFile(ns),
    offset: 0,
    data,
    tag: track(copy, tag()),
    quiet: true,
  });
  fx.push({ type: 'diskSync', file: markerFile(ns), tag: track(copy, tag()) });
  fx.push({ type: 'diskSyncDir', tag: track(copy, tag()) });
  copy.outstanding = 2;
}

/** Whether the copy into `ns` finished (its marker is on disk). */
export const copyDone = (ctx: NodeContext, ns: string): boolean =>
  ctx.disk.size(markerFile(ns)) !== undefined;

/** The namespace a finished copy came from (the marker's content), if any. */
export function copiedFrom(ctx: NodeContext, ns: string): string | undefined {
  if (ctx.disk.size(markerFile(ns)) === undefined) return undefined;
  const r = ctx.disk.read(markerFile(ns));
  if (!r.ok || r.data.length === 0) return undefined;
  return decoder.decode(r.data);
}

function track(copy: Copy, tag: number): number {
  copy.tags.add(tag);
  return tag;
}

/** The other members to ask for a copy, or to offer one to. */
export const otherMembers = (replicas: readonly NodeId[], self: NodeId): NodeId[] =>
  replicas.filter((r) => r !== self);
