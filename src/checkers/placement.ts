/**
 * Placement of a replicated cluster's shards, judged from outside over what the cluster marked
 * (placement-sweep.ts reads it; core/placement-marks.ts is the vocabulary), three rules from
 * the replica-management literature (HDFS's re-replication, CockroachDB's allocator):
 *
 * - never fewer than `replicasMin` live replicas of a shard for longer than
 *   `underReplicatedMaxMs`, with the time under-replicated reported per shard;
 * - never two replicas in one zone when another zone had room for longer than
 *   `underReplicatedMaxMs` (the same recovery target: a shard is whole again, spread included),
 *   judged on each configuration's replica set against the nodes the proposing manager counted
 *   live (placement-sweep.ts: a repair during an outage may pile up, the rebalancer spreads);
 * - no shard without a primary for longer than `failoverMaxMs` (the failover target).
 *
 * The limits are the protocol's options (the cluster's defaults: 10 s and 30 s, the issue's
 * recovery and failover targets). A run without cluster marks checked nothing and says so.
 */
import { formatDuration, type Micros, US_PER_MS } from '../core/time.js';
import { PLACEMENT_MARK_PREFIX } from '../core/placement-marks.js';
import type { CheckResult } from './check-result.js';
import type { CheckerDefinition, RunRecord } from './checker-definition.js';
import { PlacementSweep, type Stretch, type SweepResult } from './placement-sweep.js';

const NAME = 'placement';

/** The limits, from the protocol's options where it has them. */
export interface PlacementLimits {
  readonly replicasMin: number;
  readonly underReplicatedMaxUs: Micros;
  readonly failoverMaxUs: Micros;
}

const DEFAULT_LIMITS: PlacementLimits = {
  replicasMin: 2,
  underReplicatedMaxUs: 10_000 * US_PER_MS,
  failoverMaxUs: 30_000 * US_PER_MS,
};

interface PlacementEvidence {
  readonly problems: readonly string[];
  /** Per shard: time under-replicated in all, and without a primary, in µs. */
  readonly shards: readonly {
    readonly shard: number;
    readonly underReplicatedUs: Micros;
    readonly longestUnderUs: Micros;
    readonly withoutPrimaryUs: Micros;
  }[];
  readonly configurationsJudged: number;
  readonly configurationsUnjudged: number;
}

export const placementChecker: CheckerDefinition = {
  name: NAME,
  summary:
    'a replicated cluster never keeps a shard below its minimum live replicas, or without a primary, for longer than allowed, and never puts two replicas in one zone while another zone had room',
  appliesTo: 'clusters that mark their placement (the cluster protocol)',
  fits: () => undefined,
  byDefault: false,
  readsMarks: [PLACEMENT_MARK_PREFIX],
  check: (run) => [checkPlacement(run, limitsOf(run.protocolOptions))],
  details: (result) => {
    const e = result.evidence as PlacementEvidence | undefined;
    if (e === undefined) return [];
    const under = e.shards
      .filter((s) => s.underReplicatedUs > 0)
      .map((s) => `s${s.shard} ${formatDuration(s.underReplicatedUs)}`);
    const perShard =
      under.length > 0 ? [`  time under-replicated per shard: ${under.join(', ')}`] : [];
    return [...e.problems.map((p) => `  ${p}`), ...perShard];
  },
};

/** The limits a scenario's protocol options set, the defaults where they say nothing. */
export function limitsOf(options: unknown): PlacementLimits {
  const o = (options ?? {}) as Record<string, unknown>;
  const num = (k: string): number | undefined => (typeof o[k] === 'number' ? o[k] : undefined);
  const msOf = (k: string) => {
    const v = num(k);
    return v === undefined ? undefined : v * US_PER_MS;
  };
  return {
    replicasMin: num('replicasMin') ?? DEFAULT_LIMITS.replicasMin,
    underReplicatedMaxUs: msOf('underReplicatedMaxMs') ?? DEFAULT_LIMITS.underReplicatedMaxUs,
    failoverMaxUs: msOf('failoverMaxMs') ?? DEFAULT_LIMITS.failoverMaxUs,
  };
}

