/**
 * `--option KEY=VALUE`: how a flag is read, set over a scenario's `options:` and checked against
 * the protocol's schema, and how a problem with an overridden field becomes the flag's.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type OptionOverride,
  readOptionOverride,
  textWithOverrides,
  withOverrides,
} from '../../../src/options/option-override.js';
import { parseScenario } from '../../../src/scenario/index.js';

const read = (text: string): OptionOverride => {
  const r = readOptionOverride(text);
  if (!r.ok) throw new Error(r.message);
  return r.override;
};

const RAFT_CRASH = readFileSync('scenarios/raft-crash.yaml', 'utf8');

describe('readOptionOverride', () => {
  it('reads the value as YAML: strings, numbers, booleans, flow mappings', () => {
    expect(read('storage=lsm')).toEqual({ text: 'storage=lsm', path: ['storage'], value: 'lsm' });
    expect(read('snapshotEvery=24').value).toBe(24);
    expect(read('preVote=false').value).toBe(false);
    expect(read('lsm={ sync: none }').value).toEqual({ sync: 'none' });
    expect(read('lsm.sync=none').path).toEqual(['lsm', 'sync']);
    expect(read('note=a=b').value).toBe('a=b');
  });

  it('refuses a flag without KEY=, with an example', () => {
    for (const bad of ['storage', '=lsm', '.x=1', 'a..b=1', 'x y=1']) {
      const r = readOptionOverride(bad);
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(r.message).toBe(`--option ${bad}: expected KEY=VALUE, like storage=lsm`);
    }
    const r = readOptionOverride('lsm={ sync');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/^--option lsm=\{ sync: cannot read the value \(/);
  });
});

describe('withOverrides', () => {
  it('sets fields under options in flag order, copying mappings, never changing the input', () => {
    const data = { protocol: 'raft', options: { lsm: { sync: 'always', blockBytes: 512 } } };
    const out = withOverrides(data, [
      read('lsm.sync=none'),
      read('storage=lsm'),
      read('storage=memory'),
    ]);
    expect(out).toEqual({
      protocol: 'raft',
      options: { lsm: { sync: 'none', blockBytes: 512 }, storage: 'memory' },
    });
    expect(data.options.lsm.sync).toBe('always');
    expect(withOverrides({ protocol: 'raft' }, [read('a.b=1')])).toEqual({
      protocol: 'raft',
      options: { a: { b: 1 } },
    });
  });

  it('writes them into the text for a file that must hold them, comments kept', () => {
    const text = textWithOverrides(RAFT_CRASH, [read('storage=lsm')]);
    expect(text).toContain('storage: lsm');
    expect(text).toContain('# yaml-language-server');
    const parsed = parseScenario(text, 'x.yaml');
    expect(parsed.ok && (parsed.scenario.options as { storage: string }).storage).toBe('lsm');
  });
});

describe('parseScenario with optionOverrides', () => {
  it('applies them, records them as written, and keeps the file’s content hash', () => {
    const plain = parseScenario(RAFT_CRASH, 'raft-crash.yaml');
    const over = parseScenario(RAFT_CRASH, 'raft-crash.yaml', {
      optionOverrides: [read('storage=lsm')],
    });
    if (!plain.ok || !over.ok) throw new Error('raft-crash.yaml did not parse');
    expect((plain.scenario.options as { storage: string }).storage).toBe('memory');
    expect((over.scenario.options as { storage: string }).storage).toBe('lsm');
    expect(over.scenario.optionOverrides).toEqual(['storage=lsm']);
    expect(plain.scenario.optionOverrides).toBeUndefined();
    expect(over.scenario.contentHash).toBe(plain.scenario.contentHash);
  });

  it('words a problem with an overridden field as the flag’s, with no file position', () => {
    const cases: [string, string][] = [
      ['storage=lsmm', 'options.storage: expected memory or lsm, got "lsmm" (did you mean lsm?)'],
      ['storag=lsm', 'options.storag: unknown field storag (did you mean storage?)'],
      ['snapshotEvery=0', 'options.snapshotEvery: '],
    ];
    for (const [flag, message] of cases) {
      const r = parseScenario(RAFT_CRASH, 'raft-crash.yaml', { optionOverrides: [read(flag)] });
      expect(r.ok, flag).toBe(false);
      if (r.ok) continue;
      expect(r.errors).toEqual([]);
      expect(r.overrideErrors?.[0]).toContain(`--option ${flag}: ${message}`);
    }
  });

  it('leaves the file’s own mistakes to the file, at their positions', () => {
    const text = RAFT_CRASH.replace('protocol: raft', 'protocol: raft\nnodez: 3');
    const r = parseScenario(text, 'raft-crash.yaml', { optionOverrides: [read('storage=lsm')] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.overrideErrors).toBeUndefined();
    expect(r.errors[0]?.path).toBe('nodez');
  });
});
