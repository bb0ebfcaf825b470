/**
 * One pass over a replicated cluster's run, in the order things happened (the world's timeline
 * of `cluster.` marks, crashes and restarts: core/placement-marks.ts), keeping what the
 * `placement` checker judges: per shard, the stretches with fewer live replicas than the
 * minimum and those without a primary, and each configuration's replica set judged against the
 * zones that had room when it was proposed.
 *
 * What counts (the cluster README defines the same): a replica is live while its node is up and
 * runs the group of the shard's configuration in effect (a crash ends every group of its node;
 * a group being copied does not run yet); a shard has a primary while a node that is up leads
 * that configuration's group. Both are judged only from when the shard first had them, so the
 * boot is not counted. A zone had room for a configuration when a node the proposing manager
 * counted live sits in a zone that holds none of the configuration's replicas and holds fewer
 * replicas than its capacity. Such a configuration opens a pile-up, which a later
 * configuration of the shard without one closes; a pile-up open longer than `pileUpMaxUs` is a
 * breach. A repair that must add a replica while a zone is down doubles a zone, and so may the
 * next repair, which keeps its live survivors; moving one back is the rebalancer's work once it
 * runs (CockroachDB's allocator likewise repairs first and rebalances for diversity after). A
 * pile-up never moved back is the named bug `zone-pile-up`.
 */
import { groupNamespace } from '../core/configuration-id.js';
import type { NodeId } from '../core/ids.js';
import {
  type ConfigurationId,
  type PlacementFact,
  parsePlacementMark,
} from '../core/placement-marks.js';
import { isMark, type RunTimeline } from '../core/run-timeline.js';
import { formatDuration, type Micros } from '../core/time.js';

/** A stretch of time a shard spent short of something, `toUs` at the run's end if still open. */
export interface Stretch {
  readonly shard: number;
  readonly fromUs: Micros;
  readonly toUs: Micros;
}

export interface SweepResult {
  /** Whether the run carried any placement fact at all. */
  readonly facts: number;
  readonly shards: number;
  readonly underReplicated: readonly Stretch[];
  readonly withoutPrimary: readonly Stretch[];
  /** Configurations judged by the zone rule, and those with no matching proposal to judge. */
  readonly configurationsJudged: number;
  readonly configurationsUnjudged: number;
  /** Zone-rule breaches, one sentence each. */
  readonly zoneProblems: readonly string[];
}

interface Proposal {
  readonly atUs: Micros;
  readonly by: NodeId;
  readonly replicas: readonly NodeId[];
  readonly live: readonly NodeId[];
}

interface ShardWatch {
  config: { readonly epoch: number; readonly replicas: readonly NodeId[] };
  /** Open stretches, once the shard first had enough replicas / a primary. */
  replicated: boolean;
  underSince: Micros | undefined;
  hadPrimary: boolean;
  noPrimarySince: Micros | undefined;
}

const ns = (c: ConfigurationId): string => groupNamespace(c.shard, c.epoch);

export class PlacementSweep {
  private readonly zone = new Map<NodeId, string>();
  private readonly capacity = new Map<NodeId, number>();
  private readonly down = new Set<NodeId>();
  private readonly running = new Map<NodeId, Set<string>>();
  private readonly leads = new Map<NodeId, Set<string>>();
  private readonly proposals = new Map<string, Proposal[]>();
  private readonly shards = new Map<number, ShardWatch>();
  private readonly under: Stretch[] = [];
  private readonly noPrimary: Stretch[] = [];
  private readonly zoneProblems: string[] = [];
  /** Per shard: the configuration that piled replicas into a zone, and since when. */
  private readonly piles = new Map<
    number,
    { readonly problem: string; readonly sinceUs: Micros }
  >();
  private facts = 0;
  private judged = 0;
  private unjudged = 0;

  constructor(
    private readonly replicasMin: number,
    private readonly pileUpMaxUs: Micros,
  ) {}

