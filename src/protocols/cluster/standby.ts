/**
 * `active-backup` recovery: each shard keeps one hot standby beside its `replicasMax` voting
 * replicas, a member of the shard's primary/backup group that is sent every entry but never
 * waited for, never a candidate, never counted in a vote (primary/backup's `standbys`). When a
 * voter dies, the next epoch promotes the standby to voter. The surviving voters start from
 * their own files; the promoted standby (a laggard of the new epoch, as the fold records it)
 * first catches its own files up: it names the last entry they hold, and a surviving voter
 * sends only the entries after it (primary/backup's `walSuffix`, appended by `extendWal`), or
 * every file when its log does not hold that entry. A hot standby lags by a few entries, so
 * the shard is fully replicated again after a transfer of a few hundred bytes. A fresh
 * standby, placed by the same repair plan, is filled in the background by state transfer: it
 * holds up no commit while its copy arrives.
 *
 * Why the catch-up: a sync group commits only what every voter has durably, so a voter's
 * files hold every committed entry, but a standby's may not. Started from its own lagging
 * files, a promoted standby donated them to a later voter, or won an election with that
 * voter's vote, and acknowledged appends were lost (a chaos sweep found it: 3 of 200 seeds).
 * Caught up from a voter's files, every voter of every epoch holds every committed entry, the
 * argument state transfer rests on. A laggard never donates (its copy has no source of its
 * own), and a shard moves only while a live voter runs its current epoch.
 */
import type { NodeId } from '../../core/ids.js';
import type { NodeContext } from '../../core/protocol.js';
import {
  extendWal,
  type LogPosition,
  lastLogPosition,
  walSuffix,
} from '../primary-backup/index.js';
import type { ClusterConfig } from './cluster-config.js';
import type { ClusterEffect, TransferFile } from './messages.js';
import { type Copy, readGroupFiles } from './transfer.js';

/** Members each shard is placed with: its voters, plus a standby under active-backup. */
export const membersTarget = (cfg: ClusterConfig): number =>
  cfg.options.replicasMax + (cfg.options.recovery === 'active-backup' ? 1 : 0);

/**
 * A new epoch's members, split into voters and standby: live voters first, then live
 * standbys (promoted), then the repair's new picks, up to `replicasMax` voters; the rest stand
 * by. Without active-backup there are no standbys.
 */
export function splitMembers(
  cfg: ClusterConfig,
  voters: readonly NodeId[],
  standby: readonly NodeId[],
  picks: readonly NodeId[],
): { readonly replicas: NodeId[]; readonly standby: NodeId[] } {
  const ordered = [...voters, ...standby, ...picks];
  const replicas = [...ordered].sort();
  if (cfg.options.recovery !== 'active-backup') return { replicas, standby: [] };
  return { replicas, standby: ordered.slice(cfg.options.replicasMax).sort() };
}

/** The voting members of a configuration. */
export const votersOf = (c: {
  readonly replicas: readonly NodeId[];
  readonly standby?: readonly NodeId[];
}): NodeId[] => c.replicas.filter((n) => !(c.standby ?? []).includes(n));

/**
 * A former standby's catch-up (storage.ts): it asks the other members for the entries after
 * the last one its own frozen files hold. Only a survivor that copied its own files answers
 * (transfer.ts), so what it gets comes from a voter's complete log.
 */
export function catchUpFrom(ctx: NodeContext, copy: Copy): { after?: LogPosition } {
  if (copy.base === undefined) return {};
  return { after: lastLogPosition(readGroupFiles(ctx, copy.base) ?? []) };
}

/** A donor's answer to a catch-up: only the entries after `after`, when its log holds it. */
export function suffixFor(
  files: readonly TransferFile[],
  after: LogPosition | undefined,
  fx: ClusterEffect[],
): TransferFile[] | undefined {
  if (after === undefined) return undefined;
  const data = walSuffix(files, after);
  if (data === undefined) return undefined;
  fx.push({ type: 'mark', name: 'cluster.ship-suffix', value: after.index });
  return [{ name: WAL_SUFFIX, data }];
}

/**
 * What a copy writes for the files it received: a former standby's own files with the entries
 * appended, or the files as they came (a whole copy, when the donor's log did not hold its
 * last entry); undefined for a suffix it cannot use.
 */
export function caughtUpFiles(
  ctx: NodeContext,
  copy: Copy,
  files: readonly TransferFile[],
): readonly TransferFile[] | undefined {
  const suffix = files.find((f) => f.name === WAL_SUFFIX);
  if (suffix === undefined) return files;
  if (copy.base === undefined) return undefined;
  const own = readGroupFiles(ctx, copy.base);
  return own === undefined ? undefined : extendWal(own, suffix.data);
}

const WAL_SUFFIX = 'wal-suffix';
