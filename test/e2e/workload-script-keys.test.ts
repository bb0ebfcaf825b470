/**
 * A kv or kv-context `script` step on a key beyond the workload's `keys` is refused where
 * `faultline run` reads the scenario: exit 65, one positioned message at the step, nothing run.
 * The check is the workload options schema's own (a superRefine across `keys` and `script`),
 * which must reach the scenario's `workload:` mapping, not only the schema parsed alone.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { faultline, linesOf, show, STACK_LINE, useTempDirs } from './cli.js';

const temp = useTempDirs();

describe('faultline run: a script step beyond keys', () => {
  let dir: string;
  let out: string;
  const run = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return { path, result: faultline(['run', path, '--seed', '1', '--out', out]) };
  };

  beforeAll(() => {
    dir = temp('script-keys');
    out = join(dir, 'out');
  });

  it('kv: exit 65 with one message at the step', async () => {
    const { path, result } = run(
      'bad.yaml',
      [
        'protocol: raft',
        'workload:',
        '  type: kv',
        '  keys: 2',
        '  script:',
        '    - [put k0, append k7]',
        '',
      ].join('\n'),
    );
    const r = await result;
    expect(r.code, show(r)).toBe(65);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(linesOf(r.stderr)).toEqual([
      `faultline: ${path}:6:16 workload.script.0.1: k7 is not one of the workload's keys k0..k1 (keys: 2)`,
    ]);
    expect(existsSync(out)).toBe(false);
  });

  it('kv-context: the same, and k01 is not k1', async () => {
    const { path, result } = run(
      'bad-context.yaml',
      [
        'protocol: dynamo',
        'workload: { type: kv-context, keys: 3, script: [[get k0], [put k01, get k3]] }',
        '',
      ].join('\n'),
    );
    const r = await result;
    expect(r.code, show(r)).toBe(65);
    expect(linesOf(r.stderr)).toEqual([
      `faultline: ${path}:2:60 workload.script.1.0: k01 is not one of the workload's keys k0..k2 (keys: 3)`,
      `${path}:2:69 workload.script.1.1: k3 is not one of the workload's keys k0..k2 (keys: 3)`,
    ]);
  });
});
