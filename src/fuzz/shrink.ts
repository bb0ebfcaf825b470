/**
 * Shrinking a failing seed to a smaller scenario that fails the same way. The seed stays fixed;
 * what shrinks is the scenario: the faults that fired are materialized into an explicit
 * schedule (random nemeses removed), and fast-check searches over subsets of that schedule
 * (a list of keep/drop booleans, shrinking towards drop), a shorter faulty phase (in 100 ms
 * steps) and fewer clients. The property fast-check falsifies is "the run passes"; a candidate
 * that still fails with the original checker is a counterexample, and fast-check's own shrinker
 * walks to a locally smallest one.
 *
 * The first candidate, the whole materialized schedule, is run before anything shrinks: if it no
 * longer fails (materialization is not exact, see materialize.ts), the schedule is abandoned and
 * only phases and clients shrink, with the random nemeses kept. Candidates are scenario text
 * made from the original YAML with the `yaml` Document API, so what was tested is what is
 * written, comments and field order included. A budget (`runsMax`) bounds the simulations.
 *
 * fast-check's shrinker stops at a counterexample none of its own shrink steps improve, which
 * for a long keep-list can still hold many faults that do not matter (a Figure 8 schedule kept
 * 67 of 159). A last pass makes the schedule 1-minimal, as delta debugging does (Zeller &
 * Hildebrandt, TSE 2002): it drops each remaining fault in turn, keeps every drop after which
 * the run still fails, and repeats until a whole pass drops nothing or the budget is spent.
 */
import fc from 'fast-check';
import { isMap, parseDocument, type Document } from 'yaml';
import type { AnyProtocolDefinition } from '../core/protocol-definition.js';
import { durationText, formatDuration, type Micros } from '../core/time.js';
import type { RunResult } from '../run/run-result.js';
import { parseScenario, type Scenario, validateBugs } from '../scenario/index.js';
import type { FaultRecord } from '../sim/faults.js';
import { materializeFaults, type MaterializedFault } from './materialize.js';
import { runSeedAs } from '../run/swarm.js';

/** The faulty phase shrinks in steps of this much. */
const FAULTY_STEP_US: Micros = 100_000;

export interface ShrinkInput {
  /** The original scenario file's text and name (as the result names it). */
  readonly text: string;
  readonly file: string;
  readonly protocolModules?: ReadonlyMap<string, AnyProtocolDefinition>;
  readonly seed: number;
  /** Every bug the failing run had on. */
  readonly bugs: readonly string[];
  readonly swarm: boolean;
  /** The faults the failing run fired (result.json `faults`). */
  readonly faults: readonly FaultRecord[];
  /** The checker whose violation must persist. */
  readonly checker: string;
  /** At most this many simulations. */
  readonly runsMax: number;
}

export interface ShrinkOutcome {
  /** `schedule`: the materialized schedule shrank; `phases`: it did not reproduce, so only phases and clients did. */
  readonly mode: 'schedule' | 'phases';
  readonly faultsBefore: readonly MaterializedFault[];
  /** The schedule left (mode `schedule`), or the faults the smallest run fired (mode `phases`). */
  readonly faultsAfter: readonly MaterializedFault[];
  readonly faultyUsBefore: Micros;
  readonly faultyUsAfter: Micros;
  readonly clientsBefore: number | undefined;
  readonly clientsAfter: number | undefined;
  /** Simulations run, and whether the budget ran out before fast-check was done. */
  readonly runs: number;
  readonly budgetSpent: boolean;
  /** The smallest failing scenario, as a YAML document derived from the original text. */
  readonly document: Document;
  readonly result: RunResult;
}

type Candidate = readonly [faultySteps: number, keep: readonly boolean[], clients: number];

export class ShrinkError extends Error {}

