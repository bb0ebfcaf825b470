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
 *
 * Replay (opt-in, `enableReplay`) is TigerBeetle's `packet_replay_probability`: a share of the
 * messages between nodes is delivered once more, long after the first copy (a delay drawn from
 * the replay's own distribution, added to the first copy's arrival), as a packet stuck in a
 * router's buffer or resent over a reconnect is. A duplicate arrives within a normal delay of its
 * twin; a replay can arrive after its receiver has crashed and restarted. Its draws come from
 * its own random stream, so a network without replay draws exactly as before.
 *
 * Clients reach every node whatever the partition, unless they are placed (`placeClients`):
 * then each client sits beside one node, shares that node's side of every cut (or the side an
 * explicit cut names it on), and is held by a clog of that node. A placed network also keeps
 * the record of which nodes each client could reach, and from when (core/client-sides.ts).
 */
import { assert } from '../core/assert.js';
import type { Prng } from '../core/prng.js';
import type { Micros } from '../core/time.js';
import { meanDelay, sampleDelay, type DelaySpec } from '../core/delay.js';
import type { ClientReachChange, ClientSides } from '../core/client-sides.js';
import { type Cut, clientLinks } from './partitions.js';

export interface LinkConfig {
  readonly delay: DelaySpec;
  readonly lossPpm: number;
  readonly duplicatePpm: number;
  /** Share of messages held back by an extra delay of up to three mean delays. */
  readonly reorderPpm: number;
}

/** Replay of messages between nodes: the share replayed, and how long after the first copy. */
export interface ReplayConfig {
  readonly ratioPpm: number;
  readonly delay: DelaySpec;
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
  /** Arrival times of the copies the last `route` produced (at most three with replay). */
  readonly arrivals = new Float64Array(3);
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
  /** The node each client is placed beside, by client index; undefined when not placed. */
  private home: readonly number[] | undefined;
  /** The client links the active cut drops (see `clientLinks`), when clients are placed. */
  private clientCut: Uint8Array | undefined;
  private readonly reachChanges: ClientReachChange[] = [];
  private replay: { readonly config: ReplayConfig; readonly rng: Prng } | undefined;
  /** Messages replayed so far (kept apart from `stats`, whose shape runs' results pin). */
  replayed = 0;

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

  /** Turns replay on, drawing from `rng` (a stream of its own: the rest draws as before). */
  enableReplay(config: ReplayConfig, rng: Prng): void {
    this.replay = { config, rng };
  }

  /** Places client c beside node `home[c]`: from now on partitions and clogs reach it too. */
  placeClients(home: readonly number[]): void {
    assert(this.nodes + home.length === this.endpoints, 'every client is placed');
    assert(
      home.every((h) => h >= 0 && h < this.nodes),
      'clients are placed beside nodes of the cluster',
    );
    this.home = [...home];
  }

  /** Cuts the network from `atUs` on; a new cut replaces the one before. */
  partition(cut: Cut, atUs: Micros): void {
    assert(cut.n === this.nodes, 'a cut must cover the cluster');
    this.cutMatrix = cut.matrix;
    this.cutDescription = cut.description;
    if (this.home !== undefined) {
      this.clientCut = clientLinks(cut, this.home);
      this.noteReach(atUs);
    }
  }

  heal(atUs: Micros): void {
    this.cutMatrix = undefined;
    this.cutDescription = undefined;
    if (this.home !== undefined) {
      this.clientCut = undefined;
      this.noteReach(atUs);
    }
  }

  /** Which nodes each placed client could reach, and from when; undefined when not placed. */
  clientSides(): ClientSides | undefined {
    if (this.home === undefined) return undefined;
    return { nodes: this.nodes, home: this.home, changes: this.reachChanges };
  }

