/**
 * The crdt protocol from the command line: a shipped scenario runs clean with the convergence
 * checker's sentence in the report, and a data type that does not fit the workload is a user
 * error (exit 65, `file:line:col options.type: …`, no stack trace).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, linesOf, show, STACK_LINE, useTempDirs } from './cli.js';

const temp = useTempDirs();

describe('faultline run with the crdt protocol', () => {
  it('runs crdt-counter clean and says how long the replicas took to converge', () => {
    const out = temp('crdt-run');
    const r = cli(['run', 'scenarios/crdt-counter.yaml', '--seed', '1', '--out', out]);
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toMatch(/convergence.*3 replicas converged [\d.]+(us|ms|s) after healing/);
  });

  it('refuses a data type that does not fit the workload with exit 65 and its position', () => {
    const dir = temp('crdt-bad');
    const file = join(dir, 'misfit.yaml');
    writeFileSync(
      file,
      'protocol: crdt\noptions: { type: or-set }\nworkload: { type: counter }\nphases: { faulty: 1s }\n',
    );
    const r = cli(['run', file, '--seed', '1', '--out', join(dir, 'out')]);
    expect(r.code, show(r)).toBe(65);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(linesOf(r.stderr)[0]).toBe(
      `faultline: ${file}:2:18 options.type: or-set does not fit the counter workload: expected one of pn-counter, g-counter, or use workload: { type: set } for or-set`,
    );
  });
});
