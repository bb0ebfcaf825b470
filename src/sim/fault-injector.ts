/**
 * The nemesis: applies fault actions to the world through the fault kinds it was given (each
 * kind applies its own actions and schedules their inverses), and runs the random nemeses during
 * the faulty phase. Random nemeses stay within what the protocol claims to survive: they never
 * take more than `maxDown` nodes down at once, except a deliberate whole-cluster power loss
 * (`all`). Every fault is logged for the report, with structured facts a shrinker can replay,
 * and folded into the trace.
 */
import { assert } from '../core/assert.js';
import { sampleDelay } from '../core/delay.js';
import type { Prng } from '../core/prng.js';
import type { Micros } from '../core/time.js';
import type { Engine } from '../engine/engine.js';
import { EV } from './event-kinds.js';
import type {
  FaultAction,
  FaultHost,
  FaultKindRuntime,
  FaultRecord,
  FaultStrike,
  NemesisSpec,
  NodeSelector,
} from './faults.js';
import type { TraceRecorder } from './trace-recorder.js';

/** What the nemesis needs from the world beyond what fault kinds touch. */
export interface InjectorHost extends FaultHost {
  readonly engine: Engine;
  readonly trace: TraceRecorder;
  /** The nodes holding a role now, in index order. */
  roleHolders(role: string): readonly number[];
}

export interface InjectorConfig {
  readonly kinds: readonly FaultKindRuntime[];
  readonly nemeses: readonly NemesisSpec[];
  readonly maxDown: number;
}

export class FaultInjector {
  readonly log: FaultRecord[] = [];
  /** Random nemeses strike only while active (the faulty phase). */
  active = true;
  private readonly byAction = new Map<string, FaultKindRuntime>();
  private readonly byName = new Map<string, FaultKindRuntime>();

  constructor(
    private readonly host: InjectorHost,
    private readonly config: InjectorConfig,
    private readonly rng: Prng,
  ) {
    for (const kind of config.kinds) {
      this.byName.set(kind.name, kind);
      for (const action of kind.actions) this.byAction.set(action, kind);
    }
  }

  /** Schedules the first strike of every random nemesis. */
  start(): void {
    this.config.nemeses.forEach((spec, i) => {
      this.host.engine.after(sampleDelay(spec.everyUs, this.rng), EV.nemesis, i, 0, 0, undefined);
    });
  }

  /** A line in the fault log that is not a fault (phase changes). */
  note(t: Micros, action: string, detail: string): void {
    this.log.push({ t, action, detail });
  }

  /** A random nemesis strikes: draw its fault, apply it, and schedule its next strike. */
  nemesis(index: number): void {
    const spec = this.config.nemeses[index] as NemesisSpec;
    if (!this.active) return;
    const kind = this.byName.get(spec.kind);
    assert(kind?.draw !== undefined, () => `no fault kind draws ${spec.kind} nemeses`);
    const forUs = sampleDelay(spec.forUs, this.rng);
    const { action, holdsItself } = kind.draw(spec, this.rng, forUs);
    this.apply(action, holdsItself === true ? undefined : forUs, `nemesis:${spec.kind}`);
    const next = forUs + sampleDelay(spec.everyUs, this.rng);
    this.host.engine.after(next, EV.nemesis, index, 0, 0, undefined);
  }

  /** Applies a fault now; with `forUs`, its kind schedules the inverse. */
  apply(action: FaultAction, forUs: Micros | undefined, source: string): void {
    const kind = this.byAction.get(action.kind);
    assert(kind !== undefined, () => `no fault kind applies ${action.kind}`);
    kind.apply(action, this.strike(action, forUs, source), this.host);
  }

  private strike(action: FaultAction, forUs: Micros | undefined, source: string): FaultStrike {
    const t = this.host.engine.now;
    const { trace, engine } = this.host;
    return {
      now: t,
      rng: this.rng,
      fromNemesis: source.startsWith('nemesis'),
      resolve: (selector) => this.resolve(selector),
      mayTakeDown: () => this.downCount() < this.config.maxDown,
      log: (detail, data) => {
        this.log.push({ t, action: action.kind, detail, data });
        trace.label(`fault:${action.kind}`);
        if (trace.enabled) trace.write(t, 'fault', { action: action.kind, detail, source });
      },
      undo: (inverse) => {
        if (forUs !== undefined) engine.after(forUs, EV.fault, -1, 0, -1, inverse);
      },
      after: (next, delayUs) => engine.after(delayUs, EV.fault, -1, 0, -1, next),
    };
  }

  /** The nodes a selector names now (`random` draws from the fault stream). */
  private resolve(selector: NodeSelector): number[] {
    const n = this.host.nodes.length;
    if (typeof selector === 'number') return selector < n ? [selector] : [];
    if (selector === 'all') return this.host.nodes.map((node) => node.index);
    if (selector === 'random') return [this.rng.int(0, n - 1)];
    if ('domains' in selector) {
      const ds = selector.domains;
      const d = ds.length === 1 ? ds[0] : this.rng.pick(ds);
      return d === undefined ? [] : d.nodes.filter((i) => i < n);
    }
    const holders = this.host.roleHolders(selector.role);
    return holders.length <= 1 ? [...holders] : [this.rng.pick(holders)];
  }

  private downCount(): number {
    let k = 0;
    // Spares and nodes that left are out of the cluster, not down.
    for (const n of this.host.nodes) if (n.status === 'down' || n.status === 'paused') k++;
    return k;
  }
}
