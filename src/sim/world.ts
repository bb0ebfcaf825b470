/**
 * The simulated world: nodes hosted on one engine, joined by one network, each with a disk and a
 * clock, driven by clients and struck by faults, through three phases (faulty, healed, final).
 *
 * The world is the engine's only event handler. It applies protocol effects in the order they
 * were returned, routes messages through the network, runs disk operations with latency, moves
 * clients through their operations, and records the history that checkers judge. Everything it
 * draws comes from forks of the run's one seed (`net`, `disk:n2`, `node:n3`, `workload`,
 * `faults`, `clocks`), so one more draw in one place shifts nothing elsewhere. Spares wait,
 * not started, until a membership change joins them (sim/membership.ts); joins and leaves are
 * told to every member as events of the instant they happen, and draw nothing.
 */
import { assert } from '../core/assert.js';
import type { History } from '../core/history.js';
import { nodeIds, clientId } from '../core/ids.js';
import { Prng } from '../core/prng.js';
import type { BackupTool } from '../core/backup-tool.js';
import type {
  ClusterObserver,
  DiskCompletion,
  Effect,
  MembershipChange,
  ObservedProperty,
  Protocol,
  Step,
} from '../core/protocol.js';
import type { ClientSides } from '../core/client-sides.js';
import type { Replicas } from '../core/replica-set.js';
import type { Micros } from '../core/time.js';
import { SimDisk } from '../disk/sim-disk.js';
import { Engine, type RunStatus } from '../engine/engine.js';
import { sampleDelay } from '../core/delay.js';
import { type DropCause, Network } from '../net/network.js';
import { ClientDriver } from './clients.js';
import { LocalClock } from './clock.js';
import { EV, type ClientReplyEnvelope, type ClientRequestEnvelope } from './event-kinds.js';
import { FaultInjector } from './fault-injector.js';
import type { FaultAction, FaultRecord } from './faults.js';
import type { Metrics, MetricsCollector } from '../core/metrics.js';
import type { MarkRecord, NodeLifeRecord, RunTimeline } from '../core/run-timeline.js';
import { Membership } from './membership.js';
import { RoleTracker } from './role-tracker.js';
import { NodeHost } from './node-host.js';
import { routeFields, TraceRecorder } from './trace-recorder.js';
import { type LimitStatus, RUN_LIMIT_DEFAULTS, type WorldConfig } from './world-config.js';

interface PendingDisk {
  readonly op: DiskCompletion['op'];
  readonly file: string;
  readonly tag: number;
  ok: boolean;
  error?: string;
}

export interface WorldResult {
  readonly status: RunStatus | LimitStatus | 'final-reads-done' | 'error';
  readonly endUs: Micros;
  readonly events: number;
  readonly traceHash: string;
  readonly history: History;
  readonly faults: readonly FaultRecord[];
  readonly marks: Readonly<Record<string, number>>;
  readonly metrics: Metrics;
  readonly network: Network['stats'];
  readonly disk: Record<string, ReturnType<SimDisk['stats']>>;
  /** Final operations that never completed before the final phase ended. */
  readonly finalOpsIncomplete: number;
  /** What the protocol's cluster observer checked, when it has one. */
  readonly observed: readonly ObservedProperty[];
  /** Every replica's state as the run ended, for a protocol that replicates a data type. */
  readonly replicas: Replicas | undefined;
  /** Which nodes each client could reach, and when, when clients are placed. */
  readonly clientSides: ClientSides | undefined;
  /** Marks under the prefixes checkers asked for, and crashes and restarts (run-timeline.ts). */
  readonly timeline: RunTimeline;
}

export class World {
  readonly engine: Engine;
  readonly nodes: NodeHost[];
  readonly network: Network;
  readonly trace: TraceRecorder;
  private readonly metrics: MetricsCollector | undefined;
  private readonly roles: RoleTracker;
  private readonly markCounts = new Map<string, number>();
  /** Marks under the prefixes a checker asked for (run-timeline.ts), in order. */
  private readonly timeline: (MarkRecord | NodeLifeRecord)[] = [];
  /** Each node's last state summary written to the trace (see traceState). */
  private readonly lastSummaries = new Map<number, string>();
  private readonly protocol: Protocol<unknown, unknown, unknown, unknown>;
  private readonly clients: ClientDriver | undefined;
  private readonly observer: ClusterObserver<unknown> | undefined;
  private readonly faults: FaultInjector;
  private readonly root: Prng;
  private readonly diskLatencyRng: Prng;
  private readonly baseClocks: { offsetUs: Micros; driftPpm: number }[] = [];
  private readonly membership: Membership;
  /** Node id → index, for the ids the world gave out (`nodeIndex`). */
  private readonly indexOfId = new Map<string, number>();
  private finished: WorldResult['status'] | undefined;

