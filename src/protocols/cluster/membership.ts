/**
 * Joins and leaves in the cluster (the operator's `join:` and `leave:`, told to every node at
 * once, as `cockroach node decommission` or `nodetool decommission` is): which schedules fit
 * the options, and how much data a change moved against the ideal.
 *
 * A joining storage node enters the placement, and the rebalancer moves replicas to it; a
 * leaving one is drained, every replica moved off, before it stops (rebalance.ts). The
 * managers' Raft group is fixed, so only a storage node may leave, and only while at least
 * `replicasMin` storage nodes stay to place each shard on.
 *
 * Data moved: the leader keeps the map as it stood when the change was told, and once nothing
 * moves any more it counts the replica slots (shard × replica) whose node changed, against
 * the ideal 1/n of all slots, n the larger of the two storage memberships: what consistent
 * hashing would move (`components/placement/data-moved.ts` counts the same for a ring).
 */
import { type DataMoved, dataMovedText } from '../../components/placement/data-moved.js';
import type { NodeId } from '../../core/ids.js';
import type { MembershipCheck } from '../../core/protocol-definition.js';
import type { MembershipChange } from '../../core/protocol.js';
import type { ClusterOptions } from './cluster-config.js';
import type { ShardMap } from './shard-map.js';

/** Whether a join or leave fits the options: a message with a suggestion when it does not. */
export function checkClusterMembership(
  options: ClusterOptions,
  change: MembershipCheck,
): string | undefined {
  const index = (n: NodeId) => Number(n.slice(1));
  if (options.recovery === 'active-backup')
    return `a ${change.action} under recovery: active-backup: the rebalancer does not yet move shards that keep a standby; use recovery: state-transfer or checkpoint-restore`;
  if (change.action !== 'leave') return undefined;
  if (index(change.node) <= options.managers)
    return `${change.node} is a manager (the first ${options.managers} nodes are), and the managers' Raft group is fixed: let a storage node leave (n${options.managers + 1} or later)`;
  const storage = change.members.filter((n) => index(n) > options.managers);
  if (storage.length < options.replicasMin)
    return `${change.node} leaving would keep ${storage.length} storage node${storage.length === 1 ? '' : 's'}, fewer than replicasMin ${options.replicasMin}: join a spare first, or lower replicasMin`;
  return undefined;
}

/** A membership change the leader measures: the map when it was told, and the memberships. */
interface PendingChange {
  readonly text: string;
  readonly before: ShardMap;
  readonly storageBefore: number;
  readonly storageAfter: number;
}

/** The replica slots whose node changed between two maps, beside the ideal 1/n. */
function mapDataMoved(p: PendingChange, after: ShardMap): DataMoved {
  let moved = 0;
  let slots = 0;
  for (const c of after.shards) {
    if (c === undefined) continue;
    const was = p.before.shards[c.shard]?.replicas ?? [];
    slots += c.replicas.length;
    for (const n of c.replicas) if (!was.includes(n)) moved++;
  }
  const n = Math.max(p.storageBefore, p.storageAfter);
  const ideal = n === 0 ? 0 : slots / n;
  return { moved, slots, ideal, ratio: ideal === 0 ? 0 : moved / ideal };
}

/** A manager's record of joins and leaves: when each node was told to leave, what to measure. */
export class MembershipWatch {
  /** When each leaving node was told to leave. */
  private readonly leaving = new Map<NodeId, number>();
  private readonly drained = new Set<NodeId>();
  /** The change being measured: only the leader's, from the map it held when told. */
  private pending: PendingChange | undefined;

  /** A join or leave told to this manager; `map` is its map when it leads. */
  told(
    change: MembershipChange,
    map: ShardMap | undefined,
    storageAfter: number,
    nowUs: number,
  ): void {
    if (change.type === 'leave') this.leaving.set(change.node, nowUs);
    if (map === undefined) return;
    const text = `${change.node} ${change.type === 'join' ? 'joins' : 'leaves'}`;
    const p = this.pending;
    const storageBefore = storageAfter + (change.type === 'join' ? -1 : 1);
    this.pending =
      p === undefined
        ? { text, before: map, storageBefore, storageAfter }
        : { ...p, text: `${p.text}, ${text}`, storageAfter };
  }

  /** Leaving nodes that hold no replica in `map` now, each once, with how long it took. */
  drainedNow(map: ShardMap, nowUs: number): { readonly node: NodeId; readonly afterUs: number }[] {
    const out: { node: NodeId; afterUs: number }[] = [];
    for (const [node, since] of this.leaving) {
      if (this.drained.has(node) || map.shards.some((c) => c?.replicas.includes(node))) continue;
      this.drained.add(node);
      out.push({ node, afterUs: nowUs - since });
    }
    return out;
  }

  /** Nothing moves any more: what the change being measured moved, and its sentence. */
  settled(map: ShardMap): { readonly moved: DataMoved; readonly text: string } | undefined {
    const p = this.pending;
    if (p === undefined) return undefined;
    this.pending = undefined;
    const moved = mapDataMoved(p, map);
    return { moved, text: `${p.text}: ${dataMovedText(moved)}` };
  }

  /** This manager stopped leading: what it was measuring is lost with its view. */
  stepDown(): void {
    this.pending = undefined;
  }
}
