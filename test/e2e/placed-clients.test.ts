/**
 * A run with placed clients prints, under its operation counts, how many operations succeeded
 * on each side of the partition, and writes the same counts to result.json; a run without
 * placed clients prints no such line.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { faultline, show, useTempDirs } from './cli.js';

const temp = useTempDirs();

describe('placed clients in a run', () => {
  it('prints ok/attempted by side, as result.json counts them', async () => {
    const out = temp('placed');
    const r = await faultline([
      'run',
      'scenarios/raft-minority-clients.yaml',
      '--seed',
      '2',
      '--out',
      out,
    ]);
    expect(r.code, show(r)).toBe(0);
    const line = r.stdout.split('\n').find((l) => l.includes('ok/attempted by side'));
    const result = JSON.parse(
      readFileSync(join(out, 'raft-minority-clients', '2', 'result.json'), 'utf8'),
    ) as { stats: { sides: Record<string, { ok: number; attempted: number }> } };
    const { majority, minority } = result.stats.sides;
    expect(line).toContain(`majority ${majority?.ok}/${majority?.attempted}`);
    expect(line).toContain(`minority 0/${minority?.attempted}`);
    expect(minority?.attempted).toBeGreaterThan(0);
  });

  it('prints nothing of the kind for clients that are not placed', async () => {
    const r = await faultline([
      'run',
      'scenarios/raft-partition.yaml',
      '--seed',
      '1',
      '--out',
      temp('unplaced'),
    ]);
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).not.toContain('by side');
  });
});
