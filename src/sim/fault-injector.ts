/**
 * The nemesis: applies fault actions to the world (partitions, crashes, pauses, clogs, clock
 * bumps) and schedules their inverses, and runs the random nemeses during the faulty phase.
 * Random nemeses stay within what the protocol claims to survive: they never take more than
 * `maxDown` nodes down at once, except a deliberate whole-cluster power loss (`all`). Every
 * fault is logged for the report and folded into the trace.
 *
 * A partition that is not components (a bridge, a majorities ring, named links) is logged with
 * the directed links it cut, so a shrinker can write it down exactly instead of redrawing it.
 * That field is for the report only: the trace folds in the action, as before.
 */
import type { Prng } from '../core/prng.js';
import type { Micros } from '../core/time.js';
import type { Engine } from '../engine/engine.js';
import { sampleDelay } from '../core/delay.js';
import type { Network } from '../net/network.js';
import { blockedLinks, makeCut, nodeName, type PartitionSpec } from '../net/partitions.js';
import { EV } from './event-kinds.js';
import type { FaultAction, NemesisSpec, NodeSelector } from './faults.js';
import type { NodeHost } from './node-host.js';
import type { TraceRecorder } from './trace-recorder.js';

export interface FaultRecord {
  readonly t: Micros;
  readonly action: string;
  readonly detail: string;
  /** For a partition that is not components: every directed link it cut, as `[from, to]` node names. */
  readonly blocked?: readonly (readonly [string, string])[];
}

/** What the nemesis needs from the world: its parts, and the process lifecycle. */
export interface FaultHost {
  readonly engine: Engine;
  readonly network: Network;
  readonly trace: TraceRecorder;
  readonly nodes: readonly NodeHost[];
  primary(): number | undefined;
  nodeFailed(node: number): void;
  baseClock(node: number): { readonly offsetUs: Micros; readonly driftPpm: number };
  crash(node: NodeHost): void;
  restart(node: NodeHost): void;
  resume(node: NodeHost): void;
}

export class FaultInjector {
  readonly log: FaultRecord[] = [];
  /** Random nemeses strike only while active (the faulty phase). */
  active = true;

  constructor(
    private readonly host: FaultHost,
    private readonly nemeses: readonly NemesisSpec[],
    private readonly maxDown: number,
    private readonly rng: Prng,
  ) {}

  /** Schedules the first strike of every random nemesis. */
  start(): void {
    this.nemeses.forEach((spec, i) => {
      this.host.engine.after(sampleDelay(spec.everyUs, this.rng), EV.nemesis, i, 0, 0, undefined);
    });
  }

  /** A line in the fault log that is not a fault (phase changes). */
  note(t: Micros, action: string, detail: string): void {
    this.log.push({ t, action, detail });
  }