  constructor(readonly config: WorldConfig) {
    this.metrics = config.metrics;
    this.roles = new RoleTracker(config.roles ?? []);
    this.root = Prng.root(config.seed);
    this.engine = new Engine(config.limits);
    this.trace = new TraceRecorder(this.engine.hash, config.trace);
    this.protocol = config.protocol as Protocol<unknown, unknown, unknown, unknown>;
    this.observer = this.protocol.createObserver?.();
    const workloadRng = this.root.fork('workload');
    const faultRng = this.root.fork('faults');
    this.diskLatencyRng = this.root.fork('disk-latency');
    const n = config.nodes;
    const clientsCount = config.clients?.count ?? 0;
    this.network = new Network(n, n + clientsCount, config.network.defaults, this.root.fork('net'));
    for (const l of config.network.links) this.network.setLink(l.from, l.to, l.config);
    if (config.network.replay !== undefined)
      this.network.enableReplay(config.network.replay, this.root.fork('net-replay'));
    if (config.clients?.placement !== undefined)
      this.network.placeClients(config.clients.placement);
    const ids = nodeIds(n);
    for (const [i, id] of ids.entries()) this.indexOfId.set(id, i);
    this.membership = new Membership(ids, config.spares ?? 0);
    const clockRng = this.root.fork('clocks');
    const diskPick = this.root.fork('disk-atlas');
    const faultyDisks = new Set(
      diskPick.shuffle(ids.map((_, i) => i)).slice(0, config.disk.faultyNodesMax),
    );
    this.nodes = ids.map((id, i) => {
      const given = config.clocks.perNode?.find((c) => c.node === i);
      const offsetUs =
        given?.offsetUs ??
        (config.clocks.skewUsMax > 0
          ? clockRng.int(-config.clocks.skewUsMax, config.clocks.skewUsMax)
          : 0);
      const driftPpm =
        given?.driftPpm ??
        (config.clocks.driftPpmMax > 0
          ? clockRng.int(-config.clocks.driftPpmMax, config.clocks.driftPpmMax)
          : 0);
      this.baseClocks.push({ offsetUs, driftPpm });
      const diskConfig = faultyDisks.has(i)
        ? config.disk.config
        : { ...config.disk.config, faults: undefined };
      const disk = new SimDisk(diskConfig, this.root.fork(`disk:${id}`));
      const host = new NodeHost(
        i,
        id,
        this.membership.peersOf(i),
        this.root.fork(`node:${id}`),
        disk,
        new LocalClock(offsetUs, driftPpm),
      );
      if (!this.membership.has(i)) host.status = 'spare';
      return host;
    });
    this.clients =
      config.clients === undefined
        ? undefined
        : new ClientDriver(this, config.clients, workloadRng, config.limits);
    this.faults = new FaultInjector(this, config.faults, faultRng);
  }

  get nodeCount(): number {
    return this.nodes.length;
  }

  /** The nodes holding a role now (see RoleTracker). */
  roleHolders(role: string): readonly number[] {
    return this.roles.holdersOf(role);
  }

  /** Ends the run after this event: it reached one of its limits (the first one reached names it). */
  limitReached(status: LimitStatus): void {
    this.finished ??= status;
    this.engine.stop(status);
  }

  /** The world reports that a node crashed, paused or was cut off from a majority. */
  nodeFailed(node: number): void {
    this.metrics?.nodeFailed((this.nodes[node] as NodeHost).id, this.engine.now);
  }

  baseClock(node: number): { readonly offsetUs: Micros; readonly driftPpm: number } {
    return this.baseClocks[node] as { offsetUs: Micros; driftPpm: number };
  }

