/**
 * The simulated world: nodes hosted on one engine, joined by one network, each with a disk and a
 * clock, driven by clients and struck by faults, through three phases (faulty, healed, final).
 *
 * The world is the engine's only event handler. It applies protocol effects in the order they
 * were returned, routes messages through the network, runs disk operations with latency, moves
 * clients through their operations, and records the history that checkers judge. Everything it
 * draws comes from forks of the run's one seed (`net`, `disk:n2`, `node:n3`, `workload`,
 * `faults`, `clocks`), so one more draw in one place shifts nothing elsewhere.
 */
import { assert } from '../core/assert.js';
import type { History, Operation, PhaseName } from '../core/history.js';
import { nodeIds, clientId } from '../core/ids.js';
import { Prng } from '../core/prng.js';
import type { ClientRequest, DiskCompletion, Effect, Outcome, Protocol, Step } from '../core/protocol.js';
import type { Micros } from '../core/time.js';
import { stableStringify } from '../core/encoding.js';
import { SimDisk } from '../disk/sim-disk.js';
import { Engine, type RunStatus } from '../engine/engine.js';
import { sampleDelay } from '../net/delay.js';
import { Network } from '../net/network.js';
import { makeCut, type PartitionSpec } from '../net/partitions.js';
import { LocalClock } from './clock.js';
import type { FaultAction, NemesisSpec, NodeSelector } from './faults.js';
import { MARKS, MetricsCollector } from './metrics.js';
import { NodeHost } from './node-host.js';
import { TraceRecorder } from './trace-recorder.js';
import type { WorldConfig } from './world-config.js';

/** Event kinds, the world's private vocabulary with the engine. */
const EV = {
  deliver: 1,
  timer: 2,
  diskDone: 3,
  clientTimeout: 4,
  clientNext: 5,
  fault: 6,
  phase: 7,
  nemesis: 8,
  clientResend: 9,
} as const;

interface ClientRequestEnvelope {
  readonly request: ClientRequest<unknown>;
}
interface ClientReplyEnvelope {
  readonly requestId: number;
  readonly outcome: Outcome<unknown>;
}
interface PendingDisk {
  readonly op: DiskCompletion['op'];
  readonly file: string;
  readonly tag: number;
  ok: boolean;
  error?: string;
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
}

export interface FaultRecord {
  readonly t: Micros;
  readonly action: string;
  readonly detail: string;
}

export interface WorldResult {
  readonly status: RunStatus | 'final-reads-done' | 'error';
  readonly endUs: Micros;
  readonly events: number;
  readonly traceHash: string;
  readonly history: History;
  readonly faults: readonly FaultRecord[];
  readonly marks: Readonly<Record<string, number>>;
  readonly metrics: ReturnType<MetricsCollector['result']>;
  readonly network: Network['stats'];
  readonly disk: Record<string, ReturnType<SimDisk['stats']>>;
  /** Final operations that never completed before the final phase ended. */
  readonly finalOpsIncomplete: number;
}

export class World {
  readonly engine: Engine;
  readonly nodes: NodeHost[];
  readonly network: Network;
  private readonly protocol: Protocol<unknown, unknown, unknown, unknown>;
  private readonly trace: TraceRecorder;
  private readonly metrics = new MetricsCollector();
  private readonly history: Operation[] = [];
  private readonly clients: ClientSlot[] = [];
  private readonly faultLog: FaultRecord[] = [];
  private readonly root: Prng;
  private readonly workloadRng: Prng;
  private readonly faultRng: Prng;
  private readonly diskLatencyRng: Prng;
  private readonly finalQueue: unknown[] = [];
  private finalPending = 0;
  private phase: PhaseName = 'faulty';
  private nextRequestId = 1;
  private primary: number | undefined;
  private readonly baseClocks: { offsetUs: Micros; driftPpm: number }[] = [];
  private finished: WorldResult['status'] | undefined;
  private finalStarted = false;

