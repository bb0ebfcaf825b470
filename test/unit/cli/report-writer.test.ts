/**
 * A report folder as `run` writes it: a history that `check` reads back, one operation per line;
 * a result that knows where its scenario is relative to itself; a folder name that is safe
 * whatever the scenario was called; and a trace that stops at its size bound with a line saying
 * so, instead of filling the disk.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseFaultlineHistory } from '../../../src/checkers/linearizability/formats/index.js';
import { reportDir, TraceFile, writeReport } from '../../../src/cli/report-writer.js';
import { runSeed } from '../../../src/run/run-seed.js';
import { formatScenarioError, parseScenario } from '../../../src/scenario/index.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-report-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SCENARIO = `protocol: primary-backup
workload: { clients: 2, keys: 2 }
phases: { faulty: 200ms, healed: 100ms, final: 200ms }
`;

function seedRun() {
  const file = join(dir, 'scenarios', 'small.yaml');
  const parsed = parseScenario(SCENARIO, file);
  if (!parsed.ok) throw new Error(parsed.errors.map(formatScenarioError).join('\n'));
  return runSeed(parsed.scenario, 1);
}

describe('writeReport', () => {
  const { result, history } = seedRun();
  const out = reportDir(join(dir, 'reports'), result.scenario.name, 1);
  writeReport(out, result, history, undefined);

  it('writes a history check reads back, one operation per line', () => {
    const text = readFileSync(join(out, 'history.json'), 'utf8');
    expect(history.length).toBeGreaterThan(10);
    expect((JSON.parse(text) as { operations: unknown[] }).operations).toEqual(
      JSON.parse(JSON.stringify(history)),
    );
    const parsed = parseFaultlineHistory(text);
    expect(parsed.ok).toBe(true);
    expect(text.split('\n').filter((l) => l.startsWith('    {"'))).toHaveLength(history.length);
  });

  it('records the scenario relative to the report folder', () => {
    const written = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as {
      scenario: { relativeToReport: string };
    };
    expect(written.scenario.relativeToReport).toBe(
      join('..', '..', '..', 'scenarios', 'small.yaml'),
    );
    expect(resolve(out, written.scenario.relativeToReport)).toBe(
      join(dir, 'scenarios', 'small.yaml'),
    );
  });
});

describe('reportDir', () => {
  it('makes any scenario name a safe folder name of at most 100 characters', () => {
    const d = reportDir('out', `../${'x'.repeat(300)}/ü`, 3);
    expect(d).toBe(join('out', 'x'.repeat(100), '3'));
  });
});

describe('TraceFile', () => {
  it('stops at its byte bound with a last line saying where and why', () => {
    const path = join(dir, 'trace.ndjson');
    const trace = new TraceFile(path, 200);
    for (let t = 0; t < 100; t++) trace.write(JSON.stringify({ t, ev: 'deliver', pad: 'xxxx' }));
    trace.finish();
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines.slice(0, -1).join('\n').length).toBeLessThanOrEqual(200);
    const last = JSON.parse(lines.at(-1) as string) as { t: number; ev: string; why: string };
    expect(last.ev).toBe('truncated');
    expect(last.t).toBe(lines.length - 2);
    expect(last.why).toContain('TRACE_FILE_BYTES_MAX (200 bytes)');
  });

  it('writes every line when under the bound', () => {
    const path = join(dir, 'small.ndjson');
    const trace = new TraceFile(path);
    for (let t = 0; t < 100; t++) trace.write(JSON.stringify({ t, ev: 'deliver' }));
    trace.finish();
    expect(readFileSync(path, 'utf8').trimEnd().split('\n')).toHaveLength(100);
  });
});