export function shrinkFailure(input: ShrinkInput): ShrinkOutcome {
  const original = parseDocument(input.text);
  const base = parse(input.text, input);
  const faultyUsBefore = base.phases.faultyUs;
  const clientsBefore = base.clients?.count;
  const materialized = materializeFaults(input.faults, base.nodes, base.registry.faults);
  if (materialized.skipped > 0) {
    throw new ShrinkError(
      `${input.file}: ${materialized.skipped} fault records name no fault kind this faultline knows, or facts it cannot read; rerun the seed and shrink the new result`,
    );
  }
  const faultsBefore = materialized.faults;
  const stepsMax = Math.ceil(faultyUsBefore / FAULTY_STEP_US);

  let runs = 0;
  let budgetSpent = false;
  const cache = new Map<string, RunResult | undefined>();
  /** The run of a candidate's text, or undefined when it passes (or the budget is spent). */
  const failing = (text: string): RunResult | undefined => {
    if (cache.has(text)) return cache.get(text);
    if (runs >= input.runsMax) {
      budgetSpent = true;
      return undefined;
    }
    runs++;
    const { result } = runSeedAs(input.swarm, parse(text, input), input.seed, { bugs: input.bugs });
    const fails = result.checks.some(
      (c) => c.checker === input.checker && c.verdict === 'violation',
    );
    cache.set(text, fails ? result : undefined);
    return fails ? result : undefined;
  };

  const build = (
    mode: ShrinkOutcome['mode'],
    c: Candidate,
  ): { doc: Document; kept: MaterializedFault[] } => {
    const doc = original.clone();
    const faultyUs = Math.min(faultyUsBefore, c[0] * FAULTY_STEP_US);
    // Entries past a shortened faulty phase would strike in the healed phase: drop them.
    const kept =
      mode === 'schedule'
        ? faultsBefore.filter(
            (f, i) => c[1][i] === true && (faultyUs === faultyUsBefore || f.atUs < faultyUs),
          )
        : [];
    // A scenario may have no faults: section at all; then there is nothing to delete or write.
    if (mode === 'schedule' && (doc.has('faults') || kept.length > 0)) {
      if (doc.hasIn(['faults', 'random'])) doc.deleteIn(['faults', 'random']);
      const seq = doc.createNode(kept.map((f) => f.entry));
      for (const item of seq.items) if (isMap(item)) item.flow = true;
      doc.setIn(['faults', 'schedule'], seq);
    }
    if (faultyUs !== faultyUsBefore) doc.setIn(['phases', 'faulty'], durationText(faultyUs));
    if (clientsBefore !== undefined && c[2] !== clientsBefore)
      doc.setIn(['workload', 'clients'], c[2]);
    return { doc, kept };
  };

  const fullSchedule: Candidate = [stepsMax, faultsBefore.map(() => true), clientsBefore ?? 1];
  let mode: ShrinkOutcome['mode'] = 'schedule';
  if (failing(yamlText(build('schedule', fullSchedule).doc)) === undefined) {
    mode = 'phases';
    if (failing(yamlText(build('phases', fullSchedule).doc)) === undefined) {
      throw new ShrinkError(
        `seed ${input.seed} no longer fails the ${input.checker} checker on ${input.file} (the scenario or the code changed since the result was written)`,
      );
    }
  }

  const keepArb = fc.array(fc.boolean(), {
    minLength: fullSchedule[1].length,
    maxLength: fullSchedule[1].length,
  });
  const arb = fc.tuple(
    fc.integer({ min: 1, max: stepsMax }),
    mode === 'schedule' ? keepArb : fc.constant(fullSchedule[1]),
    fc.integer({ min: 1, max: clientsBefore ?? 1 }),
  );
  const details = fc.check(
    fc.property(arb, (c) => failing(yamlText(build(mode, c).doc)) === undefined),
    { numRuns: 1, examples: [[fullSchedule]], seed: input.seed | 0, endOnFailure: false },
  );
  let smallest: Candidate =
    (details.failed ? details.counterexample?.[0] : undefined) ?? fullSchedule;
  if (mode === 'schedule')
    smallest = oneMinimal(
      smallest,
      (c) => failing(yamlText(build(mode, c).doc)) !== undefined,
      () => runs >= input.runsMax,
    );
  const { doc, kept } = build(mode, smallest);
  const result = failing(yamlText(doc)) as RunResult;
  return {
    mode,
    faultsBefore,
    faultsAfter:
      mode === 'schedule'
        ? kept
        : materializeFaults(result.faults, base.nodes, base.registry.faults).faults,
    faultyUsBefore,
    faultyUsAfter: Math.min(faultyUsBefore, smallest[0] * FAULTY_STEP_US),
    clientsBefore,
    clientsAfter: clientsBefore === undefined ? undefined : smallest[2],
    runs,
    budgetSpent,
    document: doc,
    result,
  };
}

/**
 * Drops kept faults one at a time, last first (a late fault is the likeliest to be beside the
 * point), keeping each drop that still fails; passes repeat until one drops nothing.
 */
function oneMinimal(
  start: Candidate,
  fails: (c: Candidate) => boolean,
  spent: () => boolean,
): Candidate {
  let best = start;
  for (let changed = true; changed && !spent(); ) {
    changed = false;
    for (let i = best[1].length - 1; i >= 0 && !spent(); i--) {
      if (best[1][i] !== true) continue;
      const keep = [...best[1]];
      keep[i] = false;
      const candidate: Candidate = [best[0], keep, best[2]];
      if (fails(candidate)) {
        best = candidate;
        changed = true;
      }
    }
  }
  return best;
}

/** Long lines stay long, as the author wrote them; a schedule entry is one flow line. */
export const yamlText = (doc: Document): string => doc.toString({ lineWidth: 0 });

function parse(text: string, input: ShrinkInput): Scenario {
  const parsed = parseScenario(
    text,
    input.file,
    input.protocolModules ? { protocolModules: input.protocolModules } : {},
  );
  if (!parsed.ok)
    throw new ShrinkError(
      `${input.file}: a shrink candidate does not parse: ${parsed.errors.map((e) => `${e.line}:${e.column} ${e.path}: ${e.message}`).join('; ')}`,
    );
  const bad = validateBugs(parsed.scenario, input.bugs);
  if (bad !== undefined) throw new ShrinkError(`bugs: ${bad}`);
  return parsed.scenario;
}

/** Readable lines: `N faults → M faults`, the phase and clients, and the schedule left, one per line. */
export function shrinkSummary(o: ShrinkOutcome): string[] {
  const lines = [
    o.mode === 'schedule'
      ? `${faults(o.faultsBefore.length)} → ${faults(o.faultsAfter.length)}`
      : `the materialized schedule did not reproduce the failure; kept the random nemeses and shrank phases and clients only (${faults(o.faultsAfter.length)} fired)`,
    `faulty phase ${formatDuration(o.faultyUsBefore)} → ${formatDuration(o.faultyUsAfter)}`,
  ];
  if (o.clientsBefore !== undefined) lines.push(`clients ${o.clientsBefore} → ${o.clientsAfter}`);
  lines.push(
    `${o.runs} runs${o.budgetSpent ? ' (budget spent: raise --runs to shrink further)' : ''}`,
  );
  lines.push(o.mode === 'schedule' ? 'schedule:' : 'faults fired:');
  for (const f of o.faultsAfter) lines.push(`  ${f.text}`);
  return lines;
}

const faults = (n: number): string => `${n} fault${n === 1 ? '' : 's'}`;
