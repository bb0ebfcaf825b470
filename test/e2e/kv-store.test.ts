/**
 * The kv-store protocol from the command line: engine options out of range are scenario errors
 * at their positions (exit 65, lsmOptionProblems' messages), and a disk image the engine cannot
 * recover is a finding of the run (exit 1, the engine's reason), never a crash of faultline.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { faultline, linesOf, ROOT, show, STACK_LINE, useTempDirs } from './cli.js';

const temp = useTempDirs();
const base = readFileSync(join(ROOT, 'scenarios/lsm-crash.yaml'), 'utf8');

describe('kv-store scenarios', () => {
  let dir: string;
  const scenario = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  beforeAll(() => {
    dir = temp('kv-store');
  });

  it('names each engine option out of range at its line and column, exit 65', async () => {
    const f = scenario(
      'bad-options.yaml',
      base
        .replace('sync: always', 'sync: { kind: interval, everyMs: 0 }')
        .replace('memtableBytesMax: 512', 'memtableBytesMax: 100')
        .replace('blockBytes: 512', 'blockBytes: 64\n  bloomBitsPerKey: 33'),
    );
    const r = await faultline(['run', f, '--seed', '1', '--out', join(dir, 'out')]);
    expect(r.code, show(r)).toBe(65);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(STACK_LINE);
    const lines = linesOf(r.stderr).map((l) => l.replace(/^faultline: /, ''));
    expect(lines).toEqual([
      `${f}:13:36 options.sync.everyMs: expected a whole number from 1 to 60000, got 0`,
      `${f}:14:21 options.memtableBytesMax: expected a whole number from 256 to 67108864, got 100`,
      `${f}:16:20 options.bloomBitsPerKey: expected a whole number from 0 to 32, got 33`,
    ]);
  });

  it('a disk image the engine cannot recover is a named finding, exit 1, with its reason', async () => {
    const f = scenario(
      'corrupt.yaml',
      base.replace(
        'crash: { keepUnsynced: 1, torn: 0, dirOpsKeep: 1 }',
        'crash: { keepUnsynced: 1, torn: 0, dirOpsKeep: 1 }\n  faults: { bitFlipOnWrite: 0.2, nodes: all }',
      ),
    );
    const r = await faultline(['run', f, '--seed', '1', '--out', join(dir, 'out')]);
    expect(r.code, show(r)).toBe(1);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.stdout).toMatch(
      /disk-image-recoverable +violation +n1 at [\d.]+m?s: the engine cannot recover its disk image \(\S+: .+\); the node refuses service/,
    );
    expect(r.stdout).toMatch(/crash-consistency +violation +unrecoverable disk image: n1 at/);
    expect(r.stdout).not.toContain('internal error');
  });
});