  /**
   * After each fact, the shards it can change are judged: a group's running or leading, or a
   * configuration taking effect, changes its shard alone; a crash or restart may change any
   * shard; where a node sits and what was proposed change none. A shard judged again with
   * nothing changed opens and closes nothing, so judging only these is judging them all.
   */
  run(timeline: RunTimeline, endUs: Micros): SweepResult {
    for (const e of timeline) {
      if (isMark(e)) {
        const f = parsePlacementMark(e.name);
        if (f === undefined) continue;
        this.facts++;
        this.apply(f, e.node, e.value, e.atUs);
        if (f.kind !== 'storage-node' && f.kind !== 'proposed') {
          const w = this.shards.get(f.config.shard);
          if (w !== undefined) this.judge(f.config.shard, w, e.atUs);
        }
      } else {
        this.life(e.node, e.up);
        for (const [shard, w] of this.shards) this.judge(shard, w, e.atUs);
      }
    }
    return this.finish(endUs);
  }

  private apply(f: PlacementFact, node: NodeId, value: number | undefined, atUs: Micros): void {
    if (f.kind === 'storage-node') {
      this.zone.set(node, f.zone);
      if (value !== undefined) this.capacity.set(node, value);
    } else if (f.kind === 'proposed') {
      const list = this.proposals.get(ns(f.config)) ?? [];
      this.proposals.set(ns(f.config), list);
      list.push({ atUs, by: node, replicas: f.replicas, live: f.live });
    } else if (f.kind === 'epoch') this.inEffect(f.config, f.replicas, atUs);
    else this.toggle(f.kind === 'running' ? this.running : this.leads, node, f.config, value);
  }

  private toggle(
    sets: Map<NodeId, Set<string>>,
    node: NodeId,
    c: ConfigurationId,
    value: number | undefined,
  ): void {
    const set = sets.get(node) ?? new Set<string>();
    sets.set(node, set);
    if (value === 0) set.delete(ns(c));
    else set.add(ns(c));
  }

  /** A crash ends every group of the node and its leadership of them; a restart only boots. */
  private life(node: NodeId, up: boolean): void {
    if (up) {
      this.down.delete(node);
      return;
    }
    this.down.add(node);
    this.running.delete(node);
    this.leads.delete(node);
  }

  /** A configuration took effect: the shard's newest, judged by the zone rule once. */
  private inEffect(c: ConfigurationId, replicas: readonly NodeId[], atUs: Micros): void {
    const w = this.shards.get(c.shard);
    if (w !== undefined && w.config.epoch >= c.epoch) return;
    const same = (p: Proposal) => p.atUs <= atUs && sameNodes(p.replicas, replicas);
    const proposal = (this.proposals.get(ns(c)) ?? []).filter(same).at(-1);
    if (proposal === undefined) this.unjudged++;
    else {
      this.judged++;
      this.pileUp(c.shard, this.zoneProblem(c, proposal), atUs);
    }
    if (w === undefined)
      this.shards.set(c.shard, {
        config: { epoch: c.epoch, replicas },
        replicated: false,
        underSince: undefined,
        hadPrimary: false,
        noPrimarySince: undefined,
      });
    else w.config = { epoch: c.epoch, replicas };
  }

  /** Opens a shard's pile-up, or closes it: a breach when it lasted too long. */
  private pileUp(shard: number, problem: string | undefined, atUs: Micros): void {
    const open = this.piles.get(shard);
    if (problem !== undefined) {
      if (open === undefined) this.piles.set(shard, { problem, sinceUs: atUs });
      return;
    }
    if (open !== undefined) this.closePile(shard, atUs, 'spread again');
  }

