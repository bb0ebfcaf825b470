/**
 * Output conventions shared by every command: color only when asked for or on a terminal, never
 * with NO_COLOR or --no-color; --help documents the exit codes; --version is the package's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ANSI, cli, INSTALLED_NODE_ARGS, installedCopy, ROOT, show, useTempDirs } from './cli.js';

const temp = useTempDirs();

const EXIT_CODES = ['0', '1', '2', '64', '65', '70'];

function expectExitCodeTable(text: string): void {
  expect(text).toContain('Exit codes:');
  for (const code of EXIT_CODES) expect(text).toMatch(new RegExp(`^\\s+${code}\\s+\\S`, 'm'));
}

describe('color', () => {
  it('--color turns it on even when piped', () => {
    const r = cli(['list', '--color'], { env: { NO_COLOR: undefined } });
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toMatch(ANSI);
  });

  it('--color wins over NO_COLOR', () => {
    const r = cli(['list', '--color'], { env: { NO_COLOR: '1' } });
    expect(r.stdout).toMatch(ANSI);
  });

  it('FORCE_COLOR turns it on (so the next two tests mean something)', () => {
    const r = cli(['list'], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(r.stdout).toMatch(ANSI);
  });

  it('NO_COLOR=1 turns it off', () => {
    const r = cli(['list'], { env: { NO_COLOR: '1', FORCE_COLOR: '1' } });
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).not.toMatch(ANSI);
    expect(r.stderr).not.toMatch(ANSI);
  });

  it('--no-color turns it off', () => {
    const r = cli(['list', '--no-color'], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).not.toMatch(ANSI);
  });

  it('an empty NO_COLOR does not count', () => {
    const r = cli(['list'], { env: { NO_COLOR: '', FORCE_COLOR: '1' } });
    expect(r.stdout).toMatch(ANSI);
  });
});

describe('help', () => {
  it('--help: exit 0, the commands and the exit codes', () => {
    const r = cli(['--help']);
    expect(r.code, show(r)).toBe(0);
    for (const c of ['run <scenario>', 'replay <result>', 'list']) expect(r.stdout).toContain(c);
    expectExitCodeTable(r.stdout);
  });

  it('--help names --no-color as well as --color', () => {
    const r = cli(['--help']);
    expect(r.stdout).toContain('--no-color');
  });

  it.each(['run', 'fuzz', 'shrink', 'merge', 'replay'])(
    '%s --help: each example is one whole line, never wrapped mid-command',
    (command) => {
      const r = cli([command, '--help']);
      expect(r.code, show(r)).toBe(0);
      const examples = /\nExamples:\n([\s\S]*?)\n\n/.exec(r.stdout)?.[1] ?? '';
      for (const line of examples.split('\n'))
        expect(line, r.stdout).toMatch(/^ {2}(faultline |# )/);
    },
  );

  it('run --help: exit 0, its options and the exit codes', () => {
    const r = cli(['run', '--help']);
    expect(r.code, show(r)).toBe(0);
    for (const o of [
      '--seed',
      '--seeds',
      '--workers',
      '--json',
      '--out',
      '--bug',
      '--check-determinism',
    ])
      expect(r.stdout).toContain(o);
    expectExitCodeTable(r.stdout);
  });

  it('replay --help: exit 0 and the exit codes', () => {
    const r = cli(['replay', '--help']);
    expect(r.code, show(r)).toBe(0);
    expectExitCodeTable(r.stdout);
  });

  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

  it('--version prints the package version', () => {
    const r = cli(['--version']);
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('--version prints faultline’s version, not the host project’s, as a dependency', () => {
    const host = temp('host');
    const { main } = installedCopy(host);
    const r = cli(['--version'], { cwd: host, main, nodeArgs: INSTALLED_NODE_ARGS });
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });
});