  constructor(readonly config: WorldConfig) {
    this.root = Prng.root(config.seed);
    this.engine = new Engine(config.limits);
    this.trace = new TraceRecorder(this.engine.hash, config.trace);
    this.protocol = config.protocol as Protocol<unknown, unknown, unknown, unknown>;
    this.workloadRng = this.root.fork('workload');
    this.faultRng = this.root.fork('faults');
    this.diskLatencyRng = this.root.fork('disk-latency');
    const n = config.nodes;
    const clientsCount = config.workload?.clients ?? 0;
    this.network = new Network(n, n + clientsCount, config.network.defaults, this.root.fork('net'));
    for (const l of config.network.links) this.network.setLink(l.from, l.to, l.config);
    const ids = nodeIds(n);
    const clockRng = this.root.fork('clocks');
    const diskPick = this.root.fork('disk-atlas');
    const faultyDisks = new Set(diskPick.shuffle(ids.map((_, i) => i)).slice(0, config.disk.faultyNodesMax));
    this.nodes = ids.map((id, i) => {
      const given = config.clocks.perNode?.find((c) => c.node === i);
      const offsetUs = given?.offsetUs ?? (config.clocks.skewUsMax > 0 ? clockRng.int(-config.clocks.skewUsMax, config.clocks.skewUsMax) : 0);
      const driftPpm = given?.driftPpm ?? (config.clocks.driftPpmMax > 0 ? clockRng.int(-config.clocks.driftPpmMax, config.clocks.driftPpmMax) : 0);
      this.baseClocks.push({ offsetUs, driftPpm });
      const diskConfig = faultyDisks.has(i) ? config.disk.config : { ...config.disk.config, faults: undefined };
      const disk = new SimDisk(diskConfig, this.root.fork(`disk:${id}`));
      return new NodeHost(i, id, ids.filter((p) => p !== id), this.root.fork(`node:${id}`), disk, new LocalClock(offsetUs, driftPpm));
    });
    for (let c = 0; c < clientsCount; c++) {
      this.clients.push({ index: c, endpoint: n + c, op: undefined, attempt: 0, retriesLeft: 0, target: c % n, final: false, done: false });
    }
  }

  /** Runs the whole scenario: boot, phases, final operations. */
  run(): WorldResult {
    const { phases } = this.config;
    const e = this.engine;
    for (const node of this.nodes) this.apply(node, this.protocol.init(node.context(0)));
    for (const c of this.clients) e.after(sampleDelay(this.config.workload!.thinkUs, this.workloadRng), EV.clientNext, c.index, 0, 0, undefined);
    for (const f of this.config.faults.schedule) e.at(f.atUs, EV.fault, -1, 0, f.forUs ?? -1, f.action);
    this.config.faults.nemeses.forEach((spec, i) => e.after(sampleDelay(spec.everyUs, this.faultRng), EV.nemesis, i, 0, 0, undefined));
    e.at(phases.faultyUs, EV.phase, 0, 0, 1, undefined);
    e.at(phases.faultyUs + phases.healedUs, EV.phase, 0, 0, 2, undefined);
    e.at(phases.faultyUs + phases.healedUs + phases.finalUs, EV.phase, 0, 0, 3, undefined);
    const status = e.run(this);
    assert(status !== 'paused', 'an unbounded run cannot pause');
    return this.result(this.finished ?? status);
  }

  // ---------------------------------------------------------------- engine dispatch

  handle(kind: number, target: number, incarnation: number, arg: number, payload: unknown): void {
    switch (kind) {
      case EV.deliver:
        if (target >= this.nodes.length) this.clientReceive(this.clients[target - this.nodes.length] as ClientSlot, payload as ClientReplyEnvelope);
        else this.nodeEvent(this.nodes[target] as NodeHost, kind, incarnation, arg, payload);
        return;
      case EV.timer:
      case EV.diskDone:
        this.nodeEvent(this.nodes[target] as NodeHost, kind, incarnation, arg, payload);
        return;
      case EV.clientTimeout:
        this.clientTimeout(this.clients[target] as ClientSlot, arg);
        return;
      case EV.clientNext:
        this.clientNext(this.clients[target] as ClientSlot);
        return;
      case EV.clientResend:
        this.clientResend(this.clients[target] as ClientSlot, arg);
        return;
      case EV.fault:
        this.applyFault(payload as FaultAction, arg >= 0 ? arg : undefined, 'schedule');
        return;
      case EV.nemesis:
        this.nemesis(this.config.faults.nemeses[target] as NemesisSpec, target);
        return;
      case EV.phase:
        this.enterPhase(arg);
        return;
    }
    assert(false, `unknown event kind ${kind}`);
  }

