/**
 * The storage members a manager plans from: where it places replicas, which nodes it drains,
 * which it judges live. In the correct protocol that is the operator's membership as the
 * cluster keeps it (`ctx.peers`, the same on every node and never lost, which stands for
 * membership kept in replicated state, as CockroachDB keeps decommissioning in its replicated
 * liveness records), so a manager that takes over plans from every join and leave before it.
 *
 * Under the named bug `cluster.stale-manager-view` a manager plans from a view held in its
 * memory alone: the membership the run started with (its configuration file), changed by a
 * join or leave only when one is told to it while it leads; a follower drops what it is told,
 * and a restart forgets every change. After a failover the new leader plans from the
 * membership it knew before: a leaving node is not drained (it stops still holding replicas,
 * its shards under-replicated until the detector declares it dead and they are repaired) and
 * a joined one gets nothing. A decommission held in the controller's memory, as in YARN's
 * ResourceManager (YARN-10896: after a failover the new active one did not bring the nodes
 * being decommissioned to decommissioned) and HDFS's NameNodes (each keeps its DataNodes'
 * decommissioning state in memory, so the operator's refresh must reach every one).
 */
import type { NodeId } from '../../core/ids.js';
import type { MembershipChange } from '../../core/protocol.js';
import { type ClusterConfig, storageMembers } from './cluster-config.js';

export class MembershipView {
  /** The members held in memory, under the bug; undefined: the cluster's own membership. */
  private held: readonly NodeId[] | undefined;

  constructor(private readonly cfg: ClusterConfig) {
    this.held = cfg.bugs.staleManagerView ? cfg.initialStorage : undefined;
  }

  /**
   * Whether a join or leave told to this manager is kept: always in the correct protocol (the
   * cluster keeps it anyway); under the bug only while it leads, which changes its view.
   */
  told(change: MembershipChange, leads: boolean): boolean {
    if (this.held === undefined) return true;
    if (!leads) return false;
    const n = change.node;
    const has = (m: NodeId) => (m === n ? change.type === 'join' : this.held?.includes(m));
    this.held = this.cfg.storage.filter(has);
    return true;
  }

  /** The storage members to plan from, `peers` being the cluster's membership (`ctx.peers`). */
  storage(peers: readonly NodeId[]): readonly NodeId[] {
    return this.held ?? storageMembers(this.cfg, peers);
  }
}
