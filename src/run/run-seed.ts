/**
 * One seed of one scenario, start to verdict: build the world, run it, judge what clients saw.
 * Pure with respect to its inputs: the same scenario text, seed and bugs give the same result
 * and trace hash in any process or worker thread.
 */
import { AssertionError } from '../core/assert.js';
import type { History } from '../core/history.js';
import type { ObservedProperty } from '../core/protocol.js';
import { formatDuration } from '../core/time.js';
import { combineVerdicts, type CheckResult } from '../checkers/check-result.js';
import { checkDurability } from '../checkers/durability.js';
import { checkLiveness } from '../checkers/liveness.js';
import { checkRunLinearizable } from '../checkers/linearizability/run-check.js';
import type { Scenario } from '../scenario/index.js';
import { buildWorldConfig } from '../scenario/index.js';
import type { TraceSink } from '../sim/trace-recorder.js';
import { World, type WorldResult } from '../sim/world.js';
import { RESULT_SCHEMA_VERSION, type RunResult } from './run-result.js';

export interface SeedRun {
  readonly result: RunResult;
  readonly history: History;
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
  const checks: CheckResult[] = [];
  for (const name of scenario.checkers) {
    switch (name) {
      case 'durability':
        if (error === undefined) checks.push(checkDurability(partial.history));
        break;
      case 'linearizability':
        if (error === undefined) checks.push(checkRunLinearizable(partial.history));
        break;
      case 'liveness':
        if (error === undefined)
          checks.push(
            checkLiveness(partial.finalOpsIncomplete, config.workload?.finalOps().length ?? 0),
          );
        break;
      case 'invariants':
        checks.push(
          error === undefined
            ? { checker: 'invariants', verdict: 'ok', summary: 'no assertion fired' }
            : { checker: 'invariants', verdict: 'violation', summary: error },
        );
        for (const p of partial.observed) checks.push(observedCheck(p));
        break;
    }
  }
  if (error !== undefined && !scenario.checkers.includes('invariants'))
    checks.push({ checker: 'invariants', verdict: 'violation', summary: error });
  const ops: Record<string, number> = {};
  for (const op of partial.history)
    ops[`${op.f}:${op.outcome}`] = (ops[`${op.f}:${op.outcome}`] ?? 0) + 1;
  const result: RunResult = {
    schemaVersion: RESULT_SCHEMA_VERSION,
    tool: 'faultline',
    scenario: { file: scenario.file, name: scenario.name, contentHash: scenario.contentHash },
    seed,
    bugs,
    verdict: combineVerdicts(checks),
    status: error !== undefined ? 'error' : partial.status,
    endUs: partial.endUs,
    events: partial.events,
    traceHash: partial.traceHash,
    checks,
    metrics: partial.metrics,
    stats: {
      ops: sortKeys(ops),
      network: { ...partial.network },
      marks: partial.marks,
      disk: partial.disk,
    },
    faults: partial.faults,
    ...(error !== undefined ? { error } : {}),
  };
  return { result, history: partial.history };
}

/** A protocol observer's property as a check: each is reported under its own name. */
function observedCheck(p: ObservedProperty): CheckResult {
  if (p.violation !== undefined) {
    const v = p.violation;
    return {
      checker: p.name,
      verdict: 'violation',
      summary: `${v.node} at ${formatDuration(v.atUs)}: ${v.message}`,
      evidence: v,
    };
  }
  return { checker: p.name, verdict: 'ok', summary: `held at ${p.checks} checks` };
}

function partialResult(world: World): WorldResult {
  return world.snapshot('error');
}

function sortKeys(o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
}
