/**
 * The clients of a run: closed loops (Jepsen's model) that invoke an operation, wait for its
 * outcome or a timeout, think, and invoke the next, and the history they record. A definite
 * failure (`fail`, e.g. `not-primary`) is retried against the hinted node, a timeout ends the
 * operation `info` (it may or may not have happened). In the final phase, once every operation
 * in flight has finished, the workload's final operations (reads) run, retrying until they
 * complete: reading twice is harmless, and the checkers need them.
 *
 * Placed clients (`ClientsConfig.placement`) are endpoints on a side of the network: a request
 * to a node they cannot reach is lost like any message and times out. They fail over as a
 * client library with a host list does: a client starts at its home node, moves to the next
 * node in a fixed order (home, home + 1, … round the cluster) after a timeout, follows redirect
 * hints, and after a timeout at home goes to the node that last answered it. A sticky client
 * that left its home tries it again after a reconnection delay (its timeout, doubled by each
 * miss up to 64 timeouts, as drivers' exponential reconnection policies do), which brings it
 * home when its node is reachable again. Nothing here draws from the seed.
 */
import type { Operation, PhaseName } from '../core/history.js';
import { clientId } from '../core/ids.js';
import { stableStringify } from '../core/encoding.js';
import type { Prng } from '../core/prng.js';
import type { ClientRequest } from '../core/protocol.js';
import type { Engine } from '../engine/engine.js';
import { sampleDelay } from '../core/delay.js';
import type { Network } from '../net/network.js';
import { EV, type ClientReplyEnvelope, type ClientRequestEnvelope } from './event-kinds.js';
import { routeFields, type TraceRecorder } from './trace-recorder.js';
import { type ClientsConfig, type LimitStatus, RUN_LIMIT_DEFAULTS } from './world-config.js';

/** What the clients need from the world. */
export interface ClientHost {
  readonly engine: Engine;
  readonly network: Network;
  readonly trace: TraceRecorder;
  readonly nodeCount: number;
  nodeIndex(id: string): number;
  /** Ends the run: the history reached one of its limits. */
  limitReached(status: LimitStatus): void;
}

interface ClientSlot {
  readonly index: number;
  readonly endpoint: number;
  op: Operation | undefined;
  /** Request id of the attempt in flight; 0 when none. */
  attempt: number;
  retriesLeft: number;
  target: number;
  final: boolean;
  done: boolean;
  /** Operations invoked so far (final ones not counted), bounded by `opsPerClientMax`. */
  invoked: number;
  /** The node it sits beside: where it starts, and where sticky routing sends it. */
  readonly home: number;
  /** A placed client that timed out at home tries it again from this time on. */
  homeRetryUs: number;
  /** Its reconnection delay: doubled by each timeout at home, reset by a reply from home. */
  homeBackoffUs: number;
  /** The last node other than home that answered it (-1: none yet), where it fails over to. */
  away: number;
}

export class ClientDriver {
  readonly history: Operation[] = [];
  /** True once every final operation has completed (the run can end). */
  finalDone = false;
  private readonly clients: ClientSlot[] = [];
  private readonly finalQueue: unknown[] = [];
  private finalPending = 0;
  private finalStarted = false;
  private nextRequestId = 1;
  private phase: PhaseName = 'faulty';
  /** Bytes of the results recorded so far, as JSON text (bounded by historyBytesMax). */
  private historyBytes = 0;
  private readonly opsMax: number;
  private readonly bytesMax: number;

  constructor(
    private readonly host: ClientHost,
    private readonly config: ClientsConfig,
    private readonly rng: Prng,
    limits: { readonly historyOpsMax?: number; readonly historyBytesMax?: number } = {},
  ) {
    this.opsMax = limits.historyOpsMax ?? RUN_LIMIT_DEFAULTS.historyOpsMax;
    this.bytesMax = limits.historyBytesMax ?? RUN_LIMIT_DEFAULTS.historyBytesMax;
    for (let c = 0; c < config.count; c++) {
      const home = config.placement?.[c] ?? c % host.nodeCount;
      this.clients.push({
        index: c,
        endpoint: host.nodeCount + c,
        op: undefined,
        attempt: 0,
        retriesLeft: 0,
        target: home,
        final: false,
        done: false,
        invoked: 0,
        home,
        homeRetryUs: 0,
        homeBackoffUs: config.timeoutUs,
        away: -1,
      });
    }
  }

  /** Schedules each client's first operation. */
  start(): void {
    for (const c of this.clients)
      this.host.engine.after(
        sampleDelay(this.config.thinkUs, this.rng),
        EV.clientNext,
        c.index,
        0,
        0,
        undefined,
      );
  }

