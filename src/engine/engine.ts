/**
 * The discrete-event kernel: virtual time, the event queue and a run loop with named limits.
 *
 * The engine knows nothing of nodes or networks. The world registers one handler; the engine
 * pops events in (time, seq) order, folds each into the trace hash, and hands it over. A run ends
 * with a status that says why (`quiescent`, `time-limit`, `event-limit`, `pending-events-limit`,
 * `stopped`), never with a hang: every loop in the simulator is bounded (DESIGN §5). The pending
 * events bound memory as the event count bounds time: a protocol whose every event schedules
 * two more fills the heap long before it runs a million events.
 */
import type { Micros } from '../core/time.js';
import { TraceHash } from '../core/trace-hash.js';
import { EventQueue } from './event-queue.js';

export interface EventHandler {
  handle(kind: number, target: number, incarnation: number, arg: number, payload: unknown): void;
}

export interface EngineLimits {
  /** The run stops with `event-limit` after this many events. */
  readonly eventsMax: number;
  /** The run stops with `time-limit` before running an event later than this. */
  readonly virtualTimeUsMax: Micros;
  /**
   * The run stops with `pending-events-limit` when more events than this wait in the queue
   * (default PENDING_EVENTS_MAX_DEFAULT).
   */
  readonly pendingEventsMax?: number;
}

/**
 * Shipped scenarios never have more than about 3,500 events waiting; a million (some tens of MB
 * of queue and the messages it holds) is a protocol flooding the network.
 */
export const PENDING_EVENTS_MAX_DEFAULT = 1_000_000;

export type RunStatus =
  | 'quiescent'
  | 'time-limit'
  | 'event-limit'
  | 'pending-events-limit'
  | 'stopped';

export class Engine {
  readonly queue = new EventQueue(4096);
  readonly hash = new TraceHash();
  private nowUs: Micros = 0;
  private events = 0;
  private stopReason: string | undefined;

  constructor(readonly limits: EngineLimits) {}

  get now(): Micros {
    return this.nowUs;
  }

  get eventCount(): number {
    return this.events;
  }

  get stoppedBecause(): string | undefined {
    return this.stopReason;
  }

  /** Schedules an event `delayUs` from now. */
  after(
    delayUs: Micros,
    kind: number,
    target: number,
    incarnation: number,
    arg: number,
    payload: unknown,
  ): void {
    this.queue.push(this.nowUs + delayUs, kind, target, incarnation, arg, payload);
  }

  /** Schedules an event at an absolute time (not before now). */
  at(
    timeUs: Micros,
    kind: number,
    target: number,
    incarnation: number,
    arg: number,
    payload: unknown,
  ): void {
    this.queue.push(
      timeUs < this.nowUs ? this.nowUs : timeUs,
      kind,
      target,
      incarnation,
      arg,
      payload,
    );
  }

  /** Ends the run after the current event. */
  stop(reason: string): void {
    this.stopReason ??= reason;
  }

  /** Runs events until the queue is empty, a limit is hit, or the handler calls `stop`. */
  run(handler: EventHandler): RunStatus {
    const q = this.queue;
    const hash = this.hash;
    const { eventsMax, virtualTimeUsMax } = this.limits;
    const pendingMax = this.limits.pendingEventsMax ?? PENDING_EVENTS_MAX_DEFAULT;
    while (q.size > 0) {
      if (this.stopReason !== undefined) return 'stopped';
      const t = q.peekTime();
      if (t > virtualTimeUsMax) return 'time-limit';
      if (this.events >= eventsMax) return 'event-limit';
      if (q.size > pendingMax) return 'pending-events-limit';
      const slot = q.pop();
      const kind = q.kind(slot);
      const target = q.target(slot);
      const inc = q.incarnation(slot);
      const arg = q.arg(slot);
      const payload = q.payload(slot);
      q.release(slot);
      this.nowUs = t;
      this.events++;
      hash.int(t);
      hash.int(kind);
      hash.int(target);
      handler.handle(kind, target, inc, arg, payload);
    }
    return this.stopReason !== undefined ? 'stopped' : 'quiescent';
  }
}
