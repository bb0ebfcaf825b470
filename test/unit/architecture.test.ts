/**
 * Keeps DESIGN §2 and §4 true without anyone remembering them: imports point one way, and the
 * simulation path never touches the wall clock, timers, ambient randomness or async code.
 */
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

/** The top-level module a file belongs to, with protocols split per protocol folder. */
function moduleOf(file: string): string {
  const parts = relative(src, file).split('/');
  if (parts[0] === 'protocols' && parts.length > 2) return `protocols/${parts[1]}`;
  if (parts.length === 1) return parts[0] as string;
  return parts[0] as string;
}

const allowed: Record<string, (target: string) => boolean> = {
  core: (t) => t === 'core',
  engine: (t) => t === 'core' || t === 'engine',
  net: (t) => ['core', 'engine', 'net'].includes(t),
  disk: (t) => ['core', 'engine', 'disk'].includes(t),
  sim: (t) => ['core', 'engine', 'net', 'disk', 'sim'].includes(t),
  checkers: (t) => t === 'core' || t === 'checkers',
  // Protocols may use core, their own folder and protocols/shared.
  protocol: (t) => t === 'core' || t === 'protocols/shared',
};

describe('dependency direction (DESIGN §2)', () => {
  const all = files(src);
  it('finds the source tree', () => expect(all.length).toBeGreaterThan(20));
  for (const file of all) {
    const from = moduleOf(file);
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(/^import[^'"]*from\s+['"](\.[^'"]+)['"]/gm)].map((m) => {
      const abs = resolve(dirname(file), m[1] as string).replace(/\.js$/, '.ts');
      const rel = relative(src, abs);
      return rel === 'sim/metrics.ts' ? 'sim-metrics' : moduleOf(abs);
    });
    it(`${relative(root, file)} imports only what it may`, () => {
      for (const t of targets) {
        if (t === from) continue;
        if (from.startsWith('protocols/') && from !== 'protocols/registry.ts') {
          if (from === 'protocols/shared') expect(t === 'core', `${from} -> ${t}`).toBe(true);
          else expect(allowed.protocol!(t), `${from} -> ${t}`).toBe(true);
          continue;
        }
        const rule = allowed[from];
        if (rule)
          expect(rule(t) || (from === 'sim' && t === 'sim-metrics'), `${from} -> ${t}`).toBe(true);
      }
    });
  }
});

describe('determinism rules (DESIGN §4)', () => {
  const banned =
    /Math\.random|Date\.now|new Date\(|performance\.now|process\.hrtime|setTimeout|setInterval|setImmediate|crypto\.random|\basync\s|\bawait\s/;
  const simulationPath = files(src).filter((f) => !/\/src\/(cli|runner|bench)\//.test(f));
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