  /** Runs the whole scenario: boot, phases, final operations. */
  run(): WorldResult {
    const { phases } = this.config;
    const e = this.engine;
    for (const node of this.nodes)
      if (node.status === 'up') this.apply(node, this.protocol.init(node.context(0)));
    this.clients?.start();
    for (const f of this.config.faults.schedule)
      e.at(f.atUs, EV.fault, -1, 0, f.forUs ?? -1, f.action);
    this.faults.start();
    e.at(phases.faultyUs, EV.phase, 0, 0, 1, undefined);
    e.at(phases.faultyUs + phases.healedUs, EV.phase, 0, 0, 2, undefined);
    e.at(phases.faultyUs + phases.healedUs + phases.finalUs, EV.phase, 0, 0, 3, undefined);
    const status = e.run(this);
    return this.result(this.clients?.finalDone ? 'final-reads-done' : (this.finished ?? status));
  }

  // ---------------------------------------------------------------- engine dispatch

  handle(kind: number, target: number, incarnation: number, arg: number, payload: unknown): void {
    switch (kind) {
      case EV.deliver:
        // A delivery's incarnation slot carries the message id: messages are addressed to a node.
        if (target >= this.nodes.length) {
          this.traceClientReceipt(target, arg, incarnation);
          this.clients?.handle(kind, target, arg, payload);
        } else this.nodeEvent(this.nodes[target] as NodeHost, kind, incarnation, arg, payload);
        return;
      case EV.timer:
      case EV.diskDone:
      case EV.membership:
        this.nodeEvent(this.nodes[target] as NodeHost, kind, incarnation, arg, payload);
        return;
      case EV.clientTimeout:
      case EV.clientNext:
      case EV.clientResend:
        this.clients?.handle(kind, target, arg, payload);
        return;
      case EV.fault:
        this.faults.apply(payload as FaultAction, arg >= 0 ? arg : undefined, 'schedule');
        return this.checkFaultLog();
      case EV.nemesis:
        this.faults.nemesis(target);
        return this.checkFaultLog();
      case EV.phase:
        this.enterPhase(arg);
        return;
    }
    assert(false, `unknown event kind ${kind}`);
  }

  /** An event for a node: dropped if it was meant for an older incarnation or the node is down, held if paused. */
  private nodeEvent(
    node: NodeHost,
    kind: number,
    incarnation: number,
    arg: number,
    payload: unknown,
  ): void {
    if (node.status !== 'up' && node.status !== 'paused') {
      // Down, a spare not yet joined, or gone: a message to it is lost as to a crashed node.
      if (kind === EV.deliver) this.traceDrop(node, arg, incarnation, 'crashed-receiver');
      return;
    }
    // Messages are addressed to a node, not an incarnation; timers and disk completions die with theirs.
    if (kind !== EV.deliver && incarnation !== node.incarnation) return;
    if (node.status === 'paused') {
      node.held.push({ kind, arg, payload, mid: kind === EV.deliver ? incarnation : 0 });
      return;
    }
    this.runNodeEvent(node, kind, arg, payload, incarnation);
  }

  private runNodeEvent(
    node: NodeHost,
    kind: number,
    arg: number,
    payload: unknown,
    mid: number,
  ): void {
    // A re-armed or cancelled timer leaves its old event in the queue: drop it before any work.
    if (kind === EV.timer && node.timers.get(payload as string) !== arg) return;
    const p = this.protocol;
    const ctx = node.context(this.engine.now);
    const tr = this.trace;
    if (kind === EV.deliver) {
      if (this.network.isCut(arg, node.index)) {
        this.network.stats.cut++;
        this.traceDrop(node, arg, mid, 'partition');
        return;
      }
      this.network.stats.delivered++;
      if (arg >= this.nodes.length) {
        const req = (payload as ClientRequestEnvelope).request;
        tr.label('request');
        if (tr.enabled)
          tr.write(this.engine.now, 'request', {
            mid,
            node: node.id,
            client: req.client,
            id: req.id,
            op: req.op,
          });
        this.apply(node, p.onRequest(node.state, req, ctx));
      } else {
        const from = (this.nodes[arg] as NodeHost).id;
        tr.label(this.describe(payload));
        tr.int(arg);
        if (tr.enabled)
          tr.write(this.engine.now, 'recv', { mid, node: node.id, from, msg: payload });
        this.apply(node, p.onMessage(node.state, from, payload, ctx));
      }
    } else if (kind === EV.timer) {
      const name = payload as string;
      node.timers.delete(name);
      tr.label(name);
      if (tr.enabled) tr.write(this.engine.now, 'timer', { node: node.id, timer: name });
      this.apply(node, p.onTimer(node.state, name, ctx));
    } else if (kind === EV.membership) {
      const change = payload as MembershipChange;
      const handler = p.onMembership;
      assert(handler !== undefined, () => `${p.name} takes no membership changes`);
      tr.label(`membership:${change.type}`);
      if (tr.enabled)
        tr.write(this.engine.now, 'membership', {
          node: node.id,
          change: change.type,
          of: change.node,
          members: change.members,
        });
      this.apply(node, handler(node.state, change, ctx));
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
      if (tr.enabled)
        tr.write(this.engine.now, 'disk', {
          node: node.id,
          op: d.op,
          file: d.file,
          tag: d.tag,
          ok: d.ok,
          error: d.error,
        });
      this.apply(node, p.onDiskDone(node.state, d, ctx));
    }
  }

