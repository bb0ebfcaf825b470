/**
 * Keeps DESIGN §2 and §4 true without anyone remembering them: imports point one way (the rules
 * live in .dependency-cruiser.cjs; here they are run, and shown to refuse what they must), and
 * the simulation path never touches the wall clock, timers, ambient randomness or async code.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(new URL(import.meta.url).pathname), '../..');
const src = join(root, 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const depcruise = join(root, 'node_modules/.bin/depcruise');
const config = join(root, '.dependency-cruiser.cjs');

function cruise(cwd: string, paths: string[]): { code: number; out: string } {
  const r = spawnSync(depcruise, [...paths, '--config', config, '--output-type', 'err'], {
    cwd,
    encoding: 'utf8',
  });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

describe('dependency direction (DESIGN §2), by dependency-cruiser', () => {
  it('src, test and scripts break no rule of .dependency-cruiser.cjs', () => {
    const r = cruise(root, ['src', 'test', 'scripts']);
    expect(r.out).toContain('no dependency violations found');
    expect(r.code).toBe(0);
  });

  it('refuses a protocol reaching into sim by a type import, a re-export and a dynamic import', () => {
    const r = cruise(join(root, 'test/fixtures/layering'), ['src']);
    expect(r.code).not.toBe(0);
    for (const file of ['type-import', 're-export', 'dynamic-import']) {
      expect(r.out).toContain(`error protocols: src/protocols/bad/${file}.ts → src/sim/world.ts`);
    }
    expect(r.out).not.toContain('allowed.ts');
  });

  it("refuses DESIGN's components/lsm and components/failure-detector, as they are named in src, reaching up", () => {
    const r = cruise(join(root, 'test/fixtures/layering'), ['src']);
    expect(r.code).not.toBe(0);
    for (const line of [
      'error storage: src/storage/lsm/bad.ts → src/protocols/raft/index.ts',
      'error components: src/components/failure-detectors/bad.ts → src/sim/world.ts',
      // Storage may import the WAL writer, so the WAL writer may import only core.
      'error storage-wal-pieces: src/protocols/shared/wal-writer.ts → src/protocols/shared/quorum.ts',
    ])
      expect(r.out).toContain(line);
    expect(r.out).not.toContain('src/storage/lsm/engine.ts');
  });
});

describe('determinism rules (DESIGN §4)', () => {
  const banned =
    /Math\.random|Date\.now|new Date\(|performance\.now|process\.hrtime|setTimeout|setInterval|setImmediate|crypto\.random|\basync\s|\bawait\s/;
  // The report page runs in a browser, long after the run: timing its own draws is its business.
  // compare's files that read lesson files and drive the worker pool are orchestration, as the
  // runner is; its measures of a finished run stay held to the rules.
  const offPath =
    /\/src\/(cli|runner|bench|report\/page)\/|\/src\/compare\/(compare-lesson|compare-worker|lesson-file)\.ts$/;
  const simulationPath = files(src).filter((f) => !offPath.test(f));
  for (const file of simulationPath) {
    it(`${relative(root, file)} stays off the wall clock, timers, ambient randomness and async`, () => {
      const lines = readFileSync(file, 'utf8').split('\n');
      const hits = lines
        .map((l, i) => [i + 1, l] as const)
        .filter(([, l]) => banned.test(l) && !/^\s*(\/\/|\*|\/\*)/.test(l));
      expect(hits.map(([n, l]) => `${n}: ${l.trim()}`)).toEqual([]);
    });
  }
});