  /** A random nemesis strikes: draw its fault, apply it, and schedule its next strike. */
  nemesis(index: number): void {
    const spec = this.nemeses[index] as NemesisSpec;
    if (!this.active) return;
    const rng = this.rng;
    const forUs = sampleDelay(spec.forUs, rng);
    const target: NodeSelector =
      spec.target === 'primary' ? 'primary' : spec.target === 'all' ? 'all' : 'random';
    let action: FaultAction;
    switch (spec.kind) {
      case 'crash':
        action = { kind: 'crash', node: target };
        break;
      case 'pause':
        action = { kind: 'pause', node: target };
        break;
      case 'partition': {
        const shapes = spec.shapes ?? [
          'halves',
          'random-halves',
          'isolate',
          'bridge',
          'majorities-ring',
        ];
        const shape = rng.pick(shapes);
        const isolatePrimary = shape === 'isolate' && spec.target === 'primary';
        action = {
          kind: 'partition',
          spec: {
            shape: shape === 'explicit' ? 'isolate' : shape,
            oneWay: spec.oneWay ?? false,
            ...(isolatePrimary ? { node: 'primary' as const } : {}),
          },
        };
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
    this.apply(action, spec.kind === 'clog' ? undefined : forUs, `nemesis:${spec.kind}`);
    this.host.engine.after(
      forUs + sampleDelay(spec.everyUs, rng),
      EV.nemesis,
      index,
      0,
      0,
      undefined,
    );
  }

  /** The nodes a selector names now (`random` draws from the fault stream). */
  private resolve(sel: NodeSelector): number[] {
    if (typeof sel === 'number') return sel < this.host.nodes.length ? [sel] : [];
    if (sel === 'primary') {
      const p = this.host.primary();
      return p === undefined ? [] : [p];
    }
    if (sel === 'all') return this.host.nodes.map((n) => n.index);
    return [this.rng.int(0, this.host.nodes.length - 1)];
  }

  private downCount(): number {
    let k = 0;
    for (const n of this.host.nodes) if (n.status !== 'up') k++;
    return k;
  }

  /** Applies a fault now; with `forUs`, schedules its inverse. Nemeses respect `maxDown`. */
  apply(action: FaultAction, forUs: Micros | undefined, source: string): void {
    const t = this.host.engine.now;
    const log = (detail: string, blocked?: readonly (readonly [string, string])[]) => {
      this.log.push(
        blocked === undefined
          ? { t, action: action.kind, detail }
          : { t, action: action.kind, detail, blocked },
      );
      this.host.trace.label(`fault:${action.kind}`);
      if (this.host.trace.enabled)
        this.host.trace.write(t, 'fault', { action: action.kind, detail, source });
    };
    const undo = (inverse: FaultAction) => {
      if (forUs !== undefined) this.host.engine.after(forUs, EV.fault, -1, 0, -1, inverse);
    };
    const fromNemesis = source.startsWith('nemesis');
    switch (action.kind) {
      case 'partition': {
        // `isolate` of the primary names whichever node leads now (a random one if none does yet).
        const { node: wanted, ...rest } = action.spec;
        const target = wanted === 'primary' ? this.host.primary() : wanted;
        const spec: PartitionSpec = target === undefined ? rest : { ...rest, node: target };
        const cut = makeCut(this.host.nodes.length, spec, this.rng);
        this.host.network.partition(cut);
        const components =
          spec.shape !== 'bridge' && spec.shape !== 'majorities-ring' && spec.shape !== 'links';
        log(
          cut.description,
          components
            ? undefined
            : blockedLinks(cut).map(([a, b]) => [nodeName(a), nodeName(b)] as const),
        );
        this.reportUnreachable(cut.matrix);
        undo({ kind: 'heal' });
        return;
      }
      case 'heal':
        if (this.host.network.partitionDescription !== undefined) log('network healed');
        this.host.network.heal();
        return;
      case 'crash':
      case 'pause': {
        // A whole-cluster power loss is a deliberate fault, not subject to maxDown.
        const everyone = action.node === 'all';
        for (const i of this.resolve(action.node)) {
          const node = this.host.nodes[i] as NodeHost;
          if (node.status !== 'up') continue;
          if (fromNemesis && !everyone && this.downCount() >= this.maxDown) continue;
          if (action.kind === 'crash') this.host.crash(node);
          else node.status = 'paused';
          this.host.nodeFailed(i);
          log(node.id);
          undo({ kind: action.kind === 'crash' ? 'restart' : 'resume', node: i });
        }
        return;
      }
      case 'restart':
      case 'resume':
        for (const i of this.resolve(action.node)) {
          const node = this.host.nodes[i] as NodeHost;
          if (action.kind === 'restart' && node.status === 'down') {
            log(node.id);
            this.host.restart(node);
          } else if (action.kind === 'resume' && node.status === 'paused') {
            log(node.id);
            this.host.resume(node);
          }
        }
        return;
      case 'clog': {
        if (action.link !== undefined) {
          this.host.network.clogLink(action.link[0], action.link[1], t + action.forUs);
          this.host.network.clogLink(action.link[1], action.link[0], t + action.forUs);
          log(`n${action.link[0] + 1}<->n${action.link[1] + 1} for ${action.forUs}us`);
        } else {
          for (const i of this.resolve(action.node ?? 'random')) {
            this.host.network.clogNode(i, t + action.forUs);
            log(`n${i + 1} for ${action.forUs}us`);
          }
        }
        return;
      }
      case 'skew':
        for (const i of this.resolve(action.node)) {
          const clock = (this.host.nodes[i] as NodeHost).clock;
          clock.offsetUs += action.bumpUs;
          if (action.driftPpm !== undefined) clock.driftPpm = action.driftPpm;
          log(
            `n${i + 1} clock ${action.bumpUs >= 0 ? '+' : ''}${action.bumpUs}us${action.driftPpm !== undefined ? ` drift ${action.driftPpm}ppm` : ''}`,
          );
          undo({ kind: 'unskew', node: i });
        }
        return;
      case 'unskew':
        for (const i of this.resolve(action.node)) {
          const base = this.host.baseClock(i);
          const clock = (this.host.nodes[i] as NodeHost).clock;
          clock.offsetUs = base.offsetUs;
          clock.driftPpm = base.driftPpm;
          log(`n${i + 1} clock restored`);
        }
        return;
    }
  }

  /** Tells the metrics which nodes a cut leaves without a two-way majority. */
  private reportUnreachable(matrix: Uint8Array): void {
    const n = this.host.nodes.length;
    for (let a = 0; a < n; a++) {
      let reach = 1;
      for (let b = 0; b < n; b++)
        if (a !== b && matrix[a * n + b] === 0 && matrix[b * n + a] === 0) reach++;
      if (reach * 2 <= n) this.host.nodeFailed(a);
    }
  }
}
