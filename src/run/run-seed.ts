/**
 * One seed of one scenario, start to verdict: build the world, run it, judge what clients saw.
 * Pure with respect to its inputs: the same scenario text, seed and bugs give the same result
 * and trace hash in any process or worker thread.
 */
import { AssertionError } from '../core/assert.js';
import { type ClientSides, countBySide } from '../core/client-sides.js';
import type { History } from '../core/history.js';
import { combineVerdicts, type CheckResult } from '../checkers/check-result.js';
import type { CheckerDefinition, RunRecord } from '../checkers/checker-definition.js';
import { assertions, invariantsChecker } from '../checkers/invariants.js';
import type { Restore } from '../checkers/crash-consistency-restore.js';
import type { FaultRecord } from '../sim/faults.js';
import type { Scenario } from '../scenario/index.js';
import { buildWorldConfig } from '../scenario/index.js';
import type { TraceSink } from '../sim/trace-recorder.js';
import { World, type WorldResult } from '../sim/world.js';
import { RESULT_SCHEMA_VERSION, type RunResult } from './run-result.js';

export interface SeedRun {
  readonly result: RunResult;
  readonly history: History;
  /** Where each placed client stood over time; absent when clients are not placed. */
  readonly clientSides?: ClientSides;
}

export interface RunSeedOptions {
  /** Bugs switched on beyond the scenario's own. */
  readonly bugs?: readonly string[];
  readonly trace?: TraceSink;
}

export function runSeed(scenario: Scenario, seed: number, options: RunSeedOptions = {}): SeedRun {
  const bugs = [...new Set([...scenario.bugs, ...(options.bugs ?? [])])].sort();
  const config = buildWorldConfig(scenario, seed, {
    bugs,
    ...(options.trace ? { trace: options.trace } : {}),
  });
  const world = new World(config);
  let outcome: WorldResult | undefined;
  let error: string | undefined;
  try {
    outcome = world.run();
  } catch (e) {
    // A protocol assertion or exception is a finding of this seed, not a crash of the tool.
    error =
      e instanceof AssertionError
        ? `assertion failed: ${e.message}`
        : `protocol error: ${e instanceof Error ? e.message : String(e)}`;
  }
  const partial = outcome ?? partialResult(world);
  const record: RunRecord = {
    history: partial.history,
    model: scenario.workload.definition.model,
    formatOp: (op) => scenario.workload.definition.formatOp(op),
    finalOpsTotal: config.clients?.workload.finalOps().length ?? 0,
    finalOpsIncomplete: partial.finalOpsIncomplete,
    observed: partial.observed,
    error,
    ...(partial.replicas !== undefined ? { replicas: partial.replicas } : {}),
    healedAtUs: config.phases.faultyUs,
    protocolOptions: scenario.options,
    crashesUs: partial.faults.filter((f) => f.action === 'crash').map((f) => f.t),
    restores: restoresOf(partial.faults),
    ...(partial.clientSides !== undefined ? { clientSides: partial.clientSides } : {}),
    timeline: partial.timeline,
    endUs: partial.endUs,
  };
  const checks = judge(scenario.checkers, record).map((c) => cutShort(c, partial.status));
  const ops: Record<string, number> = {};
  for (const op of partial.history)
    ops[`${op.f}:${op.outcome}`] = (ops[`${op.f}:${op.outcome}`] ?? 0) + 1;
  const result: RunResult = {
    schemaVersion: RESULT_SCHEMA_VERSION,
    tool: 'faultline',
    scenario: { file: scenario.file, name: scenario.name, contentHash: scenario.contentHash },
    seed,
    bugs,
    ...(scenario.optionOverrides === undefined ? {} : { options: scenario.optionOverrides }),
    verdict: combineVerdicts(checks),
    status: error !== undefined ? 'error' : partial.status,
    endUs: partial.endUs,
    events: partial.events,
    traceHash: partial.traceHash,
    checks,
    metrics: { ...partial.metrics, ...scenario.workload.definition.metrics?.(partial.history) },
    stats: {
      ops: sortKeys(ops),
      network: { ...partial.network },
      marks: partial.marks,
      disk: partial.disk,
      ...(partial.clientSides !== undefined
        ? { sides: countBySide(partial.clientSides, partial.history) }
        : {}),
    },
    faults: partial.faults,
    ...(error !== undefined ? { error } : {}),
  };
  return {
    result,
    history: partial.history,
    ...(partial.clientSides !== undefined ? { clientSides: partial.clientSides } : {}),
  };
}

/**
 * Every checker the scenario names, in order; a run a protocol error cut short is judged only by
 * the checkers that judge such runs, and that error is always reported, named or not.
 */
function judge(checkers: readonly CheckerDefinition[], run: RunRecord): CheckResult[] {
  const checks: CheckResult[] = [];
  for (const checker of checkers) {
    if (run.error !== undefined && checker.judgesFailedRuns !== true) continue;
    checks.push(...checker.check(run));
  }
  if (run.error !== undefined && !checkers.includes(invariantsChecker)) {
    checks.push(assertions(run.error));
  }
  return checks;
}

/** The statuses of a run a limit ended, with the scenario field that sets the limit. */
const LIMIT_FIELDS: Readonly<Record<string, string>> = {
  'event-limit': 'limits.events',
  'time-limit': 'limits.virtualTime',
  'pending-events-limit': 'limits.pendingEvents',
  'history-ops-limit': 'limits.historyOps',
  'history-bytes-limit': 'limits.historyBytes',
  'fault-records-limit': 'limits.faultRecords',
};

/**
 * A run a limit ended before its final reads were done cannot say whether the cluster would
 * have served them: its liveness is unknown (a budget ran out), neither a violation nor, since
 * reads that never started count as none incomplete, an ok.
 */
function cutShort(check: CheckResult, status: string): CheckResult {
  const field = LIMIT_FIELDS[status];
  if (field === undefined || check.checker !== 'liveness') return check;
  return {
    checker: check.checker,
    verdict: 'unknown',
    summary: `the run reached ${field} (${status}) before the final phase ended, so the final reads could not be judged`,
  };
}

function partialResult(world: World): WorldResult {
  return world.snapshot('error');
}

function sortKeys(o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** The restores that ran, with the point each vouches for (faults/backup.ts records them). */
function restoresOf(faults: readonly FaultRecord[]): Restore[] {
  const out: Restore[] = [];
  for (const f of faults) {
    const { node, pointUs } = f.data ?? {};
    if (f.action === 'restore' && typeof node === 'string' && typeof pointUs === 'number')
      out.push({ node, atUs: f.t, pointUs });
  }
  return out;
}
