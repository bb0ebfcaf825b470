/**
 * The simulated network: a datagram service between endpoints (the cluster's nodes first, then
 * its clients). Each directed link has a delay distribution, a loss ratio, a duplication ratio
 * and a reordering ratio; on top of that the network can be partitioned (any cut over the nodes,
 * symmetric or one-way), healed, and clogged: a clogged link or node holds its messages and
 * releases them when the clog ends, as FoundationDB's simulator does.
 *
 * Routing decides, at send time, how many copies arrive and when. A cut is checked again at
 * delivery (by the host, with `isCut`), so messages in flight when a partition starts are lost,
 * as with Jepsen's iptables rules. Links have no FIFO guarantee: delays are drawn per message.
 * Links to and from clients never duplicate (clients hold TCP-like connections).
 */
import { assert } from '../core/assert.js';
import type { Prng } from '../core/prng.js';
import type { Micros } from '../core/time.js';
import { meanDelay, sampleDelay, type DelaySpec } from '../core/delay.js';
import type { Cut } from './partitions.js';

export interface LinkConfig {
  readonly delay: DelaySpec;
  readonly lossPpm: number;
  readonly duplicatePpm: number;
  /** Share of messages held back by an extra delay of up to three mean delays. */
  readonly reorderPpm: number;
}

/** Why a message never arrived: decided at send (loss, partition) or at delivery (the rest). */
export type DropCause = 'loss' | 'partition' | 'crashed-receiver';

export interface NetworkStats {
  sent: number;
  delivered: number;
  lost: number;
  cut: number;
  duplicated: number;
  reordered: number;
  clogged: number;
}

export class Network {
  /** Arrival times of the copies the last `route` produced (at most two). */
  readonly arrivals = new Float64Array(2);
  /**
   * What the last `route` decided beyond its copies, for the trace: its message id (the count of
   * messages sent so far, so ids are dense and deterministic), why it was dropped, and until when
   * a clog held it (0 when none).
   */
  readonly last: { id: number; drop: DropCause | undefined; heldUntilUs: Micros } = {
    id: 0,
    drop: undefined,
    heldUntilUs: 0,
  };
  readonly stats: NetworkStats = {
    sent: 0,
    delivered: 0,
    lost: 0,
    cut: 0,
    duplicated: 0,
    reordered: 0,
    clogged: 0,
  };
  private readonly links: LinkConfig[];
  private readonly reorderWindowUs: Float64Array;
  private cutMatrix: Uint8Array | undefined;
  private cutDescription: string | undefined;
  private readonly linkClogUntil: Float64Array;
  private readonly nodeClogUntil: Float64Array;

  constructor(
    readonly nodes: number,
    readonly endpoints: number,
    defaults: LinkConfig,
    private readonly rng: Prng,
  ) {
    assert(endpoints >= nodes, 'endpoints include the nodes');
    this.links = new Array<LinkConfig>(endpoints * endpoints).fill(defaults);
    this.reorderWindowUs = new Float64Array(endpoints * endpoints).fill(
      3 * meanDelay(defaults.delay),
    );
    this.linkClogUntil = new Float64Array(endpoints * endpoints);
    this.nodeClogUntil = new Float64Array(endpoints);
  }

  /** Overrides one directed link. */
  setLink(from: number, to: number, config: LinkConfig): void {
    this.links[from * this.endpoints + to] = config;
    this.reorderWindowUs[from * this.endpoints + to] = 3 * meanDelay(config.delay);
  }

  partition(cut: Cut): void {
    assert(cut.n === this.nodes, 'a cut must cover the cluster');
    this.cutMatrix = cut.matrix;
    this.cutDescription = cut.description;
  }

  heal(): void {
    this.cutMatrix = undefined;
    this.cutDescription = undefined;
  }

  /** The active partition, if any, in readable form. */
  get partitionDescription(): string | undefined {
    return this.cutDescription;
  }

  /** True when a partition drops messages from `from` to `to` (clients are never cut). */
  isCut(from: number, to: number): boolean {
    const m = this.cutMatrix;
    return (
      m !== undefined && from < this.nodes && to < this.nodes && m[from * this.nodes + to] === 1
    );
  }

  clogLink(from: number, to: number, untilUs: Micros): void {
    const i = from * this.endpoints + to;
    this.linkClogUntil[i] = Math.max(this.linkClogUntil[i] as number, untilUs);
  }

  clogNode(node: number, untilUs: Micros): void {
    this.nodeClogUntil[node] = Math.max(this.nodeClogUntil[node] as number, untilUs);
  }

  unclogAll(): void {
    this.linkClogUntil.fill(0);
    this.nodeClogUntil.fill(0);
  }

  /**
   * Routes one message sent now. Returns how many copies will arrive (0, 1 or 2) and writes
   * their arrival times to `arrivals`.
   */
  route(from: number, to: number, nowUs: Micros): number {
    const stats = this.stats;
    const last = this.last;
    last.id = ++stats.sent;
    last.drop = undefined;
    last.heldUntilUs = 0;
    if (this.isCut(from, to)) {
      stats.cut++;
      last.drop = 'partition';
      return 0;
    }
    const i = from * this.endpoints + to;
    const link = this.links[i] as LinkConfig;
    const rng = this.rng;
    if (link.lossPpm > 0 && rng.chancePpm(link.lossPpm)) {
      stats.lost++;
      last.drop = 'loss';
      return 0;
    }
    const clogUntil = Math.max(
      this.linkClogUntil[i] as number,
      this.nodeClogUntil[from] as number,
      this.nodeClogUntil[to] as number,
    );
    let start = nowUs;
    if (clogUntil > nowUs) {
      stats.clogged++;
      start = clogUntil;
      last.heldUntilUs = clogUntil;
    }
    let copies = 1;
    this.arrivals[0] = start + this.delay(link, i);
    // Client connections behave like TCP: a request or reply arrives at most once. Only links
    // between nodes duplicate, as resends over reconnects do; a duplicated client request would
    // let a node answer `fail` to a copy of a request it had already accepted.
    if (
      link.duplicatePpm > 0 &&
      from < this.nodes &&
      to < this.nodes &&
      rng.chancePpm(link.duplicatePpm)
    ) {
      stats.duplicated++;
      this.arrivals[1] = start + this.delay(link, i);
      copies = 2;
    }
    return copies;
  }

  private delay(link: LinkConfig, i: number): Micros {
    let d = sampleDelay(link.delay, this.rng);
    if (link.reorderPpm > 0 && this.rng.chancePpm(link.reorderPpm)) {
      this.stats.reordered++;
      d += this.rng.int(1, Math.max(1, this.reorderWindowUs[i] as number));
    }
    return d;
  }
}
