/**
 * Scenario text a person would never write on purpose, and values no run can mean: each is a
 * located error with a bound the message names, found quickly, never a crash, a stack overflow
 * or seconds of work. And the other side: values that merely make a run likely to fail (heavy
 * loss, a short final phase) stay legal, since finding such failures is the point.
 */
import { describe, expect, it } from 'vitest';
import { COUNT_MAX, DURATION_US_MAX } from '../../../src/options/units.js';
import { SCENARIO_NESTING_MAX } from '../../../src/scenario/scenario-text.js';
import {
  formatScenarioError,
  parseScenario,
  type ScenarioError,
  scenarioJsonSchema,
} from '../../../src/scenario/index.js';

const BASE = 'protocol: raft\n';

function errorsOf(text: string, file = 's.yaml'): readonly ScenarioError[] {
  const r = parseScenario(text, file);
  if (r.ok) throw new Error('expected errors, the scenario parsed');
  return r.errors;
}

function lines(text: string): string[] {
  return errorsOf(text).map(formatScenarioError);
}

function expectValid(text: string): void {
  const r = parseScenario(text, 's.yaml');
  if (!r.ok) throw new Error(r.errors.map(formatScenarioError).join('\n'));
}

/** Milliseconds `f` took (the parser is synchronous). */
function timed<T>(f: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = f();
  return { value, ms: performance.now() - t0 };
}

describe('names (item 4)', () => {
  it('a 300-character name is an error that says how long a name may be', () => {
    expect(lines(`name: ${'a'.repeat(300)}\n${BASE}`)).toEqual([
      's.yaml:1:7 name: expected at most 100 characters (it names the report folder), got 300',
    ]);
  });

  it('a name of 100 characters is fine', () => {
    expectValid(`name: ${'a'.repeat(100)}\n${BASE}`);
  });

  it('a name taken from a long or odd file name is cut to a safe folder name', () => {
    const file = `dir/${'x'.repeat(300)} with spaces & ünïcode.yaml`;
    const r = parseScenario(BASE, file);
    if (!r.ok) throw new Error(r.errors.map(formatScenarioError).join('\n'));
    expect(r.scenario.name).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/);
  });
});

describe('nesting depth (item 5)', () => {
  const deepJson = (depth: number) =>
    `{"protocol":"raft","options":{"x":${'['.repeat(depth)}${']'.repeat(depth)}}}`;

  it('JSON nested 10,000 deep is one error naming the limit, found fast', () => {
    const { value, ms } = timed(() => lines(deepJson(10_000)));
    expect(value).toEqual([
      's.yaml:1:65 the document nests deeper than 32 levels (SCENARIO_NESTING_MAX); scenarios need fewer than 10',
    ]);
    expect(ms).toBeLessThan(1000);
  });

  it('YAML nested 10,000 deep in flow style is the same error', () => {
    const es = lines(`${BASE}options:\n  x: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`);
    expect(es).toEqual([
      's.yaml:3:38 the document nests deeper than 32 levels (SCENARIO_NESTING_MAX); scenarios need fewer than 10',
    ]);
  });

  it('YAML nested 1,000 deep by indentation is the same error, at the 33rd level', () => {
    let text = `${BASE}options:\n`;
    for (let i = 1; i <= 1_000; i++) text += `${' '.repeat(i)}k${i}:\n`;
    expect(lines(text)).toEqual([
      's.yaml:34:33 the document nests deeper than 32 levels (SCENARIO_NESTING_MAX); scenarios need fewer than 10',
    ]);
  });

  it('a block sequence nested 10,000 deep on one line is the same error', () => {
    const es = lines(`${BASE}options:\n  x:\n    ${'- '.repeat(10_000)}1\n`);
    expect(es).toHaveLength(1);
    expect(es[0]).toMatch(/the document nests deeper than 32 levels \(SCENARIO_NESTING_MAX\)/);
  });

  it('32 levels are fine as far as depth goes, 33 are not', () => {
    // The top mapping and options are two levels; the rest are brackets.
    expect(lines(deepJson(SCENARIO_NESTING_MAX - 3)).join('\n')).not.toMatch(/nests deeper/);
    expect(lines(deepJson(SCENARIO_NESTING_MAX - 1)).join('\n')).toMatch(/nests deeper/);
  });

  it('brackets in quoted text and block scalars are not nesting', () => {
    expectValid(
      `${BASE}description: "${'['.repeat(200)}"\nlesson: |\n  ${'{'.repeat(200)}\n# ${'['.repeat(200)}\n`,
    );
  });
});