export function checkPlacement(
  run: Pick<RunRecord, 'timeline' | 'endUs'>,
  limits: PlacementLimits,
): CheckResult {
  const sweep = new PlacementSweep(limits.replicasMin, limits.underReplicatedMaxUs).run(
    run.timeline ?? [],
    run.endUs ?? 0,
  );
  if (sweep.facts === 0 || sweep.shards === 0)
    return {
      checker: NAME,
      verdict: 'unknown',
      summary: 'the run marked no cluster placement (no `cluster.` marks): nothing was checked',
    };
  const problems = [
    ...tooLong(
      sweep.underReplicated,
      limits.underReplicatedMaxUs,
      (s) => `s${s.shard} had fewer than ${limits.replicasMin} live replicas`,
    ),
    ...sweep.zoneProblems,
    ...tooLong(sweep.withoutPrimary, limits.failoverMaxUs, (s) => `s${s.shard} had no primary`),
  ];
  const evidence: PlacementEvidence = {
    problems: problems.slice(0, 20),
    shards: perShard(sweep),
    configurationsJudged: sweep.configurationsJudged,
    configurationsUnjudged: sweep.configurationsUnjudged,
  };
  if (problems.length > 0) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    return { checker: NAME, verdict: 'violation', summary: `${problems[0]}${more}`, evidence };
  }
  return { checker: NAME, verdict: 'ok', summary: okSummary(sweep, limits), evidence };
}

function tooLong(
  stretches: readonly Stretch[],
  maxUs: Micros,
  what: (s: Stretch) => string,
): string[] {
  return stretches
    .filter((s) => s.toUs - s.fromUs > maxUs)
    .map(
      (s) =>
        `${what(s)} for ${formatDuration(s.toUs - s.fromUs)} from ${formatDuration(s.fromUs)}, above the ${formatDuration(maxUs)} allowed`,
    );
}

function perShard(sweep: SweepResult): PlacementEvidence['shards'] {
  const out = new Map<number, { under: number; longest: number; noPrimary: number }>();
  const at = (shard: number) => {
    const v = out.get(shard) ?? { under: 0, longest: 0, noPrimary: 0 };
    out.set(shard, v);
    return v;
  };
  for (const s of sweep.underReplicated) {
    const v = at(s.shard);
    v.under += s.toUs - s.fromUs;
    v.longest = Math.max(v.longest, s.toUs - s.fromUs);
  }
  for (const s of sweep.withoutPrimary) at(s.shard).noPrimary += s.toUs - s.fromUs;
  return [...out]
    .sort(([a], [b]) => a - b)
    .map(([shard, v]) => ({
      shard,
      underReplicatedUs: v.under,
      longestUnderUs: v.longest,
      withoutPrimaryUs: v.noPrimary,
    }));
}

function okSummary(sweep: SweepResult, limits: PlacementLimits): string {
  const longest = (list: readonly Stretch[]) =>
    list.reduce((m, s) => Math.max(m, s.toUs - s.fromUs), 0);
  const unjudged =
    sweep.configurationsUnjudged > 0 ? ` (${sweep.configurationsUnjudged} without a proposal)` : '';
  return (
    `${sweep.shards} shards never below ${limits.replicasMin} live replicas longer than ` +
    `${formatDuration(limits.underReplicatedMaxUs)} (longest ${formatDuration(longest(sweep.underReplicated))}), ` +
    `${sweep.configurationsJudged} configurations spread over zones with room${unjudged}, ` +
    `never without a primary longer than ${formatDuration(limits.failoverMaxUs)} (longest ${formatDuration(longest(sweep.withoutPrimary))})`
  );
}