  /** An event for a node: dropped if it was meant for an older incarnation or the node is down, held if paused. */
  private nodeEvent(node: NodeHost, kind: number, incarnation: number, arg: number, payload: unknown): void {
    if (node.status === 'down') return;
    // Messages are addressed to a node, not an incarnation; timers and disk completions die with theirs.
    if (kind !== EV.deliver && incarnation !== node.incarnation) return;
    if (node.status === 'paused') {
      node.held.push({ kind, arg, payload });
      return;
    }
    this.runNodeEvent(node, kind, arg, payload);
  }

  private runNodeEvent(node: NodeHost, kind: number, arg: number, payload: unknown): void {
    const p = this.protocol;
    const ctx = node.context(this.engine.now);
    const tr = this.trace;
    if (kind === EV.deliver) {
      if (this.network.isCut(arg, node.index)) {
        this.network.stats.cut++;
        return;
      }
      this.network.stats.delivered++;
      if (arg >= this.nodes.length) {
        const req = (payload as ClientRequestEnvelope).request;
        tr.label('request');
        if (tr.enabled) tr.write(this.engine.now, 'request', { node: node.id, client: req.client, id: req.id, op: req.op });
        this.apply(node, p.onRequest(node.state, req, ctx));
      } else {
        const from = (this.nodes[arg] as NodeHost).id;
        tr.label(this.describe(payload));
        tr.int(arg);
        if (tr.enabled) tr.write(this.engine.now, 'recv', { node: node.id, from, msg: payload });
        this.apply(node, p.onMessage(node.state, from, payload, ctx));
      }
    } else if (kind === EV.timer) {
      const name = payload as string;
      if (node.timers.get(name) !== arg) return;
      node.timers.delete(name);
      tr.label(name);
      if (tr.enabled) tr.write(this.engine.now, 'timer', { node: node.id, timer: name });
      this.apply(node, p.onTimer(node.state, name, ctx));
    } else {
      const d = payload as PendingDisk;
      if (d.op === 'sync') {
        const r = node.disk.sync(d.file);
        d.ok = r.ok;
        if (!r.ok) d.error = r.error;
      } else if (d.op === 'syncDir') {
        node.disk.syncDir();
      }
      tr.label(d.op);
      tr.int(d.ok ? 1 : 0);
      if (tr.enabled) tr.write(this.engine.now, 'disk', { node: node.id, op: d.op, file: d.file, tag: d.tag, ok: d.ok, error: d.error });
      this.apply(node, p.onDiskDone(node.state, d, ctx));
    }
  }

  private describe(msg: unknown): string {
    const d = this.protocol.describeMessage;
    if (d !== undefined) return d(msg);
    const t = (msg as { type?: unknown } | null)?.type;
    return typeof t === 'string' ? t : 'message';
  }

  // ---------------------------------------------------------------- effects

  /** Applies a step's effects in order: the node contract's one place of truth. */
  private apply(node: NodeHost, step: Step<unknown, unknown, unknown>): void {
    node.state = step.state;
    const effects = step.effects;
    for (let i = 0; i < effects.length; i++) this.effect(node, effects[i] as Effect<unknown, unknown>);
    if (this.protocol.checkInvariants !== undefined) this.protocol.checkInvariants(node.state, node.ctx);
  }

