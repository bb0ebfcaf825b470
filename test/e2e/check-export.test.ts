/**
 * `faultline check --export edn` as a user runs it: the EDN on stdout, checked again by
 * `faultline check`, gives the same verdict as the original file.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { faultline, show } from './cli.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-check-export-'));

describe('faultline check --export edn', () => {
  for (const [file, model, code] of [
    ['test/fixtures/lin/kv-history.json', 'kv-list', 0],
    ['../shared/conformance/porcupine/jepsen/etcd_040.log', 'cas-register', 1],
    ['../shared/conformance/porcupine/kv/c10-bad.txt', 'kv', 1],
  ] as const) {
    it(`${file} exports, and the export checks the same (exit ${code})`, async () => {
      const original = await faultline(['check', file]);
      expect(original.code, show(original)).toBe(code);
      const exported = await faultline(['check', '--export', 'edn', file]);
      expect(exported.code, show(exported)).toBe(0);
      expect(exported.stdout).toMatch(/^; .* exported by faultline check --export edn\n; model: /);
      const path = join(dir, 'exported.edn');
      writeFileSync(path, exported.stdout);
      const again = await faultline(['check', '--model', model, path]);
      expect(again.code, show(again)).toBe(code);
    });
  }

  it('takes one history', async () => {
    const r = await faultline(['check', '--export', 'edn', 'a.json', 'b.json']);
    expect(r.code, show(r)).toBe(64);
    expect(r.stderr).toContain('--export: expected one history file, got 2');
  });
});
