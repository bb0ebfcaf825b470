/**
 * What `npm pack` ships: the examples the README walks through, and every source a source map
 * names, so a stack trace or a debugger in a project that installed faultline lands on a file
 * that is there.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './cli.js';

let files: Set<string>;

beforeAll(() => {
  // --ignore-scripts: the global setup already built dist/; packing must not rebuild it.
  const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(r.status, r.stderr).toBe(0);
  const [pack] = JSON.parse(r.stdout) as { files: { path: string }[] }[];
  files = new Set((pack?.files ?? []).map((f) => f.path));
});

describe('npm pack', () => {
  it('ships the examples', () => {
    for (const f of ['examples/gossip-kv/gossip-kv.js', 'examples/gossip-kv/gossip.yaml'])
      expect(files.has(f), f).toBe(true);
  });

  it('ships the report page bundle report.html inlines', () => {
    expect(files.has('dist/report/page.js')).toBe(true);
  });

  it('ships every file a source map points at', () => {
    const maps = [...files].filter((f) => f.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(100);
    const missing: string[] = [];
    for (const map of maps) {
      const { sources, sourceRoot } = JSON.parse(readFileSync(join(ROOT, map), 'utf8')) as {
        sources: string[];
        sourceRoot?: string;
      };
      for (const s of sources) {
        const path = posix.normalize(posix.join(dirname(map), sourceRoot ?? '', s));
        if (!files.has(path)) missing.push(`${map} → ${path}`);
      }
    }
    expect(missing.slice(0, 5), `${missing.length} sources not in the package`).toEqual([]);
  });
});