  private effect(node: NodeHost, fx: Effect<unknown, unknown>): void {
    const e = this.engine;
    const tr = this.trace;
    switch (fx.type) {
      case 'send': {
        const to = this.nodeIndex(fx.to);
        const copies = this.network.route(node.index, to, e.now);
        for (let k = 0; k < copies; k++) e.at(this.network.arrivals[k] as number, EV.deliver, to, 0, node.index, fx.msg);
        if (tr.enabled) tr.write(e.now, 'send', { node: node.id, to: fx.to, msg: fx.msg, copies });
        return;
      }
      case 'setTimer': {
        const gen = ++node.timerGeneration;
        node.timers.set(fx.name, gen);
        e.after(node.clock.toVirtual(fx.afterUs), EV.timer, node.index, node.incarnation, gen, fx.name);
        return;
      }
      case 'cancelTimer':
        node.timers.delete(fx.name);
        return;
      case 'diskWrite': {
        const r = node.disk.write(fx.file, fx.offset, fx.data);
        const done: PendingDisk = r.ok ? { op: 'write', file: fx.file, tag: fx.tag, ok: true } : { op: 'write', file: fx.file, tag: fx.tag, ok: false, error: r.error };
        e.after(sampleDelay(this.config.disk.writeLatency, this.diskLatencyRng), EV.diskDone, node.index, node.incarnation, 0, done);
        return;
      }
      case 'diskSync':
        e.after(sampleDelay(this.config.disk.syncLatency, this.diskLatencyRng), EV.diskDone, node.index, node.incarnation, 0, { op: 'sync', file: fx.file, tag: fx.tag, ok: true });
        return;
      case 'diskSyncDir':
        e.after(sampleDelay(this.config.disk.syncLatency, this.diskLatencyRng), EV.diskDone, node.index, node.incarnation, 0, { op: 'syncDir', file: '', tag: fx.tag, ok: true });
        return;
      case 'diskRename':
      case 'diskDelete': {
        const r = fx.type === 'diskRename' ? node.disk.rename(fx.from, fx.to) : node.disk.delete(fx.file);
        const file = fx.type === 'diskRename' ? fx.from : fx.file;
        const done: PendingDisk = { op: fx.type === 'diskRename' ? 'rename' : 'delete', file, tag: fx.tag, ok: r.ok };
        if (!r.ok) done.error = r.error;
        e.after(sampleDelay(this.config.disk.writeLatency, this.diskLatencyRng), EV.diskDone, node.index, node.incarnation, 0, done);
        return;
      }
      case 'reply': {
        const client = this.clientOfRequest(fx.requestId);
        if (client === undefined) return;
        const copies = this.network.route(node.index, client.endpoint, e.now);
        const envelope: ClientReplyEnvelope = { requestId: fx.requestId, outcome: fx.outcome };
        for (let k = 0; k < copies; k++) e.at(this.network.arrivals[k] as number, EV.deliver, client.endpoint, 0, node.index, envelope);
        if (tr.enabled) tr.write(e.now, 'reply', { node: node.id, client: clientId(client.index), id: fx.requestId, outcome: fx.outcome });
        return;
      }
      case 'mark':
        tr.label(fx.name);
        if (fx.value !== undefined) tr.int(fx.value);
        if (fx.name === MARKS.promoted) this.primary = node.index;
        this.metrics.mark(node.index, fx.name, fx.value, e.now);
        if (tr.enabled) tr.write(e.now, 'mark', { node: node.id, name: fx.name, value: fx.value });
        return;
    }
  }

  private nodeIndex(id: string): number {
    const i = Number(id.slice(1)) - 1;
    assert(id[0] === 'n' && i >= 0 && i < this.nodes.length, () => `send to unknown node ${id}`);
    return i;
  }

  /** Request ids encode their client so replies need no lookup table: id = seq * clients + client. */
  private clientOfRequest(requestId: number): ClientSlot | undefined {
    const k = this.clients.length;
    return k === 0 ? undefined : this.clients[requestId % k];
  }

  // ---------------------------------------------------------------- clients

