/**
 * `faultline check --model list-append`: Elle-style list-append histories in EDN (invocations
 * paired with completions, nemesis operations skipped) and JSON, the verdict and exit code, the
 * anomaly's sentences, one positioned message with exit 65 for a malformed file, and the
 * README's sample output.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { faultline, linesOf, ROOT, show } from './cli.js';

const DIR = 'test/fixtures/serializability';

describe('faultline check --model list-append', () => {
  it("finds G1c in Elle's README example and explains it, exit 1", async () => {
    const r = await faultline(['check', `${DIR}/g1c.edn`, '--model', 'list-append']);
    expect(r.code, show(r)).toBe(1);
    expect(r.stdout).toContain('NOT serializable (3 transactions, 3 committed, model list-append');
    expect(r.stdout).toContain("T2 < T3, because T3 read T2's append of 1 to key :y.");
    expect(r.stdout).toContain(
      'However, T3 < T2, because T2 appended 2 after T3 appended 1 to key :x: a contradiction!',
    );
  });

  it('passes a serializable history with an abort and an unknown outcome, exit 0', async () => {
    const r = await faultline(['check', `${DIR}/serial.edn`, '--model', 'list-append']);
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toContain('serializable (5 transactions, 3 committed');
  });

  it('reads JSON and reports write skew as G2-item in --json', async () => {
    const r = await faultline([
      'check',
      `${DIR}/write-skew.json`,
      '--model',
      'list-append',
      '--json',
    ]);
    expect(r.code, show(r)).toBe(1);
    const doc = JSON.parse(r.stdout) as { files: { anomalyTypes: string[] }[] };
    expect(doc.files[0]!.anomalyTypes).toEqual(['G2-item']);
  });

  it('names the line and column of a bad micro-operation, exit 65', async () => {
    const r = await faultline(['check', `${DIR}/bad-mop.edn`, '--model', 'list-append']);
    expect(r.code, show(r)).toBe(65);
    expect(r.stderr).toContain(
      `${DIR}/bad-mop.edn:2:45: expected a micro-operation [:append k v] or [:r k [v ...]], found [:write :y 2]`,
    );
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('refuses a flag of the linearizability check, exit 64', async () => {
    const r = await faultline([
      'check',
      `${DIR}/g1c.edn`,
      '--model',
      'list-append',
      '--initial',
      '0',
    ]);
    expect(r.code, show(r)).toBe(64);
    expect(r.stderr).toContain('--initial: does not apply to --model list-append');
  });
});

describe('the README sample of check --model list-append', () => {
  it('is what check prints, times aside', async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const command = `node dist/cli/main.js check ${DIR}/g1c.edn --model list-append`;
    const start = readme.indexOf(`$ ${command}\n`);
    expect(start).toBeGreaterThan(0);
    const body = readme.slice(start + command.length + 3);
    const sample = body
      .slice(0, body.indexOf('\n  $ '))
      .split('\n')
      .map((l) => l.replace(/^ {2}/, ''));
    const r = await faultline(['check', `${DIR}/g1c.edn`, '--model', 'list-append']);
    const timeless = (s: string) => s.replace(/\d+(\.\d+)?(us|ms|s)\)/g, 'T)');
    expect(linesOf(r.stdout).map(timeless)).toEqual(sample.map(timeless));
  });
});