  /** A `drop` line for a message that reached a cut link or a crashed node (trace file only). */
  private traceDrop(node: NodeHost, from: number, mid: number, cause: DropCause): void {
    if (!this.trace.enabled) return;
    this.trace.write(this.engine.now, 'drop', {
      mid,
      node: node.id,
      from: this.endpointName(from),
      cause,
    });
  }

  /** A `recv` line for a reply reaching its client (trace file only). */
  private traceClientReceipt(endpoint: number, from: number, mid: number): void {
    if (!this.trace.enabled) return;
    this.trace.write(this.engine.now, 'recv', {
      mid,
      client: this.endpointName(endpoint),
      from: this.endpointName(from),
    });
  }

  private endpointName(endpoint: number): string {
    const n = this.nodes.length;
    return endpoint < n ? (this.nodes[endpoint] as NodeHost).id : clientId(endpoint - n);
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
    for (let i = 0; i < effects.length; i++)
      this.effect(node, effects[i] as Effect<unknown, unknown>);
    if (this.protocol.checkInvariants !== undefined)
      this.protocol.checkInvariants(node.state, node.ctx);
    this.observer?.observe(node.id, node.state, this.engine.now);
    if (this.trace.enabled) this.traceState(node);
  }

  /**
   * A `state` line when the protocol's summary of this node changed (trace file only), so a
   * report can show each node's state at any moment; `state: null` once the node is down.
   */
  private traceState(node: NodeHost): void {
    const d = this.protocol.describeState;
    if (d === undefined) return;
    const summary = node.status === 'down' ? null : d(node.state);
    const text = JSON.stringify(summary);
    if (this.lastSummaries.get(node.index) === text) return;
    this.lastSummaries.set(node.index, text);
    this.trace.write(this.engine.now, 'state', { node: node.id, state: summary });
  }