  setPhase(phase: PhaseName): void {
    this.phase = phase;
    if (phase === 'final') this.startFinalOpsWhenQuiet();
  }

  /** The client endpoint a request id belongs to: ids are seq * clients + client. */
  endpointOf(requestId: number): number {
    return this.host.nodeCount + (requestId % this.clients.length);
  }

  /** Client-side events: a reply delivered to `endpoint`, a timeout, a next operation, a resend. */
  handle(kind: number, target: number, arg: number, payload: unknown): void {
    switch (kind) {
      case EV.deliver:
        // A reply in flight when a partition cut its placed client off is lost.
        if (this.host.network.isCut(arg, target)) {
          this.host.network.stats.cut++;
          return;
        }
        return this.receive(
          this.clients[target - this.host.nodeCount] as ClientSlot,
          payload as ClientReplyEnvelope,
        );
      case EV.clientTimeout:
        return this.timeout(this.clients[target] as ClientSlot, arg);
      case EV.clientNext:
        return this.next(this.clients[target] as ClientSlot);
      case EV.clientResend:
        return this.resend(this.clients[target] as ClientSlot, arg);
    }
  }

  /** Ends the history: operations still pending become `info`; returns how many final ones never completed. */
  close(): number {
    let incomplete = this.finalQueue.length;
    for (const op of this.history) {
      if (op.outcome !== 'pending') continue;
      op.outcome = 'info';
      op.error = 'run-ended';
      if (op.phase === 'final') incomplete++;
    }
    return incomplete;
  }

  private next(c: ClientSlot): void {
    if (c.done || c.op !== undefined) return;
    const cfg = this.config;
    let input: unknown;
    if (this.phase === 'final') {
      if (!this.finalStarted) return this.startFinalOpsWhenQuiet();
      if (this.finalQueue.length === 0) {
        c.done = true;
        return;
      }
      input = this.finalQueue.shift();
      c.final = true;
    } else {
      input =
        c.invoked < cfg.opsPerClientMax
          ? cfg.workload.next(c.index, this.phase, this.rng)
          : undefined;
      if (input === undefined) {
        c.done = this.phase !== 'faulty' && this.phase !== 'healed';
        return;
      }
    }
    if (this.history.length >= this.opsMax) return this.host.limitReached('history-ops-limit');
    if (!c.final) c.invoked++;
    const op: Operation = {
      id: this.history.length,
      client: clientId(c.index),
      f: cfg.workload.opName(input),
      input,
      output: undefined,
      invokeUs: this.host.engine.now,
      completeUs: undefined,
      outcome: 'pending',
      phase: this.phase,
    };
    this.history.push(op);
    c.op = op;
    c.retriesLeft = cfg.retries;
    const to = cfg.workload.route?.(c.index, input, this.host.nodeCount, this.rng);
    if (to === 'home') c.target = this.homeTarget(c);
    else if (to !== undefined) c.target = to;
    this.sendAttempt(c);
  }

  private sendAttempt(c: ClientSlot): void {
    const e = this.host.engine;
    const id = this.nextRequestId++ * Math.max(1, this.clients.length) + c.index;
    c.attempt = id;
    const op = c.op as Operation;
    const request: ClientRequest<unknown> = { id, client: op.client, seq: op.id, op: op.input };
    const net = this.host.network;
    const copies = net.route(c.endpoint, c.target, e.now);
    const envelope: ClientRequestEnvelope = { request };
    // A delivery's incarnation slot carries the message id (see World.handle).
    for (let k = 0; k < copies; k++)
      e.at(net.arrivals[k] as number, EV.deliver, c.target, net.last.id, c.endpoint, envelope);
    e.after(this.config.timeoutUs, EV.clientTimeout, c.index, 0, id, undefined);
    this.host.trace.label('invoke');
    if (this.host.trace.enabled)
      this.host.trace.write(e.now, 'invoke', {
        client: op.client,
        id,
        node: `n${c.target + 1}`,
        op: op.input,
        ...routeFields(net.last, copies),
      });
  }

  private receive(c: ClientSlot, reply: ClientReplyEnvelope): void {
    if (reply.requestId !== c.attempt || c.op === undefined) return; // stale or duplicated reply
    const o = reply.outcome;
    c.op.node = `n${c.target + 1}`;
    if (this.config.placement !== undefined) this.reached(c);
    if (o.type === 'ok') return this.complete(c, 'ok', o.value, undefined);
    if (o.type === 'fail') {
      if (c.final || c.retriesLeft > 0) {
        c.retriesLeft--;
        c.target =
          o.hint !== undefined ? this.host.nodeIndex(o.hint) : (c.target + 1) % this.host.nodeCount;
        return this.retryLater(c);
      }
      return this.complete(c, 'fail', undefined, o.code);
    }
    if (c.final) {
      c.target = (c.target + 1) % this.host.nodeCount;
      return this.retryLater(c);
    }
    this.complete(c, 'info', undefined, o.code);
  }