  private closePile(shard: number, atUs: Micros, how: string): void {
    const open = this.piles.get(shard);
    if (open === undefined) return;
    this.piles.delete(shard);
    const forUs = atUs - open.sinceUs;
    if (forUs > this.pileUpMaxUs)
      this.zoneProblems.push(
        `${open.problem}; ${how} after ${formatDuration(forUs)}, above the ` +
          `${formatDuration(this.pileUpMaxUs)} allowed`,
      );
  }

  /** Two replicas in one zone while a live node with room sat in a zone holding none. */
  private zoneProblem(c: ConfigurationId, p: Proposal): string | undefined {
    const zones = p.replicas.map((n) => this.zone.get(n) ?? '?');
    const doubled = [...new Set(zones.filter((z, i) => zones.indexOf(z) !== i))].sort();
    if (doubled.length === 0) return undefined;
    const held = this.heldCounts(c.shard);
    const roomy = p.live.find((n) => {
      const z = this.zone.get(n);
      const cap = this.capacity.get(n) ?? Number.POSITIVE_INFINITY;
      return z !== undefined && !zones.includes(z) && (held.get(n) ?? 0) < cap;
    });
    if (roomy === undefined) return undefined;
    return (
      `${ns(c)} (${p.replicas.join(' ')}, proposed by ${p.by} at ${formatDuration(p.atUs)}) puts two ` +
      `replicas in ${doubled.join(', ')} while ${roomy} in ${this.zone.get(roomy)}, live and ` +
      `with room (${held.get(roomy) ?? 0} of ${this.capacity.get(roomy) ?? '∞'}), held none`
    );
  }

  /** Replicas each node holds in the configurations in effect, shard `except` left out. */
  private heldCounts(except: number): Map<NodeId, number> {
    const held = new Map<NodeId, number>();
    for (const [shard, w] of this.shards)
      if (shard !== except) for (const n of w.config.replicas) held.set(n, (held.get(n) ?? 0) + 1);
    return held;
  }

  /** Opens and closes the shard's stretches as things stand at `atUs`. */
  private judge(shard: number, w: ShardWatch, atUs: Micros): void {
    const group = groupNamespace(shard, w.config.epoch);
    let live = 0;
    for (const n of w.config.replicas)
      if (!this.down.has(n) && this.running.get(n)?.has(group) === true) live++;
    if (live >= this.replicasMin) {
      w.replicated = true;
      if (w.underSince !== undefined) this.under.push({ shard, fromUs: w.underSince, toUs: atUs });
      w.underSince = undefined;
    } else if (w.replicated) w.underSince ??= atUs;
    if (this.hasPrimary(group)) {
      w.hadPrimary = true;
      if (w.noPrimarySince !== undefined)
        this.noPrimary.push({ shard, fromUs: w.noPrimarySince, toUs: atUs });
      w.noPrimarySince = undefined;
    } else if (w.hadPrimary) w.noPrimarySince ??= atUs;
  }

  /** Whether a node that is up leads `group`. */
  private hasPrimary(group: string): boolean {
    for (const [n, set] of this.leads) if (!this.down.has(n) && set.has(group)) return true;
    return false;
  }

  private finish(endUs: Micros): SweepResult {
    for (const shard of [...this.piles.keys()]) this.closePile(shard, endUs, 'still so at the end');
    for (const [shard, w] of this.shards) {
      if (w.underSince !== undefined) this.under.push({ shard, fromUs: w.underSince, toUs: endUs });
      if (w.noPrimarySince !== undefined)
        this.noPrimary.push({ shard, fromUs: w.noPrimarySince, toUs: endUs });
    }
    return {
      facts: this.facts,
      shards: this.shards.size,
      underReplicated: this.under,
      withoutPrimary: this.noPrimary,
      configurationsJudged: this.judged,
      configurationsUnjudged: this.unjudged,
      zoneProblems: this.zoneProblems,
    };
  }
}

function sameNodes(a: readonly NodeId[], b: readonly NodeId[]): boolean {
  return a.length === b.length && [...a].sort().every((n, i) => n === [...b].sort()[i]);
}
