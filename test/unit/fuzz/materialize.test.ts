/**
 * Materializing a fault log into a schedule: faults pair with the inverse the log shows, a
 * whole-cluster crash becomes `crash: all`, and the entries are valid scenario entries. On real
 * seeds, the materialized schedule reproduces the failing run.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runSeed } from '../../../src/fuzz/run-seed.js';
import { materializeFaults } from '../../../src/fuzz/materialize.js';
import { shrinkFailure } from '../../../src/fuzz/shrink.js';
import { parseScenario } from '../../../src/scenario/index.js';

const rec = (t: number, action: string, detail: string) => ({ t, action, detail });

describe('materializeFaults', () => {
  it('pairs faults with their inverses and keeps lone inverses as entries', () => {
    const m = materializeFaults(
      [
        rec(1_000_000, 'crash', 'n2'),
        rec(1_250_000, 'partition', 'n1 | n2 n3'),
        rec(1_300_000, 'restart', 'n2'),
        rec(1_400_000, 'partition', 'n3 -/-> n1 n2'),
        rec(1_900_000, 'heal', 'network healed'),
        rec(2_000_000, 'clog', 'n1 for 200000us'),
        rec(2_100_000, 'skew', 'n3 clock -1500us'),
        rec(2_200_000, 'unskew', 'n3 clock restored'),
        rec(2_500_000, 'pause', 'n1'),
        rec(6_000_000, 'phase', 'healed: …'),
      ],
      3,
    );
    expect(m.map((f) => f.entry)).toEqual([
      { at: '1s', crash: 'n2', for: '300ms' },
      { at: '1250ms', partition: [['n1'], ['n2', 'n3']] },
      { at: '1400ms', partition: [['n3'], ['n1', 'n2']], oneWay: true, for: '500ms' },
      { at: '2s', clog: 'n1', for: '200ms' },
      { at: '2100ms', skew: 'n3', by: '-1500us', for: '100ms' },
      { at: '2500ms', pause: 'n1' },
    ]);
    expect(m[0]!.text).toBe('1s crash n2 for 300ms');
    expect(m.every((f) => f.exact)).toBe(true);
  });

  it('turns a crash of every node at one instant into crash: all, and marks redrawn shapes inexact', () => {
    const m = materializeFaults(
      [rec(5, 'crash', 'n1'), rec(5, 'crash', 'n2'), rec(5, 'crash', 'n3'), rec(9, 'restart', 'n1'), rec(9, 'restart', 'n2'), rec(9, 'restart', 'n3'), rec(20, 'partition', 'n1 | n2 (bridge) | n3')],
      3,
    );
    expect(m.map((f) => f.entry)).toEqual([{ at: '5us', crash: 'all', for: '4us' }, { at: '20us', partition: 'bridge' }]);
    expect(m[1]!.exact).toBe(false);
  });
});

describe('shrinkFailure', () => {
  it('shrinks a failing seed of pb-async-crash to fewer faults that still fail the same checker', () => {
    const file = 'scenarios/fast/pb-async-crash.yaml';
    const text = readFileSync(file, 'utf8');
    const parsed = parseScenario(text, file);
    if (!parsed.ok) throw new Error('scenario');
    const { result } = runSeed(parsed.scenario, 3);
    expect(result.verdict).toBe('invalid');
    const o = shrinkFailure({ text, file, seed: 3, bugs: [], swarm: false, faults: result.faults, checker: 'durability', runsMax: 60 });
    expect(o.mode).toBe('schedule');
    expect(o.faultsAfter.length).toBeLessThan(o.faultsBefore.length);
    expect(o.result.checks.find((c) => c.checker === 'durability')?.verdict).toBe('violation');
    expect(o.runs).toBeLessThanOrEqual(60);
    // What was tested is what would be written: the document parses and fails the same way.
    const again = parseScenario(o.document.toString({ lineWidth: 0 }), file);
    if (!again.ok) throw new Error(JSON.stringify(again.errors));
    expect(again.scenario.faults.nemeses).toEqual([]);
    expect(runSeed(again.scenario, 3).result.traceHash).toBe(o.result.traceHash);
    // Comments survive.
    expect(o.document.toString()).toContain('yaml-language-server');
  });
});
