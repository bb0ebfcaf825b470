/**
 * `faultline check --timeout` bounds the whole check of a file, reading and evidence included:
 * on a history the search cannot decide in time (a generated kv history with half its writes
 * timed out, which neither faultline nor Porcupine decides in 20 s) the verdict is `unknown`, exit
 * 2, and the check's own clock (`ms` in --json, started before the file is read) stays within 10%
 * of the limit plus a small constant; a violation found in time keeps within it too, its evidence
 * cut short rather than the time grown (the deterministic side of that is in
 * test/unit/checkers/linearizability/evidence-deadline.test.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateKv } from '../support/hard-histories.js';
import { cli, show } from './cli.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-timeout-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LIMIT_MS = 2_000;
/** 10% of the limit, and a constant for a process on a machine shared with other jobs. */
const SLACK_MS = LIMIT_MS / 10 + 250;

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function checkFor(path: string) {
  const r = cli(['check', path, '--timeout', `${LIMIT_MS}ms`, '--evidence', 'full', '--json']);
  const file = (JSON.parse(r.stdout) as { files: { verdict: string; ms: number }[] }).files[0]!;
  return { r, file };
}

describe('faultline check --timeout', () => {
  it('gives up with unknown within 10% of the limit on a history it cannot decide', () => {
    const hard = generateKv(1, { ops: 1_500, clients: 30, infoPercent: 50 });
    const { r, file } = checkFor(write(hard.name, hard.text));
    expect(r.code, show(r)).toBe(2);
    expect(file.verdict).toBe('unknown');
    expect(file.ms).toBeGreaterThanOrEqual(LIMIT_MS);
    expect(file.ms).toBeLessThanOrEqual(LIMIT_MS + SLACK_MS);
  });

  it('stays within it when it finds a violation, evidence included', () => {
    const hard = generateKv(1, { ops: 1_500, clients: 30, infoPercent: 50, flaw: 'never-written' });
    const { r, file } = checkFor(write(hard.name, hard.text));
    // Found in time or not (the machine decides), never later than the limit allows.
    expect([1, 2], show(r)).toContain(r.code);
    expect(file.ms).toBeLessThanOrEqual(LIMIT_MS + SLACK_MS);
  });
});
