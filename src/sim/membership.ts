/**
 * Who is in the cluster: the members, as the operator's configuration says, which the world hands
 * each node as `ctx.peers`. At the start they are n1..nK; the last `spares` nodes of the world
 * exist (placed, with disks and clocks) but are not started. A scenario's `join:` adds a spare and
 * `leave:` removes a member (faults/membership.ts); the world then tells every member through
 * `onMembership`. What it leaves out: a membership protocol of its own (gossip, a seed list): the
 * change is an operator's decision pushed to every node, which is how decommissioning is driven
 * in Cassandra and CockroachDB; a protocol that must agree on membership does so on top of it.
 */
import type { NodeId } from '../core/ids.js';

export class Membership {
  /** Member indices, ascending. */
  private members: number[];

  constructor(
    private readonly ids: readonly NodeId[],
    spares: number,
  ) {
    this.members = ids.slice(0, ids.length - spares).map((_, i) => i);
  }

  has(node: number): boolean {
    return this.members.includes(node);
  }

  /** Member indices, ascending. */
  indices(): readonly number[] {
    return this.members;
  }

  add(node: number): void {
    if (this.has(node)) return;
    this.members = [...this.members, node].sort((a, b) => a - b);
  }

  remove(node: number): void {
    this.members = this.members.filter((m) => m !== node);
  }

  /** The members as ids, in node order (n2 before n10), as `ctx.peers` lists them. */
  memberIds(): NodeId[] {
    return this.members.map((i) => this.ids[i] as NodeId);
  }

  /** What a node sees as its peers: every member but itself. */
  peersOf(node: number): NodeId[] {
    const out: NodeId[] = [];
    for (const m of this.members) if (m !== node) out.push(this.ids[m] as NodeId);
    return out;
  }
}
