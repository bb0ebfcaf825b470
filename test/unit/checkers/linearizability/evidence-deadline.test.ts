/**
 * Evidence under a deadline, with a clock that cannot flake: time here is the number of model
 * steps taken, so "the deadline came" happens at the same step on every run. Once the clock says
 * stop, evidence runs no more trial searches (a running one stops within a few configurations),
 * keeps only what it has proven (at worst the whole history, which the verdict proves), and says
 * what it left out; what it does claim still holds.
 */
import { describe, expect, it } from 'vitest';
import { checkLinearizable } from '../../../../src/checkers/linearizability/check.js';
import { cutHistory } from '../../../../src/checkers/linearizability/evidence.js';
import { parseJepsenEtcd } from '../../../../src/checkers/linearizability/formats/index.js';
import { findModel } from '../../../../src/checkers/linearizability/models/index.js';
import type { AnyModel, LinOp } from '../../../../src/checkers/linearizability/types.js';
import { generateCas } from '../../../support/hard-histories.js';

const base = findModel('cas-register')!;
const parsed = parseJepsenEtcd(generateCas(12, { flaw: 'never-written' }).text);
if (!parsed.ok) throw new Error('the generated history does not parse');
const ops = parsed.ops as LinOp[];

/** The model, with a clock that advances one tick per step. */
function clocked(): { model: AnyModel; now: () => number } {
  let ticks = 0;
  const model: AnyModel = {
    ...base,
    step: (s, i, o, u) => {
      ticks++;
      return base.step(s, i, o, u);
    },
  };
  return { model, now: () => ticks };
}

/** Ticks a check takes with evidence at `level`, and at most `limit` ticks allowed. */
function run(evidence: false | 'default' | 'full', limit = Infinity) {
  const { model, now } = clocked();
  const r = checkLinearizable(ops, model, { evidence, shouldStop: () => now() > limit });
  return { r, ticks: now() };
}

const fails = (known: readonly number[], cut: number) =>
  checkLinearizable(cutHistory(ops, new Set(known), cut), base, { evidence: false }).verdict;

describe('evidence under a deadline', () => {
  const search = run(false).ticks;
  const full = run('full');

  it('with time to spare, narrows the prefix and the window to the smallest', () => {
    const ev = full.r.evidence!;
    expect(ev.prefixMinimal).toBe(true);
    expect(ev.windowMinimal).toBe(true);
    expect(ev.omitted).toEqual([]);
    expect(full.ticks).toBeGreaterThan(search);
  });

  it('when the deadline comes with the verdict, runs no trial and claims only the whole history', () => {
    const { r, ticks } = run('full', search - 1);
    expect(r.verdict).toBe('violation');
    const ev = r.evidence!;
    expect(ev.trials).toBe(0);
    expect(ticks).toBe(search);
    expect(ev.prefixMinimal).toBe(false);
    expect(ev.omitted.join(' ')).toContain('the deadline came first');
    expect(ev.prefix).toHaveLength(ops.filter((o) => !o.unknown).length);
    expect(fails(ev.windowIds, ev.cut)).toBe('violation');
  });

  it('when the deadline comes during the evidence, stops within a tenth of what it had left', () => {
    const spare = full.ticks - search;
    const limit = search + Math.floor(spare / 3);
    const { r, ticks } = run('full', limit);
    const ev = r.evidence!;
    expect(ticks - limit).toBeLessThanOrEqual(spare / 10);
    expect(ev.omitted.join(' ')).toContain('the deadline came first');
    expect(fails(ev.prefix, ev.cut)).toBe('violation');
    expect(fails(ev.windowIds, ev.cut)).toBe('violation');
    expect(ev.windowIds).toContain(ev.culprit.id);
  });
});