  private clientNext(c: ClientSlot): void {
    if (c.done || c.op !== undefined) return;
    const w = this.config.workload!;
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
      input = w.next(c.index, this.phase, this.workloadRng);
      if (input === undefined) {
        c.done = this.phase !== 'faulty' && this.phase !== 'healed';
        return;
      }
    }
    const d = w.describe(input);
    const op: Operation = { id: this.history.length, client: clientId(c.index), f: d.f, input, output: undefined, invokeUs: this.engine.now, completeUs: undefined, outcome: 'pending', phase: this.phase };
    this.history.push(op);
    c.op = op;
    c.retriesLeft = w.retries;
    this.sendAttempt(c);
  }

  private sendAttempt(c: ClientSlot): void {
    const e = this.engine;
    const id = this.nextRequestId++ * Math.max(1, this.clients.length) + c.index;
    c.attempt = id;
    const op = c.op as Operation;
    const request: ClientRequest<unknown> = { id, client: op.client, op: op.input };
    const copies = this.network.route(c.endpoint, c.target, e.now);
    const envelope: ClientRequestEnvelope = { request };
    for (let k = 0; k < copies; k++) e.at(this.network.arrivals[k] as number, EV.deliver, c.target, 0, c.endpoint, envelope);
    e.after(this.config.workload!.timeoutUs, EV.clientTimeout, c.index, 0, id, undefined);
    this.trace.label('invoke');
    if (this.trace.enabled) this.trace.write(e.now, 'invoke', { client: op.client, id, node: `n${c.target + 1}`, op: op.input });
  }

  private clientReceive(c: ClientSlot, reply: ClientReplyEnvelope): void {
    if (reply.requestId !== c.attempt || c.op === undefined) return; // stale or duplicated reply
    const o = reply.outcome;
    c.op.node = `n${c.target + 1}`;
    if (o.type === 'ok') return this.complete(c, 'ok', o.value, undefined);
    if (o.type === 'fail') {
      if (c.final || c.retriesLeft > 0) {
        c.retriesLeft--;
        c.target = o.hint !== undefined ? this.nodeIndex(o.hint) : (c.target + 1) % this.nodes.length;
        return this.retryLater(c);
      }
      return this.complete(c, 'fail', undefined, o.code);
    }
    if (c.final) {
      c.target = (c.target + 1) % this.nodes.length;
      return this.retryLater(c);
    }
    this.complete(c, 'info', undefined, o.code);
  }

  private clientTimeout(c: ClientSlot, attempt: number): void {
    if (attempt !== c.attempt || c.op === undefined) return;
    c.target = (c.target + 1) % this.nodes.length;
    // Final operations are reads; re-issuing one is safe, so they retry until the phase ends.
    if (c.final) return this.sendAttempt(c);
    this.complete(c, 'info', undefined, 'timeout');
  }

  /** A retry goes out a short, seeded backoff later, so a retry storm does not spin at one instant. */
  private retryLater(c: ClientSlot): void {
    c.attempt = 0;
    this.engine.after(this.workloadRng.int(1_000, 5_000), EV.clientResend, c.index, 0, (c.op as Operation).id, undefined);
  }

  private clientResend(c: ClientSlot, opId: number): void {
    if (c.op?.id === opId && c.attempt === 0) this.sendAttempt(c);
  }

  private complete(c: ClientSlot, outcome: 'ok' | 'fail' | 'info', output: unknown, error: string | undefined): void {
    const op = c.op as Operation;
    op.outcome = outcome;
    op.output = output;
    if (outcome !== 'info') op.completeUs = this.engine.now;
    if (error !== undefined) op.error = error;
    this.trace.label(outcome);
    this.trace.label(stableStringify(output ?? null));
    if (this.trace.enabled) this.trace.write(this.engine.now, 'complete', { client: op.client, op: op.id, outcome, output, error });
    c.op = undefined;
    c.attempt = 0;
    if (c.final) {
      this.finalPending--;
      if (this.finalPending === 0) {
        this.finished = 'final-reads-done';
        this.engine.stop('final operations done');
        return;
      }
    }
    this.engine.after(sampleDelay(this.config.workload!.thinkUs, this.workloadRng), EV.clientNext, c.index, 0, 0, undefined);
  }

  // ---------------------------------------------------------------- phases

  private enterPhase(index: number): void {
    const t = this.engine.now;
    if (index === 1) {
      this.phase = 'healed';
      this.healAll();
      this.faultLog.push({ t, action: 'phase', detail: 'healed: network healed, crashed nodes restarted, paused nodes resumed' });
    } else if (index === 2) {
      this.phase = 'final';
      this.healAll();
      this.faultLog.push({ t, action: 'phase', detail: 'final: waiting for operations in flight, then final operations' });
      this.startFinalOpsWhenQuiet();
    } else {
      this.engine.stop('final phase ended');
    }
  }

  /**
   * Final reads must begin after every earlier operation has finished, or a write acknowledged
   * just after a final read would look lost. So the final operations wait for quiescence.
   */
  private startFinalOpsWhenQuiet(): void {
    if (this.finalStarted || this.clients.some((c) => c.op !== undefined)) return;
    this.finalStarted = true;
    const ops = this.config.workload?.finalOps() ?? [];
    this.finalQueue.push(...ops);
    this.finalPending = ops.length;
    if (ops.length === 0 || this.clients.length === 0) {
      this.finished = 'final-reads-done';
      this.engine.stop('no final operations');
      return;
    }
    for (const c of this.clients) {
      c.done = false;
      this.engine.after(0, EV.clientNext, c.index, 0, 0, undefined);
    }
  }

  private healAll(): void {
    this.network.heal();
    this.network.unclogAll();
    for (const node of this.nodes) {
      if (node.status === 'down') this.restart(node);
      else if (node.status === 'paused') this.resume(node);
      const base = this.baseClocks[node.index]!;
      node.clock.offsetUs = base.offsetUs;
      node.clock.driftPpm = base.driftPpm;
    }
  }

  // ---------------------------------------------------------------- faults

  private nemesis(spec: NemesisSpec, index: number): void {
    if (this.phase !== 'faulty') return;
    const rng = this.faultRng;
    const forUs = sampleDelay(spec.forUs, rng);
    const target: NodeSelector = spec.target === 'primary' ? 'primary' : spec.target === 'all' ? 'all' : 'random';
    let action: FaultAction;
    switch (spec.kind) {
      case 'crash':
        action = { kind: 'crash', node: target };
        break;
      case 'pause':
        action = { kind: 'pause', node: target };
        break;
      case 'partition': {
        const shapes = spec.shapes ?? ['halves', 'random-halves', 'isolate', 'bridge', 'majorities-ring'];
        const shape = rng.pick(shapes);
        action = { kind: 'partition', spec: { shape: shape === 'explicit' ? 'isolate' : shape, oneWay: spec.oneWay ?? false } };
        break;
      }
      case 'clog':
        action = { kind: 'clog', node: target, forUs };
        break;
      case 'skew': {
        const max = spec.bumpUsMax ?? 1_000_000;
        action = { kind: 'skew', node: target, bumpUs: rng.int(-max, max) };
        break;
      }
    }
    this.applyFault(action, spec.kind === 'clog' ? undefined : forUs, `nemesis:${spec.kind}`);
    this.engine.after(forUs + sampleDelay(spec.everyUs, rng), EV.nemesis, index, 0, 0, undefined);
  }

  /** The nodes a selector names now (`random` draws from the fault stream). */
  private resolve(sel: NodeSelector): number[] {
    if (typeof sel === 'number') return sel < this.nodes.length ? [sel] : [];
    if (sel === 'primary') return this.primary === undefined ? [] : [this.primary];
    if (sel === 'all') return this.nodes.map((n) => n.index);
    return [this.faultRng.int(0, this.nodes.length - 1)];
  }

  private downCount(): number {
    let k = 0;
    for (const n of this.nodes) if (n.status !== 'up') k++;
    return k;
  }

  /** Applies a fault now; with `forUs`, schedules its inverse. Nemeses respect `maxDown`. */
  private applyFault(action: FaultAction, forUs: Micros | undefined, source: string): void {
    const t = this.engine.now;
    const log = (detail: string) => {
      this.faultLog.push({ t, action: action.kind, detail });
      this.trace.label(`fault:${action.kind}`);
      if (this.trace.enabled) this.trace.write(t, 'fault', { action: action.kind, detail, source });
    };
    const undo = (inverse: FaultAction) => {
      if (forUs !== undefined) this.engine.after(forUs, EV.fault, -1, 0, -1, inverse);
    };
    const fromNemesis = source.startsWith('nemesis');
    switch (action.kind) {
      case 'partition': {
        // `isolate` of the primary names whichever node leads now (a random one if none does yet).
        const { node: wanted, ...rest } = action.spec;
        const target = wanted === 'primary' ? this.primary : wanted;
        const spec: PartitionSpec = target === undefined ? rest : { ...rest, node: target };
        const cut = makeCut(this.nodes.length, spec, this.faultRng);
        this.network.partition(cut);
        log(cut.description);
        this.reportUnreachable(cut.matrix);
        undo({ kind: 'heal' });
        return;
      }
      case 'heal':
        if (this.network.partitionDescription !== undefined) log('network healed');
        this.network.heal();
        return;
      case 'crash':
      case 'pause': {
        // A whole-cluster power loss is a deliberate fault, not subject to maxDown.
        const everyone = action.node === 'all';
        for (const i of this.resolve(action.node)) {
          const node = this.nodes[i] as NodeHost;
          if (node.status !== 'up') continue;
          if (fromNemesis && !everyone && this.downCount() >= this.config.faults.maxDown) continue;
          if (action.kind === 'crash') this.crash(node);
          else node.status = 'paused';
          this.metrics.nodeFailed(i, t);
          log(node.id);
          undo({ kind: action.kind === 'crash' ? 'restart' : 'resume', node: i });
        }
        return;
      }
      case 'restart':
      case 'resume':
        for (const i of this.resolve(action.node)) {
          const node = this.nodes[i] as NodeHost;
          if (action.kind === 'restart' && node.status === 'down') {
            log(node.id);
            this.restart(node);
          } else if (action.kind === 'resume' && node.status === 'paused') {
            log(node.id);
            this.resume(node);
          }
        }
        return;
      case 'clog': {
        if (action.link !== undefined) {
          this.network.clogLink(action.link[0], action.link[1], t + action.forUs);
          this.network.clogLink(action.link[1], action.link[0], t + action.forUs);
          log(`n${action.link[0] + 1}<->n${action.link[1] + 1} for ${action.forUs}us`);
        } else {
          for (const i of this.resolve(action.node ?? 'random')) {
            this.network.clogNode(i, t + action.forUs);
            log(`n${i + 1} for ${action.forUs}us`);
          }
        }
        return;
      }
      case 'skew':
        for (const i of this.resolve(action.node)) {
          const clock = (this.nodes[i] as NodeHost).clock;
          clock.offsetUs += action.bumpUs;
          if (action.driftPpm !== undefined) clock.driftPpm = action.driftPpm;
          log(`n${i + 1} clock ${action.bumpUs >= 0 ? '+' : ''}${action.bumpUs}us${action.driftPpm !== undefined ? ` drift ${action.driftPpm}ppm` : ''}`);
          undo({ kind: 'unskew', node: i });
        }
        return;
      case 'unskew':
        for (const i of this.resolve(action.node)) {
          const base = this.baseClocks[i]!;
          const clock = (this.nodes[i] as NodeHost).clock;
          clock.offsetUs = base.offsetUs;
          clock.driftPpm = base.driftPpm;
          log(`n${i + 1} clock restored`);
        }
        return;
    }
  }

  /** Tells the metrics which nodes a cut leaves without a two-way majority. */
  private reportUnreachable(matrix: Uint8Array): void {
    const n = this.nodes.length;
    for (let a = 0; a < n; a++) {
      let reach = 1;
      for (let b = 0; b < n; b++) if (a !== b && matrix[a * n + b] === 0 && matrix[b * n + a] === 0) reach++;
      if (reach * 2 <= n) this.metrics.nodeFailed(a, this.engine.now);
    }
  }

  private crash(node: NodeHost): void {
    node.status = 'down';
    node.incarnation++;
    node.state = undefined;
    node.timers.clear();
    node.held = [];
    node.disk.crash();
  }

  private restart(node: NodeHost): void {
    node.status = 'up';
    this.metrics.nodeRestarted(node.index, this.engine.now);
    this.apply(node, this.protocol.onRecover(node.context(this.engine.now)));
  }

  private resume(node: NodeHost): void {
    node.status = 'up';
    const held = node.held;
    node.held = [];
    for (const h of held) {
      if (node.status !== 'up') break;
      this.runNodeEvent(node, h.kind, h.arg, h.payload);
    }
  }

  // ---------------------------------------------------------------- result

  /** The result so far, for a run a protocol error ended early. */
  snapshot(status: string): WorldResult {
    return this.result(status as WorldResult['status']);
  }

  private result(status: WorldResult['status']): WorldResult {
    let incomplete = 0;
    for (const op of this.history) {
      if (op.outcome === 'pending') {
        op.outcome = 'info';
        op.error = 'run-ended';
        if (op.phase === 'final') incomplete++;
      }
    }
    incomplete += this.finalQueue.length;
    const disk: Record<string, ReturnType<SimDisk['stats']>> = {};
    for (const n of this.nodes) disk[n.id] = n.disk.stats();
    return {
      status,
      endUs: this.engine.now,
      events: this.engine.eventCount,
      traceHash: this.engine.hash.hex(),
      history: this.history,
      faults: this.faultLog,
      marks: Object.fromEntries([...this.metrics.markCounts].sort(([a], [b]) => (a < b ? -1 : 1))),
      metrics: this.metrics.result(),
      network: { ...this.network.stats },
      disk,
      finalOpsIncomplete: incomplete,
    };
  }
}
