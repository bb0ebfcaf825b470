/**
 * The extension axes, end to end: a protocol, a workload, a checker and a fault kind defined only
 * in this folder (toy-register.ts, toy-writes.ts, last-write-survives.ts, wipe.ts) join the
 * built-ins through one `extendRegistry` call, and a scenario names them like any other. Nothing
 * under src/ knows they exist: if this passes, each axis is a module plus a registry line.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { materializeFaults } from '../../src/fuzz/materialize.js';
import { runSeed } from '../../src/run/run-seed.js';
import {
  BUILTINS,
  extendRegistry,
  parseScenario,
  scenarioJsonSchema,
  type Scenario,
} from '../../src/scenario/index.js';
import { lastWriteSurvives } from './last-write-survives.js';
import { toyRegister } from './toy-register.js';
import { toyWrites } from './toy-writes.js';
import { wipeFault } from './wipe.js';

const registry = extendRegistry(BUILTINS, {
  protocols: [toyRegister],
  workloads: [toyWrites],
  checkers: [lastWriteSurvives],
  faults: [wipeFault],
});

const FILE = 'test/extension/toy.yaml';
const TEXT = readFileSync(FILE, 'utf8');

function parse(text: string): Scenario {
  const parsed = parseScenario(text, FILE, { registry });
  if (!parsed.ok)
    throw new Error(
      parsed.errors.map((e) => `${e.line}:${e.column} ${e.path}: ${e.message}`).join('\n'),
    );
  return parsed.scenario;
}

const verdicts = (scenario: Scenario, seed: number, bugs: string[] = []) =>
  Object.fromEntries(
    runSeed(scenario, seed, { bugs }).result.checks.map((c) => [c.checker, c.verdict]),
  );

describe('a test-only protocol, workload, checker and fault kind', () => {
  it('are unknown to the built-in registry, and known to the extended one', () => {
    expect(parseScenario(TEXT, FILE).ok).toBe(false);
    const s = parse(TEXT);
    expect(s.protocol.name).toBe('toy-register');
    expect(s.workload.definition.name).toBe('toy-writes');
    expect(s.checkers.map((c) => c.name)).toEqual([
      'last-write-survives',
      'linearizability',
      'liveness',
      'invariants',
    ]);
  });

  it('run clean with crashes of the keeper: every checker ran, the workload measured its writes', () => {
    const s = parse(TEXT);
    for (let seed = 1; seed <= 5; seed++) {
      const { result } = runSeed(s, seed);
      expect(
        result.checks.filter((c) => c.verdict !== 'ok').map((c) => `${c.checker}: ${c.summary}`),
      ).toEqual([]);
      expect(result.faults.some((f) => f.action === 'crash' && f.detail === 'n1')).toBe(true);
      expect(result.metrics.writeLatency?.label).toBe('write latency');
      expect(result.metrics.writeLatency?.count).toBeGreaterThan(0);
    }
  });

  it('its named bug is caught by linearizability, through the model the workload names', () => {
    const s = parse(TEXT);
    const bug = ['toy-register.ack-before-fsync'];
    const caught = [1, 2, 3, 4, 5, 6, 7, 8].filter(
      (seed) => verdicts(s, seed, bug).linearizability === 'violation',
    );
    expect(caught.length).toBeGreaterThan(0);
    for (const seed of caught) expect(verdicts(s, seed).linearizability).toBe('ok');
  });

  it('the new fault kind strikes a role’s holder from the schedule, and the new checker names the lost write', () => {
    // The clients stop after 20 operations each, long before the wipe: nothing overwrites it.
    const text = TEXT.replace('think: 2ms', 'think: 2ms, opsPerClientMax: 20').replace(
      /faults:\n(.*\n)+?phases/,
      'faults:\n  schedule:\n    - { at: 1s, wipe: role:keeper, for: 50ms }\nphases',
    );
    const { result } = runSeed(parse(text), 1);
    expect(result.faults.filter((f) => f.action !== 'phase').map((f) => f.detail)).toEqual([
      'n1 disk wiped',
      'n1 rejoins empty',
    ]);
    const finding = result.checks.find((c) => c.checker === 'last-write-survives');
    expect(finding?.verdict).toBe('violation');
    expect(finding?.summary).toMatch(/^read\(\) -> nil after write\(\d+\) was acknowledged/);
  });

  it('its records materialize back into schedule entries, and a nemesis of it parses', () => {
    const text = TEXT.replace('kind: crash', 'kind: wipe');
    const { result } = runSeed(parse(text), 2);
    const m = materializeFaults(result.faults, 3, registry.faults);
    expect(m.skipped).toBe(0);
    expect(m.faults.length).toBeGreaterThan(0);
    expect(m.faults[0]?.entry).toMatchObject({ wipe: 'n1' });
    const replayed = TEXT.replace(
      /faults:\n(.*\n)+?phases/,
      `faults:\n  schedule:\n${m.faults.map((f) => `    - ${JSON.stringify(f.entry)}`).join('\n')}\nphases`,
    );
    expect(parse(replayed).faults.schedule.length).toBe(m.faults.length);
  });

  it('get positioned errors and appear in the JSON Schema like built-ins', () => {
    const bad = parseScenario(
      TEXT.replace('writes: 3', 'writez: 3').replace('role:keeper', 'role:leader'),
      FILE,
      { registry },
    );
    expect(bad.ok).toBe(false);
    const errors = bad.ok ? [] : bad.errors.map((e) => `${e.line} ${e.path}: ${e.message}`);
    expect(errors).toEqual([
      expect.stringMatching(/^6 workload\.writez: unknown field writez \(did you mean writes\?\)/),
    ]);
    const roleError = parseScenario(TEXT.replace('role:keeper', 'role:leader'), FILE, { registry });
    expect(roleError.ok ? [] : roleError.errors.map((e) => e.message)).toEqual([
      'unknown role "leader": the protocol has roles keeper',
    ]);
    const schema = scenarioJsonSchema(registry) as { $defs: Record<string, unknown> };
    expect(Object.keys(schema.$defs)).toContain('workload-toy-writes');
    expect(JSON.stringify(schema)).toContain('wipe a node’s disk; with for, it rejoins after');
  });
});