  private effect(node: NodeHost, fx: Effect<unknown, unknown>): void {
    const e = this.engine;
    const tr = this.trace;
    switch (fx.type) {
      case 'send': {
        const to = this.nodeIndex(fx.to);
        const net = this.network;
        const copies = net.route(node.index, to, e.now);
        for (let k = 0; k < copies; k++)
          e.at(net.arrivals[k] as number, EV.deliver, to, net.last.id, node.index, fx.msg);
        if (tr.enabled)
          tr.write(e.now, 'send', {
            node: node.id,
            to: fx.to,
            msg: fx.msg,
            ...routeFields(net.last, copies),
          });
        return;
      }
      case 'setTimer': {
        const gen = ++node.timerGeneration;
        node.timers.set(fx.name, gen);
        e.after(
          node.clock.toVirtual(fx.afterUs),
          EV.timer,
          node.index,
          node.incarnation,
          gen,
          fx.name,
        );
        return;
      }
      case 'cancelTimer':
        node.timers.delete(fx.name);
        return;
      case 'diskWrite': {
        const r = node.disk.write(fx.file, fx.offset, fx.data);
        if (r.ok && fx.quiet === true) return;
        const done: PendingDisk = r.ok
          ? { op: 'write', file: fx.file, tag: fx.tag, ok: true }
          : { op: 'write', file: fx.file, tag: fx.tag, ok: false, error: r.error };
        e.after(
          sampleDelay(this.config.disk.writeLatency, this.diskLatencyRng),
          EV.diskDone,
          node.index,
          node.incarnation,
          0,
          done,
        );
        return;
      }
      case 'diskSync':
        e.after(
          sampleDelay(this.config.disk.syncLatency, this.diskLatencyRng),
          EV.diskDone,
          node.index,
          node.incarnation,
          0,
          { op: 'sync', file: fx.file, tag: fx.tag, ok: true },
        );
        return;
      case 'diskSyncDir':
        e.after(
          sampleDelay(this.config.disk.syncLatency, this.diskLatencyRng),
          EV.diskDone,
          node.index,
          node.incarnation,
          0,
          { op: 'syncDir', file: '', tag: fx.tag, ok: true },
        );
        return;
      case 'diskRename':
      case 'diskDelete': {
        const r =
          fx.type === 'diskRename' ? node.disk.rename(fx.from, fx.to) : node.disk.delete(fx.file);
        const file = fx.type === 'diskRename' ? fx.from : fx.file;
        const done: PendingDisk = {
          op: fx.type === 'diskRename' ? 'rename' : 'delete',
          file,
          tag: fx.tag,
          ok: r.ok,
        };
        if (!r.ok) done.error = r.error;
        e.after(
          sampleDelay(this.config.disk.writeLatency, this.diskLatencyRng),
          EV.diskDone,
          node.index,
          node.incarnation,
          0,
          done,
        );
        return;
      }
      case 'reply': {
        if (this.clients === undefined) return;
        const endpoint = this.clients.endpointOf(fx.requestId);
        const copies = this.network.route(node.index, endpoint, e.now);
        const envelope: ClientReplyEnvelope = { requestId: fx.requestId, outcome: fx.outcome };
        const last = this.network.last;
        for (let k = 0; k < copies; k++)
          e.at(
            this.network.arrivals[k] as number,
            EV.deliver,
            endpoint,
            last.id,
            node.index,
            envelope,
          );
        if (tr.enabled)
          tr.write(e.now, 'reply', {
            node: node.id,
            client: clientId(endpoint - this.nodes.length),
            id: fx.requestId,
            outcome: fx.outcome,
            ...routeFields(last, copies),
          });
        return;
      }
      case 'mark':
        this.recordMark(node, fx.name, fx.value);
        return;
    }
  }

  /** A mark: into the trace hash, the counts, the role tracker and the metrics. */
  private recordMark(node: NodeHost, name: string, value: number | undefined): void {
    const tr = this.trace;
    const now = this.engine.now;
    tr.label(name);
    if (value !== undefined) tr.int(value);
    this.markCounts.set(name, (this.markCounts.get(name) ?? 0) + 1);
    this.roles.mark(node.index, name);
    this.metrics?.mark(node.id, name, value, now);
    if (this.config.markPrefixes?.some((p) => name.startsWith(p)))
      this.timeline.push({ atUs: now, node: node.id, name, value });
    if (tr.enabled) tr.write(now, 'mark', { node: node.id, name, value });
  }

  nodeIndex(id: string): number {
    // Sends name nodes by the id strings the world handed out, so a map hit is the common case.
    const known = this.indexOfId.get(id);
    if (known !== undefined) return known;
    const i = Number(id.slice(1)) - 1;
    assert(id[0] === 'n' && i >= 0 && i < this.nodes.length, () => `send to unknown node ${id}`);
    return i;
  }

  // ---------------------------------------------------------------- clients

  // ---------------------------------------------------------------- phases

  private enterPhase(index: number): void {
    const t = this.engine.now;
    if (index === 1) {
      this.faults.active = false;
      this.clients?.setPhase('healed');
      this.healAll();
      this.faults.note(
        t,
        'phase',
        'healed: network healed, crashed nodes restarted, paused nodes resumed',
      );
    } else if (index === 2) {
      this.healAll();
      this.faults.note(
        t,
        'phase',
        'final: waiting for operations in flight, then final operations',
      );
      if (this.clients === undefined) {
        this.finished = 'final-reads-done';
        this.engine.stop('no final operations');
      } else this.clients.setPhase('final');
    } else {
      this.engine.stop('final phase ended');
    }
  }

