/**
 * A replica's delta buffer and what each peer has acknowledged of it (Almeida, Shoker, Baquero
 * 2018, Algorithm 2: the δ-group map D and the ack map A). Every change to the replica that
 * brought updates it had not applied (its own, once durable, and deltas merged from peers)
 * becomes an entry, numbered from 1 in this life; a peer that acknowledged entry a is sent the
 * join of a+1 … newest. A peer that acknowledged nothing in this life (after either side
 * restarted), or one so far behind that its entries were dropped, gets the whole state instead:
 * the full-state fallback.
 *
 * Entries every peer has acknowledged are dropped; so are the oldest once there are more than
 * `bufferMax`, which only costs the peers behind them a whole state. Peers are kept in sorted
 * order (they come from the context, sorted), so nothing here depends on insertion order.
 */
import type { NodeId } from '../../core/ids.js';

export type Shipment =
  | {
      readonly kind: 'delta';
      readonly from: number;
      readonly upTo: number;
      readonly group: unknown;
    }
  | { readonly kind: 'state'; readonly upTo: number };

export class DeltaBuffer {
  /** The newest entry's position (c in the paper); 0 before any. */
  newest = 0;
  /** Entries after this position are held. */
  private low = 0;
  private readonly entries: unknown[] = [];
  /** A(j): the newest position each peer acknowledged in this life. */
  private readonly acked = new Map<NodeId, number>();

  constructor(
    private readonly merge: (a: unknown, b: unknown) => unknown,
    private readonly bufferMax: number,
  ) {}

  push(delta: unknown): void {
    this.entries.push(delta);
    this.newest++;
    if (this.entries.length > this.bufferMax) {
      this.entries.shift();
      this.low++;
    }
  }

  /** Whether the peer is missing anything: nothing acknowledged, or older than the newest. */
  needs(peer: NodeId): boolean {
    const a = this.acked.get(peer);
    return a === undefined || a < this.newest;
  }

  /** What to send the peer: the join of what it has not acknowledged, or the whole state. */
  shipmentFor(peer: NodeId): Shipment {
    const a = this.acked.get(peer);
    if (a === undefined || a < this.low) return { kind: 'state', upTo: this.newest };
    let group = this.entries[a - this.low];
    for (let i = a - this.low + 1; i < this.entries.length; i++)
      group = this.merge(group, this.entries[i]);
    return { kind: 'delta', from: a, upTo: this.newest, group };
  }

  /** The peer merged everything up to `upTo`; entries all peers hold are dropped. */
  ack(peer: NodeId, upTo: number, peers: readonly NodeId[]): void {
    this.acked.set(peer, Math.max(this.acked.get(peer) ?? 0, Math.min(upTo, this.newest)));
    let min = this.newest;
    for (const p of peers) min = Math.min(min, this.acked.get(p) ?? this.low);
    while (this.low < min && this.entries.length > 0) {
      this.entries.shift();
      this.low++;
    }
  }

  /** Forget what the peer acknowledged: it restarted, or asked for the whole state. */
  reset(peer: NodeId): void {
    this.acked.delete(peer);
  }

  /** How many entries are held, for invariants and tests. */
  get size(): number {
    return this.entries.length;
  }
}