  /** Records each placed client's two-way reach from `atUs`, when it changed. */
  private noteReach(atUs: Micros): void {
    const clients = this.endpoints - this.nodes;
    const reach: number[][] = [];
    for (let c = 0; c < clients; c++) {
      const e = this.nodes + c;
      const nodes: number[] = [];
      for (let m = 0; m < this.nodes; m++)
        if (!this.isCut(e, m) && !this.isCut(m, e)) nodes.push(m);
      reach.push(nodes);
    }
    const last = this.reachChanges[this.reachChanges.length - 1]?.reach;
    const before = last ?? reach.map(() => Array.from({ length: this.nodes }, (_, i) => i));
    if (reach.every((r, c) => r.join() === before[c]?.join())) return;
    this.reachChanges.push({ atUs, reach });
  }

  /** The active partition, if any, in readable form. */
  get partitionDescription(): string | undefined {
    return this.cutDescription;
  }

  /** True when a partition drops messages from `from` to `to` (clients only when placed). */
  isCut(from: number, to: number): boolean {
    const m = this.cutMatrix;
    if (m === undefined) return false;
    const n = this.nodes;
    if (from < n && to < n) return m[from * n + to] === 1;
    const c = this.clientCut;
    if (c === undefined) return false;
    // Clients talk only to nodes: one end is a client, the other a node.
    if (from >= n) return to < n && c[((from - n) * n + to) * 2] === 1;
    return c[((to - n) * n + from) * 2 + 1] === 1;
  }

  clogLink(from: number, to: number, untilUs: Micros): void {
    const i = from * this.endpoints + to;
    this.linkClogUntil[i] = Math.max(this.linkClogUntil[i] as number, untilUs);
  }

  clogNode(node: number, untilUs: Micros): void {
    this.nodeClogUntil[node] = Math.max(this.nodeClogUntil[node] as number, untilUs);
  }

  /**
   * Holds every message crossing the edge of a group of nodes (a zone's uplinks) until `untilUs`:
   * between a member and a non-member, a placed client counting as where its node is. Unplaced
   * clients reach every node alike and are on no side, so their links are left alone.
   */
  clogBoundary(group: readonly number[], untilUs: Micros): void {
    const e = this.endpoints;
    const side = new Int8Array(e).fill(-1);
    for (let i = 0; i < this.nodes; i++) side[i] = 0;
    for (const i of group) side[i] = 1;
    this.home?.forEach((h, c) => {
      side[this.nodes + c] = side[h] as number;
    });
    for (let a = 0; a < e; a++)
      for (let b = 0; b < e; b++) {
        const sa = side[a] as number;
        const sb = side[b] as number;
        if (sa >= 0 && sb >= 0 && sa !== sb) this.clogLink(a, b, untilUs);
      }
  }

  unclogAll(): void {
    this.linkClogUntil.fill(0);
    this.nodeClogUntil.fill(0);
  }

  /**
   * Routes one message sent now. Returns how many copies will arrive (0 to 3: a duplicate and a
   * replay) and writes their arrival times to `arrivals`.
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
    const clogUntil = Math.max(this.linkClogUntil[i] as number, this.clogOf(from), this.clogOf(to));
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
    if (this.replay !== undefined && from < this.nodes && to < this.nodes)
      copies = this.replayCopy(this.replay.config, this.replay.rng, copies);
    return copies;
  }

  /** Adds a replayed copy, long after the first one, to a share of the messages. */
  private replayCopy(config: ReplayConfig, rng: Prng, copies: number): number {
    if (config.ratioPpm === 0 || !rng.chancePpm(config.ratioPpm)) return copies;
    this.replayed++;
    this.arrivals[copies] = (this.arrivals[0] as number) + sampleDelay(config.delay, rng);
    return copies + 1;
  }

  /** Until when an endpoint's messages are held: a placed client is held with its node. */
  private clogOf(endpoint: number): number {
    const own = this.nodeClogUntil[endpoint] as number;
    const home = endpoint >= this.nodes ? this.home?.[endpoint - this.nodes] : undefined;
    return home === undefined ? own : Math.max(own, this.nodeClogUntil[home] as number);
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