  private healAll(): void {
    this.network.heal(this.engine.now);
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

  private checkFaultLog(): void {
    const max = this.config.limits.faultRecordsMax ?? RUN_LIMIT_DEFAULTS.faultRecordsMax;
    if (this.faults.log.length >= max) this.limitReached('fault-records-limit');
  }

  // ---------------------------------------------------------------- process lifecycle (used by the nemesis)

  crash(node: NodeHost): void {
    node.status = 'down';
    if (this.config.markPrefixes !== undefined)
      this.timeline.push({ atUs: this.engine.now, node: node.id, up: false });
    node.incarnation++;
    node.state = undefined;
    this.observer?.observe(node.id, undefined, this.engine.now);
    node.timers.clear();
    for (const h of node.held)
      if (h.kind === EV.deliver) this.traceDrop(node, h.arg, h.mid, 'crashed-receiver');
    node.held = [];
    node.disk.crash();
    if (this.trace.enabled) this.traceState(node);
  }

  restart(node: NodeHost): void {
    node.status = 'up';
    if (this.config.markPrefixes !== undefined)
      this.timeline.push({ atUs: this.engine.now, node: node.id, up: true });
    this.metrics?.nodeRestarted(node.id, this.engine.now);
    this.apply(node, this.protocol.onRecover(node.context(this.engine.now)));
  }

  pause(node: NodeHost): void {
    node.status = 'paused';
  }

  // ---------------------------------------------------------------- membership (sim/membership.ts)

  members(): readonly number[] {
    return this.membership.indices();
  }

  join(node: NodeHost): void {
    assert(node.status === 'spare', () => `${node.id} joins, but is ${node.status}`);
    this.membership.add(node.index);
    this.refreshPeers();
    node.status = 'up';
    this.apply(node, this.protocol.init(node.context(this.engine.now)));
    this.tellMembers({ type: 'join', node: node.id, members: this.membership.memberIds() }, node);
  }

  leave(node: NodeHost): void {
    assert(this.membership.has(node.index), () => `${node.id} leaves, but is not a member`);
    this.membership.remove(node.index);
    this.refreshPeers();
    const change: MembershipChange = {
      type: 'leave',
      node: node.id,
      members: this.membership.memberIds(),
    };
    this.tellMembers(change, undefined);
    this.tell(node, change);
  }

  decommission(node: NodeHost): void {
    if (node.status === 'up' || node.status === 'paused') this.crash(node);
    node.status = 'left';
  }

  // ---------------------------------------------------------------- backups (faults/backup.ts)

  get backups(): BackupTool<unknown> | undefined {
    return this.protocol.backups;
  }

  mark(node: NodeHost, name: string, value: number): void {
    this.recordMark(node, name, value);
  }

  private refreshPeers(): void {
    for (const n of this.nodes) n.ctx.peers = this.membership.peersOf(n.index);
  }

  /** Every member but `except` hears of the change, as its next event at this instant. */
  private tellMembers(change: MembershipChange, except: NodeHost | undefined): void {
    for (const n of this.nodes)
      if (n !== except && this.membership.has(n.index)) this.tell(n, change);
  }

  private tell(node: NodeHost, change: MembershipChange): void {
    this.engine.at(this.engine.now, EV.membership, node.index, node.incarnation, 0, change);
  }

  resume(node: NodeHost): void {
    node.status = 'up';
    const held = node.held;
    node.held = [];
    for (const h of held) {
      if (node.status !== 'up') break;
      this.runNodeEvent(node, h.kind, h.arg, h.payload, h.mid);
    }
  }

  // ---------------------------------------------------------------- result

  /** The result so far, for a run a protocol error ended early. */
  snapshot(status: string): WorldResult {
    return this.result(status as WorldResult['status']);
  }

  private result(status: WorldResult['status']): WorldResult {
    const incomplete = this.clients?.close() ?? 0;
    const disk: Record<string, ReturnType<SimDisk['stats']>> = {};
    for (const n of this.nodes) disk[n.id] = n.disk.stats();
    return {
      status,
      endUs: this.engine.now,
      events: this.engine.eventCount,
      traceHash: this.engine.hash.hex(),
      history: this.clients?.history ?? [],
      faults: this.faults.log,
      marks: sortedCounts(this.markCounts),
      metrics: this.metrics?.result() ?? {},
      network: { ...this.network.stats },
      disk,
      finalOpsIncomplete: incomplete,
      observed: this.observer?.results() ?? [],
      replicas: this.observer?.replicas?.(),
      clientSides: this.network.clientSides(),
      timeline: this.timeline,
    };
  }
}

/**
 * Counts as an object with its keys in sorted order (the result document's order). A cluster
 * seed marks some 900 distinct names; sorting the names and filling an object costs a quarter of
 * what `Object.fromEntries` over entries sorted by a comparator does.
 */
function sortedCounts(counts: ReadonlyMap<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of [...counts.keys()].sort()) out[name] = counts.get(name) as number;
  return out;
}