describe('list length', () => {
  it('a list of 50,001 names is one error naming the limit, not 50,001 searches for a name', () => {
    const text = `${BASE}bugs: [${Array.from({ length: 50_001 }, () => 'x').join(', ')}]\n`;
    expect(lines(text)).toEqual([
      's.yaml:2:7 a list of 50001 items, more than any field of a scenario needs (SCENARIO_LIST_ITEMS_MAX, 50000)',
    ]);
  });

  it('in block style too', () => {
    expect(lines(`${BASE}checkers:\n${'  - x\n'.repeat(50_001)}`)).toEqual([
      's.yaml:3:3 a list of 50001 items, more than any field of a scenario needs (SCENARIO_LIST_ITEMS_MAX, 50000)',
    ]);
  });
});

describe('size (the file as a whole)', () => {
  it('a scenario over 1 MiB is one error naming the limit', () => {
    const text = `${BASE}description: "${'x'.repeat(1 << 20)}"\n`;
    const { value, ms } = timed(() => lines(text));
    expect(value).toEqual([
      's.yaml:1:1 the file is 1048607 bytes, more than a scenario may be (SCENARIO_BYTES_MAX, 1048576 bytes)',
    ]);
    expect(ms).toBeLessThan(200);
  });
});

describe('many errors (item 6)', () => {
  it('30,000 unknown keys: the first 20 errors and a count of the rest, in seconds, not a minute', () => {
    let text = `${BASE}network:\n`;
    for (let i = 0; i < 30_000; i++) text += `  k${i}: 1\n`;
    const { value: r, ms } = timed(() => parseScenario(text, 's.yaml'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(20);
    expect(r.errorsOmitted).toBe(29_980);
    expect(formatScenarioError(r.errors[0] as ScenarioError)).toMatch(
      /^s\.yaml:3:3 network\.k0: unknown field k0/,
    );
    expect(ms).toBeLessThan(8000);
  });

  it('30,000 duplicate keys are capped the same way', () => {
    let text = BASE;
    for (let i = 0; i < 30_000; i++) text += 'seed: 1\n';
    const r = parseScenario(text, 's.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(20);
    expect(formatScenarioError(r.errors[0] as ScenarioError)).toBe(
      's.yaml:3:1 seed: duplicate key seed: each key may appear only once in a mapping',
    );
    expect(r.errorsOmitted).toBe(29_999 - 20);
  });

  it('binary garbage gives at most 20 errors', () => {
    let text = '';
    for (let i = 0; i < 200_000; i++) text += String.fromCharCode((i * 7919) % 256);
    const r = parseScenario(text, 's.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.length).toBeLessThanOrEqual(20);
  });
});

describe('absurd values are bounded, with the reason (item 7)', () => {
  it.each([
    [
      'options: { electionTimeoutMs: 1e308 }',
      'options.electionTimeoutMs: expected a whole number from 1 to 60000, got 1e+308',
    ],
    [
      'options: { electionTimeoutMs: 1.1 }',
      'options.electionTimeoutMs: expected a whole number from 1 to 60000, got 1.1',
    ],
    ['options: { heartbeatMs: 0.5 }', 'options.heartbeatMs: expected a whole number from 1 to'],
    ['options: { snapshotEvery: 1e12 }', 'options.snapshotEvery: expected a whole number from 1'],
    ['options: { batchMax: 1e9 }', 'options.batchMax: expected a whole number from 1 to 10000'],
    [
      'phases: { faulty: 100000m }',
      'phases.faulty: expected a duration of at most 1440m (DURATION_US_MAX), got "100000m"',
    ],
    [
      'network: { delay: { dist: constant, value: 1ms, slowTail: { ratio: 0.1, factor: 1e308 } } }',
      'network.delay.slowTail.factor: expected a factor from 1 to 1000, like 10, got 1e+308',
    ],
    ['limits: { events: 1e15 }', 'limits.events: expected a whole number from 1 to 1000000000'],
    [
      'workload: { opsPerClientMax: 1e15 }',
      'workload.opsPerClientMax: expected a whole number from 1 to 1000000000',
    ],
    [
      'workload: { mix: { get: 1e15 } }',
      'workload.mix.get: expected a whole number from 0 to 1000000000',
    ],
    ['clocks: { nodes: { n1: { offset: -2000m } } }', 'expected a duration of at most 1440m'],
  ])('%s', (line, message) => {
    const es = lines(`${BASE}${line}\n`);
    expect(es.join('\n')).toContain(message);
  });

  it('the bounds themselves are legal: a day of virtual time, a billion events', () => {
    expect(DURATION_US_MAX).toBe(24 * 3600 * 1_000_000);
    expectValid(`${BASE}phases: { faulty: 1440m }\nlimits: { events: ${COUNT_MAX} }\n`);
    expect(lines(`${BASE}phases: { faulty: 1440.001m }\n`).join()).toMatch(/at most 1440m/);
    expect(lines(`${BASE}limits: { events: ${COUNT_MAX + 1} }\n`).join()).toMatch(
      /1 to 1000000000/,
    );
  });

  it('the JSON Schema carries each bound and its reason', () => {
    const schema = JSON.stringify(scenarioJsonSchema());
    expect(schema).toContain('a minute without a leader is an outage, not a timeout');
    expect(schema).toContain('"maximum":60000');
    expect(schema).toContain('at most 1440m, a day of virtual time');
  });

  it('ping and primary/backup bound their options too', () => {
    expect(
      lines('protocol: ping\nworkload: none\noptions: { intervalMs: 1e308 }\n').join(),
    ).toMatch(/options\.intervalMs: expected a whole number from 1 to 60000/);
    expect(
      lines('protocol: primary-backup\noptions: { heartbeatMs: 1.5, electionTimeoutMs: 1e308 }\n'),
    ).toHaveLength(2);
  });

  it('crdt bounds its gossip options', () => {
    const doc = (opts: string) =>
      `protocol: crdt\nworkload: { type: counter }\noptions: { type: pn-counter, ${opts} }\n`;
    const crdt = (opts: string) => lines(doc(opts));
    expect(crdt('intervalMs: 1e308').join()).toMatch(
      /options\.intervalMs: expected a whole number from 1 to 10000/,
    );
    expect(crdt('fanout: 0, bufferMax: 1e9')).toHaveLength(2);
    expectValid(doc('intervalMs: 20, fanout: 2, bufferMax: 256'));
  });
});

describe('a liveness phase that can never pass is a scenario error (item 7)', () => {
  it('phases.final: 0', () => {
    expect(lines(`${BASE}phases: { final: 0 }\n`)).toEqual([
      's.yaml:2:18 phases.final: the final phase (0us) is no longer than one client round trip (2ms at the shortest network delay of 1ms each way): no final read can complete, so liveness would fail on every seed',
    ]);
  });

  it('a final phase no longer than the fastest round trip', () => {
    const es = lines(`${BASE}network: { delay: 10ms }\nphases: { final: 20ms }\n`);
    expect(es.join('\n')).toMatch(/^s\.yaml:3:18 phases\.final: the final phase \(20ms\)/);
  });

  it('network.loss: 1 cuts every client off from every node', () => {
    expect(lines(`${BASE}network: { loss: 1 }\n`)).toEqual([
      's.yaml:2:18 network.loss: every message is lost (loss 1), so no client request ever reaches a node and liveness would fail on every seed',
    ]);
  });

  it('a client timeout no longer than the fastest round trip', () => {
    const es = lines(`${BASE}network: { delay: 10ms }\nworkload: { timeout: 20ms }\n`);
    expect(es.join('\n')).toMatch(
      /^s\.yaml:3:22 workload\.timeout: every operation times out before its reply can arrive/,
    );
  });

  it('is fine when liveness is not checked', () => {
    expectValid(`${BASE}network: { loss: 1 }\ncheckers: [linearizability]\n`);
    expectValid(`${BASE}phases: { final: 0 }\ncheckers: [durability]\n`);
  });

  it('does not reject what merely might fail', () => {
    expectValid(`${BASE}network: { loss: 0.99 }\n`);
    expectValid(`${BASE}network: { delay: 10ms }\nphases: { final: 21ms }\n`);
    expectValid(
      `${BASE}network: { delay: { dist: uniform, min: 0ms, max: 1s } }\nphases: { final: 1ms }\n`,
    );
    expectValid(
      `${BASE}network:\n  loss: 1\n  links: [{ from: n1, to: n2, loss: 0 }]\ncheckers: [durability]\n`,
    );
  });
});
