/**
 * The cluster protocol's README shows the recovery-strategies lesson's table as `compare`
 * prints it (the header's worker count aside), as the top-level README's lesson tables are
 * pinned in readme.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { faultline, ROOT, show } from './cli.js';

const README = readFileSync(join(ROOT, 'src/protocols/cluster/README.md'), 'utf8');

describe('the cluster README’s lesson table is what compare prints', () => {
  it('recovery-strategies: its lesson text, table and footnote', async () => {
    const command = 'node dist/cli/main.js compare scenarios/lessons/recovery-strategies.yaml';
    const marker = `${command}\n\`\`\`\n\n\`\`\`\n`;
    const start = README.indexOf(marker);
    expect(start, 'the README shows the command and then its output').toBeGreaterThan(0);
    const body = README.slice(start + marker.length);
    const shown = body.slice(0, body.indexOf('```')).trimEnd().split('\n');
    const r = await faultline([
      'compare',
      'scenarios/lessons/recovery-strategies.yaml',
      '--workers',
      '2',
    ]);
    expect(r.code, show(r)).toBe(0);
    const noWorkers = (l: string) => l.replace(/ workers=\d+$/, '');
    expect(r.stdout.trimEnd().split('\n').map(noWorkers)).toEqual(shown.map(noWorkers));
  });
});
