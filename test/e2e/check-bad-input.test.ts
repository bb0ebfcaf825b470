/**
 * `faultline check` on histories that do not fit the model asked for, or hold nothing to judge
 * (issue 9, items 1 and 2; issue 10, "Bad input"): exit 65 naming the operation, its place and
 * the models that would fit, never a verdict and never a stack trace; exit 2 when there are no
 * operations at all; exit 65 for a nest too deep to read, without a stack overflow.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { faultline, STACK_LINE, show } from './cli.js';

const KV_BAD = '../shared/conformance/porcupine/kv/c10-bad.txt';
const KV_JSON = 'test/fixtures/lin/kv-history.json';
const MUTEX = '../shared/conformance/knossos/mutex/bad/etcd.edn';
const dir = mkdtempSync(join(tmpdir(), 'faultline-check-bad-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('faultline check: a history that does not fit the model', () => {
  it('a Porcupine kv file under --model register is exit 65, not "linearizable"', async () => {
    const r = await faultline(['check', '--model', 'register', KV_BAD]);
    expect(r.code, show(r)).toBe(65);
    expect(r.stdout).not.toContain('linearizable');
    expect(r.stderr).toMatch(/c10-bad\.txt:1:32: expected :f to be :read or :write, found :append/);
    expect(r.stderr).toContain('models that fit every operation: kv, kv-list');
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  for (const model of ['register', 'cas-register', 'counter', 'set', 'fifo-queue', 'mutex']) {
    it(`a faultline kv history.json under --model ${model} is exit 65 naming the operation`, async () => {
      const r = await faultline(['check', '--model', model, KV_JSON]);
      expect(r.code, show(r)).toBe(65);
      expect(r.stderr).toMatch(/kv-history\.json:6: operation #0 .*put.* does not fit model/);
      expect(r.stderr).toContain('models that fit every operation: kv-list');
      expect(r.stderr).not.toMatch(STACK_LINE);
      expect(r.stderr).not.toContain('TypeError');
    });
  }

  it('a Knossos mutex history under the default EDN model names the model that fits', async () => {
    const r = await faultline(['check', MUTEX]);
    expect(r.code, show(r)).toBe(65);
    expect(r.stderr).toMatch(
      /etcd\.edn:1:\d+: expected :f to be :read, :write or :cas, found :release/,
    );
    expect(r.stderr).toContain('models that fit every operation: mutex');
  });
});

describe('faultline check: the models that fit say what else they need', () => {
  it('a Knossos multi-register history: pass --model multi-register, and --initial', async () => {
    const r = await faultline([
      'check',
      '../shared/conformance/knossos/multi-register/good/multi-register.edn',
    ]);
    expect(r.code, show(r)).toBe(65);
    expect(r.stderr).toContain(
      "models that fit every operation: multi-register (pass --model multi-register, and --initial '{:x 0 ...}' unless every register starts at nil)",
    );
  });
});

describe('faultline check: nothing to judge', () => {
  it('an etcd log with no Jepsen lines is exit 2, not "linearizable (0 operations)"', async () => {
    const r = await faultline([
      'check',
      '--format',
      'jepsen-etcd',
      file('none.log', 'just some log\nlines\n'),
    ]);
    expect(r.code, show(r)).toBe(2);
    expect(r.stdout).not.toContain('linearizable');
    expect(r.stdout).toContain('nothing could be judged: the history has no operations');
  });

  it('an EDN history whose operations all failed is exit 2', async () => {
    const text =
      '[{:process 0, :type :invoke, :f :write, :value 1}\n {:process 0, :type :fail, :f :write, :value 1}]\n';
    const r = await faultline(['check', file('failed.edn', text)]);
    expect(r.code, show(r)).toBe(2);
    expect(r.stdout).toContain('nothing could be judged');
  });

  it('--json says so too', async () => {
    const r = await faultline([
      'check',
      '--json',
      '--format',
      'jepsen-etcd',
      file('none2.log', '\n'),
    ]);
    expect(r.code, show(r)).toBe(2);
    const doc = JSON.parse(r.stdout) as { files: { verdict: string; reason: string }[] };
    expect(doc.files[0]).toMatchObject({ verdict: 'unknown', reason: 'no operations' });
  });
});

describe('faultline check: input too deep to read', () => {
  it('a history nested 10,000 deep is exit 65 with the limit named, no stack overflow', async () => {
    const r = await faultline([
      'check',
      '--format',
      'edn',
      file('deep.edn', `${'['.repeat(10_000)}\n`),
    ]);
    expect(r.code, show(r)).toBe(65);
    expect(r.stderr).toMatch(/deep\.edn:1:\d+: values nest deeper than 64 levels/);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it('so is a chain of 10,000 #_ discards', async () => {
    const r = await faultline([
      'check',
      '--format',
      'edn',
      file('discards.edn', `[${'#_ '.repeat(10_000)}]\n`),
    ]);
    expect(r.code, show(r)).toBe(65);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });
});
