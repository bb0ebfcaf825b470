/**
 * `active-backup` recovery: each shard keeps one hot standby beside its `replicasMax` voting
 * replicas, a member of the shard's primary/backup group that is sent every entry but never
 * waited for, never a candidate, never counted in a vote (primary/backup's `standbys`). When a
 * voter dies, the next epoch promotes the standby to voter: every voter of the new epoch ran
 * the epoch before and starts from its own files, so the shard is fully replicated again with
 * nothing sent over the network, and a fresh standby, placed by the same repair plan, is filled
 * in the background by state transfer (it holds up no commit while its copy arrives).
 *
 * Why a lagging standby is safe to promote: the survivors hold every committed entry (a sync
 * group commits only what every voter has durable), an election needs a majority of voters,
 * and a voter grants its vote only to a log at least as up to date as its own, so a standby
 * that lags loses to a survivor, which then catches it up (Raft's argument, §5.4.1).
 */
import type { NodeId } from '../../core/ids.js';
import type { ClusterConfig } from './cluster-config.js';

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
