/**
 * The compact form of a seed's result that crosses from worker threads to the main thread and
 * into multi-seed JSON output: verdict, trace hash and one line per checker, no history.
 */
import type { RunResult } from '../run/run-result.js';

export interface SeedSummary {
  readonly seed: number;
  readonly verdict: RunResult['verdict'];
  readonly traceHash: string;
  readonly events: number;
  readonly endUs: number;
  readonly checks: readonly {
    readonly checker: string;
    readonly verdict: string;
    readonly summary: string;
  }[];
  readonly metrics: RunResult['metrics'];
  readonly error?: string;
  /** With swarm testing: the nemesis kinds this seed ran. */
  readonly swarm?: RunResult['swarm'];
  /** With --check-determinism: the second run's hash. */
  readonly secondHash?: string;
}

export function summarizeResult(r: RunResult, secondHash?: string): SeedSummary {
  return {
    seed: r.seed,
    verdict: r.verdict,
    traceHash: r.traceHash,
    events: r.events,
    endUs: r.endUs,
    checks: r.checks.map((c) => ({ checker: c.checker, verdict: c.verdict, summary: c.summary })),
    metrics: r.metrics,
    ...(r.error !== undefined ? { error: r.error } : {}),
    ...(r.swarm !== undefined ? { swarm: r.swarm } : {}),
    ...(secondHash !== undefined ? { secondHash } : {}),
  };
}
