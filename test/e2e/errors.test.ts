/**
 * User errors end with one message per problem and their documented exit code, never a stack
 * trace: 65 for a bad scenario file (`file:line:col path: message`), 64 for bad flags.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, type CliResult, linesOf, show, STACK_LINE, useTempDirs } from './cli.js';

const temp = useTempDirs();

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The run ended with exit `code` before doing anything: messages on stderr only, no stack. */
function expectUserError(r: CliResult, code: number): string[] {
  expect(r.code, show(r)).toBe(code);
  expect(r.stdout).toBe('');
  expect(r.stderr).not.toMatch(STACK_LINE);
  expect(r.stderr).not.toContain('internal error');
  const lines = linesOf(r.stderr);
  expect(lines[0]).toMatch(/^faultline: /);
  return lines.map((l) => l.replace(/^faultline: /, ''));
}

describe('bad scenario files: exit 65, file:line:col path: message', () => {
  let dir: string;
  let out: string;
  const scenario = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const run = (path: string) => cli(['run', path, '--seed', '1', '--out', out]);

  beforeAll(() => {
    dir = temp('bad-scenarios');
    out = join(dir, 'out');
  });

  it('a YAML syntax error names the file, line and column', () => {
    const f = scenario(
      'syntax.yaml',
      'name: x\nprotocol: primary-backup\ncluster: { nodes: 3\nphases: { faulty: 1s }\n',
    );
    const lines = expectUserError(run(f), 65);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^${escapeRegExp(f)}:[34]:\\d+ `));
  });

  it('an unknown key (a typo) is named with its position and the allowed keys', () => {
    const f = scenario(
      'typo.yaml',
      'name: x\nprotocol: primary-backup\ncluster: { nodes: 3 }\nnetwork:\n  delya: { dist: uniform, min: 1ms, max: 2ms }\n',
    );
    const lines = expectUserError(run(f), 65);
    expect(lines).toEqual([
      `${f}:5:3 network.delya: unknown field delya; expected one of delay, loss, duplicate, reorder, links`,
    ]);
    // Nothing ran, so nothing was written.
    expect(existsSync(out)).toBe(false);
  });

  it('a near-miss key gets a suggestion', () => {
    const f = scenario(
      'near.yaml',
      'name: x\nprotocol: primary-backup\ncluster: { nodes: 3 }\nnetwork:\n  los: 0.1\n',
    );
    const lines = expectUserError(run(f), 65);
    expect(lines).toEqual([`${f}:5:3 network.los: unknown field los (did you mean loss?)`]);
  });

  it('a bad duration', () => {
    const f = scenario(
      'duration.yaml',
      'name: x\nprotocol: primary-backup\ncluster: { nodes: 3 }\nphases: { faulty: 5 parsecs }\n',
    );
    const lines = expectUserError(run(f), 65);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^${escapeRegExp(f)}:4:19 phases\\.faulty: expected a duration .*got "5 parsecs"$`,
      ),
    );
  });

  it('an unknown node in a fault', () => {
    const f = scenario(
      'node.yaml',
      'name: x\nprotocol: primary-backup\ncluster: { nodes: 3 }\nfaults:\n  schedule:\n    - { at: 1s, crash: n9, for: 1s }\n',
    );
    const lines = expectUserError(run(f), 65);
    expect(lines).toEqual([
      `${f}:6:24 faults.schedule.0.crash: unknown node n9: the cluster has n1..n3`,
    ]);
  });

  it('an unknown protocol names the known ones, in one line', () => {
    const f = scenario(
      'protocol.yaml',
      'name: x\nprotocol: paxos-made-simpler\ncluster: { nodes: 3 }\n',
    );
    const lines = expectUserError(run(f), 65);
    expect(lines, lines.join('\n')).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^${escapeRegExp(f)}:2:11 protocol: unknown protocol "paxos-made-simpler": expected one of primary-backup, raft, crdt, ping`,
      ),
    );
    expect(lines[0]).not.toContain('=>');
  });

  it('several problems: one message each, in file order', () => {
    const f = scenario(
      'many.yaml',
      'name: x\nprotocol: primary-backup\ncluster: { nodes: 3 }\nnetwork:\n  delya: 1ms\n  los: 0.1\nphases: { faulty: 5 parsecs }\n',
    );
    const lines = expectUserError(run(f), 65);
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => /^.*?:(\d+):(\d+) (\S+):/.exec(l)?.slice(1))).toEqual([
      ['5', '3', 'network.delya'],
      ['6', '3', 'network.los'],
      ['7', '19', 'phases.faulty'],
    ]);
    for (const l of lines) expect(l.startsWith(`${f}:`)).toBe(true);
  });

  it('a nonexistent scenario file', () => {
    const f = join(dir, 'nope.yaml');
    expect(expectUserError(run(f), 65)).toEqual([`${f}: cannot read scenario file (no such file)`]);
  });

  it('a protocol module that does not exist: file:line:col protocol', () => {
    const f = scenario(
      'missing-module.yaml',
      'name: x\nprotocol: ./missing.js\ncluster: { nodes: 3 }\n',
    );
    const lines = expectUserError(run(f), 65);
    expect(lines).toEqual([`${f}:2:11 protocol: no module at ${join(dir, 'missing.js')}`]);
  });

  it('a protocol module that exports no protocol', () => {
    writeFileSync(join(dir, 'not-a-protocol.js'), 'export default 42;\n');
    const f = scenario(
      'not-protocol.yaml',
      'name: x\nprotocol: ./not-a-protocol.js\ncluster: { nodes: 3 }\n',
    );
    const lines = expectUserError(run(f), 65);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(`^${escapeRegExp(f)}:2:11 protocol: \\./not-a-protocol\\.js must export`),
    );
  });

  it('a protocol module that throws on import', () => {
    writeFileSync(join(dir, 'throws.js'), "throw new Error('boom at import');\n");
    const f = scenario('throws.yaml', 'name: x\nprotocol: ./throws.js\ncluster: { nodes: 3 }\n');
    const lines = expectUserError(run(f), 65);
    expect(lines).toEqual([`${f}:2:11 protocol: could not import ./throws.js: boom at import`]);
  });
});

describe('bad flags: exit 64, one message naming the flag', () => {
  const SC = 'scenarios/showcase.yaml';
  const flagError = (args: string[]): string => {
    const lines = expectUserError(cli(args), 64);
    expect(lines, lines.join('\n')).toHaveLength(1);
    return lines[0] as string;
  };

  it('--seeds 5..1', () => {
    expect(flagError(['run', SC, '--seeds', '5..1'])).toBe(
      '--seeds: the range 5..1 is empty (end before start)',
    );
  });

  it('--seeds that is not a range', () => {
    expect(flagError(['run', SC, '--seeds', '1-5'])).toContain(
      '--seeds: expected a range like 1..1000',
    );
  });

  it('--seed abc', () => {
    expect(flagError(['run', SC, '--seed', 'abc'])).toBe(
      '--seed: expected a non-negative integer, got "abc"',
    );
  });

  it('--workers 0', () => {
    expect(flagError(['run', SC, '--seeds', '1..2', '--workers', '0'])).toBe(
      '--workers: expected a positive integer',
    );
  });

  it('--seed and --seeds together', () => {
    expect(flagError(['run', SC, '--seed', '1', '--seeds', '1..2'])).toMatch(
      /seed.*seeds.*mutually exclusive/,
    );
  });

  it('an unknown option', () => {
    expect(flagError(['run', SC, '--seed', '1', '--frobnicate'])).toContain('frobnicate');
  });

  it('an unknown command', () => {
    expect(flagError(['frobnicate'])).toContain('frobnicate');
  });

  it('a near-miss command: Did you mean', () => {
    expect(flagError(['rn', SC])).toContain('Did you mean run?');
  });

  it('no command', () => {
    expect(flagError([])).toContain('name a command');
  });

  it('--bug nope names the flag and the bugs the protocol has', () => {
    const msg = flagError(['run', SC, '--seed', '1', '--bug', 'nope']);
    expect(msg).toMatch(/^--bug: unknown bug nope: primary-backup has /);
    expect(msg).toContain('primary-backup.fail-when-deposed');
  });

  it('--bug with a near-miss name suggests the real one', () => {
    expect(
      flagError(['run', SC, '--seed', '1', '--bug', 'primary-backup.fail-when-depose']),
    ).toContain('did you mean primary-backup.fail-when-deposed');
  });
});