  private timeout(c: ClientSlot, attempt: number): void {
    if (attempt !== c.attempt || c.op === undefined) return;
    if (this.config.placement !== undefined && this.leftHome(c)) {
      if (c.final) return this.sendAttempt(c);
      return this.complete(c, 'info', undefined, 'timeout');
    }
    c.target = (c.target + 1) % this.host.nodeCount;
    // Final operations are reads; re-issuing one is safe, so they retry until the phase ends.
    if (c.final) return this.sendAttempt(c);
    this.complete(c, 'info', undefined, 'timeout');
  }

  /** A placed client heard from its target: it is reachable (home resets the backoff). */
  private reached(c: ClientSlot): void {
    if (c.target !== c.home) c.away = c.target;
    else c.homeBackoffUs = this.config.timeoutUs;
  }

  /**
   * A placed client timed out at home: it backs off from home (exponentially, to 64 timeouts)
   * and fails over to the node that last answered it, or the next one in its list. Returns
   * false when the timeout was not at home (the client then moves on down its list).
   */
  private leftHome(c: ClientSlot): boolean {
    if (c.target !== c.home) return false;
    c.homeRetryUs = this.host.engine.now + c.homeBackoffUs;
    c.homeBackoffUs = Math.min(c.homeBackoffUs * 2, this.config.timeoutUs * 64);
    c.target = c.away >= 0 ? c.away : (c.home + 1) % this.host.nodeCount;
    return true;
  }

  /**
   * Where a sticky client goes: home; a placed client that timed out there stays where it
   * failed over to until its reconnection delay has passed.
   */
  private homeTarget(c: ClientSlot): number {
    if (this.config.placement === undefined) return c.home;
    return this.host.engine.now >= c.homeRetryUs ? c.home : c.target;
  }

  /** A retry goes out a short, seeded backoff later, so a retry storm does not spin at one instant. */
  private retryLater(c: ClientSlot): void {
    c.attempt = 0;
    this.host.engine.after(
      this.rng.int(1_000, 5_000),
      EV.clientResend,
      c.index,
      0,
      (c.op as Operation).id,
      undefined,
    );
  }

  private resend(c: ClientSlot, opId: number): void {
    if (c.op?.id === opId && c.attempt === 0) this.sendAttempt(c);
  }

  private complete(
    c: ClientSlot,
    outcome: 'ok' | 'fail' | 'info',
    output: unknown,
    error: string | undefined,
  ): void {
    const op = c.op as Operation;
    op.outcome = outcome;
    op.output = output;
    if (outcome !== 'info') op.completeUs = this.host.engine.now;
    if (error !== undefined) op.error = error;
    this.host.trace.label(outcome);
    const outputText = stableStringify(output ?? null);
    this.host.trace.label(outputText);
    this.historyBytes += outputText.length;
    if (this.historyBytes > this.bytesMax) this.host.limitReached('history-bytes-limit');
    if (this.host.trace.enabled)
      this.host.trace.write(this.host.engine.now, 'complete', {
        client: op.client,
        op: op.id,
        outcome,
        output,
        error,
      });
    c.op = undefined;
    c.attempt = 0;
    this.config.workload.completed?.(c.index, op.input, outcome, output);
    if (c.final) {
      this.finalPending--;
      if (this.finalPending === 0) {
        this.finalDone = true;
        this.host.engine.stop('final operations done');
        return;
      }
    }
    this.host.engine.after(
      sampleDelay(this.config.thinkUs, this.rng),
      EV.clientNext,
      c.index,
      0,
      0,
      undefined,
    );
  }

  /**
   * Final reads must begin after every earlier operation has finished, or a write acknowledged
   * just after a final read would look lost. So the final operations wait for quiescence.
   */
  private startFinalOpsWhenQuiet(): void {
    if (this.finalStarted || this.clients.some((c) => c.op !== undefined)) return;
    this.finalStarted = true;
    const ops = this.config.workload.finalOps();
    this.finalQueue.push(...ops);
    this.finalPending = ops.length;
    if (ops.length === 0 || this.clients.length === 0) {
      this.finalDone = true;
      this.host.engine.stop('no final operations');
      return;
    }
    for (const c of this.clients) {
      c.done = false;
      this.host.engine.after(0, EV.clientNext, c.index, 0, 0, undefined);
    }
  }
}
