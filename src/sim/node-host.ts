/**
 * One simulated process: the protocol's state, its timers, its disk and its clock, and the
 * context handed to every handler. The host is where crash, restart, pause and resume mean
 * something: a crash drops state, timers and unsynced bytes and bumps the incarnation, so events
 * scheduled for the old incarnation are dropped when they arrive; a pause holds every event for
 * the node until it resumes. A spare has not joined the cluster yet and a node that left has
 * stopped for good (membership changes); neither runs a handler.
 */
import type { DiskReader, NodeContext } from '../core/protocol.js';
import type { NodeId } from '../core/ids.js';
import type { Prng } from '../core/prng.js';
import type { Micros } from '../core/time.js';
import type { SimDisk } from '../disk/sim-disk.js';
import type { LocalClock } from './clock.js';

export type NodeStatus = 'up' | 'down' | 'paused' | 'spare' | 'left';

/**
 * The mutable context object a host hands its node; `now` is refreshed before each handler, and
 * `peers` replaced when the membership changes.
 */
export class HostContext implements NodeContext {
  now: Micros = 0;
  constructor(
    readonly node: NodeId,
    public peers: readonly NodeId[],
    readonly random: Prng,
    readonly disk: DiskReader,
  ) {}
}

export interface HeldEvent {
  readonly kind: number;
  readonly arg: number;
  readonly payload: unknown;
  /** A held message's id, for the trace (0 for other events). */
  readonly mid: number;
}

export class NodeHost {
  status: NodeStatus = 'up';
  incarnation = 0;
  state: unknown = undefined;
  /** Timer name → generation of the armed timer; a fired timer whose generation differs is stale. */
  readonly timers = new Map<string, number>();
  timerGeneration = 0;
  /** Events that arrived while paused, in arrival order. */
  held: HeldEvent[] = [];
  readonly ctx: HostContext;

  constructor(
    readonly index: number,
    readonly id: NodeId,
    peers: readonly NodeId[],
    random: Prng,
    readonly disk: SimDisk,
    readonly clock: LocalClock,
  ) {
    this.ctx = new HostContext(id, peers, random, disk);
  }

  /** Refreshes the context's clock reading and returns it, ready for a handler call. */
  context(virtualNowUs: Micros): HostContext {
    this.ctx.now = this.clock.read(virtualNowUs);
    return this.ctx;
  }
}
