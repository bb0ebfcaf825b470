/**
 * The failure-detectors lesson's table, pinned: `faultline compare
 * scenarios/lessons/failure-detectors.yaml` prints exactly test/golden/lessons/
 * failure-detectors.txt (the header's worker count aside), so a change to the cluster's
 * detectors, its metrics or the comparison's rows shows here as a changed table to re-measure,
 * as the README's lessons are pinned by readme.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { faultline, ROOT, show } from './cli.js';

it('the failure-detectors table is the one pinned', async () => {
  const pinned = readFileSync(join(ROOT, 'test/golden/lessons/failure-detectors.txt'), 'utf8');
  const r = await faultline([
    'compare',
    'scenarios/lessons/failure-detectors.yaml',
    '--workers',
    '2',
  ]);
  expect(r.code, show(r)).toBe(0);
  const noWorkers = (l: string) => l.replace(/ workers=\d+$/, '');
  const lines = (s: string) => s.trimEnd().split('\n').map(noWorkers);
  expect(lines(r.stdout)).toEqual(lines(pinned));
});
