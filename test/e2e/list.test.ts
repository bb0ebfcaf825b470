/**
 * `faultline list`: protocols (with their named bugs), workloads, faults and checkers, as text
 * or as one JSON document.
 */
import { describe, expect, it } from 'vitest';
import { ANSI, faultline, show } from './cli.js';

interface Named {
  readonly name: string;
  readonly summary: string;
}

interface ListDoc {
  readonly protocols: readonly (Named & {
    readonly bugs: readonly Named[];
    readonly workloads: readonly string[];
    readonly options: Record<string, string>;
  })[];
  readonly workloads: readonly Named[];
  readonly faults: readonly Named[];
  readonly checkers: readonly Named[];
}

describe('list', () => {
  it('prints protocols, bugs, workloads, faults and checkers', async () => {
    const r = await faultline(['list']);
    expect(r.code, show(r)).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toMatch(ANSI);
    const sections = r.stdout.split('\n').filter((l) => /^\S/.test(l));
    expect(sections).toEqual(['protocols', 'workloads', 'faults', 'checkers']);
    const section = (name: string): string => {
      const m = new RegExp(`^${name}\\n((?:[ ].*\\n)*)`, 'm').exec(r.stdout);
      return m?.[1] ?? '';
    };
    expect(section('protocols')).toMatch(/^ {2}primary-backup {2}\S/m);
    expect(section('protocols')).toMatch(/^ {2}ping {2}\S/m);
    for (const bug of [
      'primary-backup.ack-before-fsync',
      'primary-backup.fail-when-deposed',
      'primary-backup.unfenced-epochs',
      'primary-backup.retry-fsync',
    ]) {
      expect(section('protocols')).toMatch(
        new RegExp(`^ {4}bug ${bug.replace(/\./g, '\\.')}: \\S`, 'm'),
      );
    }
    expect(section('protocols')).toMatch(/^ {4}option mode: /m);
    expect(section('workloads')).toMatch(/^ {2}kv {2}/m);
    expect(section('checkers')).toMatch(/^ {2}durability {2}\S/m);
    expect(section('checkers')).toMatch(/^ {2}liveness {2}\S/m);
    for (const f of ['partition', 'crash', 'pause', 'clog', 'skew'])
      expect(section('faults')).toMatch(new RegExp(`^ {2}${f} {2}\\S`, 'm'));
    expect(section('faults')).toMatch(/^ {4}schedule entries: crash, restart$/m);
    expect(section('faults')).toMatch(/^ {4}random nemesis: \S/m);
    expect(section('protocols')).toMatch(/^ {4}role leader: \S/m);
  });

  it('--json prints one document with those arrays, never colored', async () => {
    const r = await faultline(['list', '--json', '--color']);
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).not.toMatch(ANSI);
    const doc = JSON.parse(r.stdout) as ListDoc;
    expect(Object.keys(doc).sort()).toEqual(['checkers', 'faults', 'protocols', 'workloads']);
    for (const k of ['protocols', 'workloads', 'faults', 'checkers'] as const) {
      expect(Array.isArray(doc[k])).toBe(true);
      for (const x of doc[k]) {
        expect(typeof x.name).toBe('string');
        expect(x.summary.length).toBeGreaterThan(0);
      }
    }
    const names = (xs: readonly Named[]) => xs.map((x) => x.name);
    expect(names(doc.protocols)).toEqual(expect.arrayContaining(['primary-backup', 'ping']));
    expect(names(doc.checkers)).toEqual(expect.arrayContaining(['durability', 'liveness']));
    expect(names(doc.faults)).toEqual(expect.arrayContaining(['partition', 'crash']));
    expect(names(doc.workloads)).toEqual(expect.arrayContaining(['kv', 'none']));
    const pb = doc.protocols.find((p) => p.name === 'primary-backup');
    expect(names(pb?.bugs ?? [])).toEqual(
      expect.arrayContaining([
        'primary-backup.ack-before-fsync',
        'primary-backup.fail-when-deposed',
        'primary-backup.unfenced-epochs',
        'primary-backup.retry-fsync',
      ]),
    );
    expect(Object.keys(pb?.options ?? {})).toContain('mode');
  });

  it('takes no positional arguments', async () => {
    const r = await faultline(['list', 'protocols']);
    expect(r.code, show(r)).toBe(64);
    expect(r.stdout).toBe('');
  });
});
