/**
 * User errors end with one message per problem and their documented exit code, never a stack
 * trace: 65 for a bad scenario file (`file:line:col path: message`), 64 for bad flags.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  cli,
  type CliResult,
  faultline,
  linesOf,
  ROOT,
  show,
  STACK_LINE,
  useTempDirs,
} from './cli.js';

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
  const run = (path: string) => faultline(['run', path, '--seed', '1', '--out', out]);

  beforeAll(() => {
    dir = temp('bad-scenarios');
    out = join(dir, 'out');
  });

  it('a YAML syntax error names the file, line and column', async () => {
    const f = scenario(
      'syntax.yaml',
      'name: x\nprotocol: primary-backup\ncluster: { nodes: 3\nphases: { faulty: 1s }\n',
    );
    const lines = expectUserError(await run(f), 65);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^${escapeRegExp(f)}:[34]:\\d+ `));
  });

  it('an unknown key (a typo) is named with its position and the allowed keys', async () => {
    const f = scenario(
      'typo.yaml',
      'name: x\nprotocol: primary-backup\ncluster: { nodes: 3 }\nnetwork:\n  delya: { dist: uniform, min: 1ms, max: 2ms }\n',
    );
    const lines = expectUserError(await run(f), 65);
    expect(lines).toEqual([
      `${f}:5:3 network.delya: unknown field delya; expected one of delay, loss, duplicate, reorder, links, crossZone, replay`,
    ]);
    // Nothing ran, so nothing was written.
    expect(existsSync(out)).toBe(false);
  });

  it('a near-miss key gets a suggestion', async () => {
    const f = scenario(
      'near.yaml',
      'name: x\nprotocol: primary-backup\ncluster: { nodes: 3 }\nnetwork:\n  los: 0.1\n',
    );
    const lines = expectUserError(await run(f), 65);
    expect(lines).toEqual([`${f}:5:3 network.los: unknown field los (did you mean loss?)`]);
  });

  it('a bad duration', async () => {
    const f = scenario(
      'duration.yaml',
      'name: x\nprotocol: primary-backup\ncluster: { nodes: 3 }\nphases: { faulty: 5 parsecs }\n',
    );
    const lines = expectUserError(await run(f), 65);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^${escapeRegExp(f)}:4:19 phases\\.faulty: expected a duration .*got "5 parsecs"$`,
      ),
    );
  });

  it('an unknown node in a fault', async () => {
    const f = scenario(
      'node.yaml',
      'name: x\nprotocol: primary-backup\ncluster: { nodes: 3 }\nfaults:\n  schedule:\n    - { at: 1s, crash: n9, for: 1s }\n',
    );
    const lines = expectUserError(await run(f), 65);
    expect(lines).toEqual([
      `${f}:6:24 faults.schedule.0.crash: unknown node n9: the cluster has n1..n3`,
    ]);
  });

  it('clients: an unknown client placed, and a client cut when clients are not placed', async () => {
    const f = scenario(
      'clients.yaml',
      'protocol: raft\nworkload: { type: kv, clients: 2, placement: { c3: n1 } }\nfaults:\n  schedule:\n    - { at: 1s, partition: [[n1, c1], [n2, n3]] }\n',
    );
    expect(expectUserError(await run(f), 65)).toEqual([
      `${f}:2:48 workload.placement.c3: unknown client c3: the workload has c1..c2 (did you mean c1?)`,
    ]);
    const g = scenario(
      'unplaced.yaml',
      'protocol: raft\nfaults:\n  schedule:\n    - { at: 1s, partition: [[n1, c1], [n2, n3]] }\n',
    );
    expect(expectUserError(await run(g), 65)).toEqual([
      `${g}:4:34 faults.schedule.0.partition.0.1: c1 names a client, but clients reach every node unless placed: set workload.placement to beside (or { c1: n1, … }) to give them a side`,
    ]);
  });

  it('an unknown protocol names the known ones, in one line', async () => {
    const f = scenario(
      'protocol.yaml',
      'name: x\nprotocol: paxos-made-simpler\ncluster: { nodes: 3 }\n',
    );
    const lines = expectUserError(await run(f), 65);
    expect(lines, lines.join('\n')).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^${escapeRegExp(f)}:2:11 protocol: unknown protocol "paxos-made-simpler": expected one of primary-backup, raft, paxos, multi-paxos, crdt, dynamo, ping`,
      ),
    );
    expect(lines[0]).not.toContain('=>');
  });

  it('several problems: one message each, in file order', async () => {
    const f = scenario(
      'many.yaml',
      'name: x\nprotocol: primary-backup\ncluster: { nodes: 3 }\nnetwork:\n  delya: 1ms\n  los: 0.1\nphases: { faulty: 5 parsecs }\n',
    );
    const lines = expectUserError(await run(f), 65);
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => /^.*?:(\d+):(\d+) (\S+):/.exec(l)?.slice(1))).toEqual([
      ['5', '3', 'network.delya'],
      ['6', '3', 'network.los'],
      ['7', '19', 'phases.faulty'],
    ]);
    for (const l of lines) expect(l.startsWith(`${f}:`)).toBe(true);
  });

  it('a nonexistent scenario file', async () => {
    const f = join(dir, 'nope.yaml');
    expect(expectUserError(await run(f), 65)).toEqual([
      `${f}: cannot read scenario file (no such file)`,
    ]);
  });

  it('a protocol module that does not exist: file:line:col protocol', async () => {
    const f = scenario(
      'missing-module.yaml',
      'name: x\nprotocol: ./missing.js\ncluster: { nodes: 3 }\n',
    );
    const lines = expectUserError(await run(f), 65);
    expect(lines).toEqual([`${f}:2:11 protocol: no module at ${join(dir, 'missing.js')}`]);
  });

  it('a protocol module that exports no protocol', async () => {
    writeFileSync(join(dir, 'not-a-protocol.js'), 'export default 42;\n');
    const f = scenario(
      'not-protocol.yaml',
      'name: x\nprotocol: ./not-a-protocol.js\ncluster: { nodes: 3 }\n',
    );
    const lines = expectUserError(await run(f), 65);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(`^${escapeRegExp(f)}:2:11 protocol: \\./not-a-protocol\\.js must export`),
    );
  });

  it('a protocol module that throws on import', async () => {
    writeFileSync(join(dir, 'throws.js'), "throw new Error('boom at import');\n");
    const f = scenario('throws.yaml', 'name: x\nprotocol: ./throws.js\ncluster: { nodes: 3 }\n');
    const lines = expectUserError(await run(f), 65);
    expect(lines).toEqual([`${f}:2:11 protocol: could not import ./throws.js: boom at import`]);
  });
});

describe('inputs from the edge of the format (issue 9): exit 65, one message, no stack', () => {
  let dir: string;
  let out: string;
  const scenario = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const run = (path: string) => cli(['run', path, '--seed', '1', '--out', out]);

  beforeAll(() => {
    dir = temp('edge-scenarios');
    out = join(dir, 'out');
  });

  it('a 300-character name (item 4)', () => {
    const f = scenario('long-name.yaml', `name: ${'a'.repeat(300)}\nprotocol: raft\n`);
    expect(expectUserError(run(f), 65)).toEqual([
      `${f}:1:7 name: expected at most 100 characters (it names the report folder), got 300`,
    ]);
  });

  it('a 300-character file name becomes a safe report folder name (item 4)', () => {
    const f = scenario(`${'b'.repeat(250)}.yaml`, 'protocol: ping\nworkload: none\n');
    const r = run(f);
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toContain(`report: ${join(out, 'b'.repeat(100), '1', 'result.json')}`);
  });

  it('JSON nested 10,000 deep (item 5)', () => {
    const depth = 10_000;
    const f = scenario(
      'deep.json',
      `{"protocol":"raft","options":{"x":${'['.repeat(depth)}${']'.repeat(depth)}}}`,
    );
    expect(expectUserError(run(f), 65)).toEqual([
      `${f}:1:65 the document nests deeper than 32 levels (SCENARIO_NESTING_MAX); scenarios need fewer than 10`,
    ]);
  });

  it('YAML nested 10,000 deep (item 5)', () => {
    // A list of lists 10,000 deep in block style, 20 KB like the JSON above.
    const f = scenario(
      'deep.yaml',
      `protocol: raft\noptions:\n  x:\n    ${'- '.repeat(10_000)}1\n`,
    );
    expect(expectUserError(run(f), 65)).toEqual([
      `${f}:4:65 the document nests deeper than 32 levels (SCENARIO_NESTING_MAX); scenarios need fewer than 10`,
    ]);
  });

  it('30,000 unknown keys: 20 errors and a count (item 6)', () => {
    let text = 'protocol: raft\nnetwork:\n';
    for (let i = 0; i < 30_000; i++) text += `  k${i}: 1\n`;
    const f = scenario('keys.yaml', text);
    const lines = expectUserError(run(f), 65);
    expect(lines).toHaveLength(21);
    expect(lines[0]).toMatch(new RegExp(`^${escapeRegExp(f)}:3:3 network\\.k0: unknown field k0`));
    expect(lines[20]).toBe(`${f}: 29980 more problems not shown (the first 20 are listed)`);
  });

  it.each([
    [
      'options: { electionTimeoutMs: 1e308 }',
      /3:31 options\.electionTimeoutMs: expected a whole number from 1 to 60000, got 1e\+308$/,
    ],
    ['phases: { final: 0 }', /3:18 phases\.final: the final phase \(0us\)/],
    ['network: { loss: 1 }', /3:18 network\.loss: every message is lost/],
  ])('an absurd value: %s (item 7)', (line, message) => {
    const f = scenario('absurd.yaml', `name: x\nprotocol: raft\n${line}\n`);
    const lines = expectUserError(run(f), 65);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });
});

describe('a run past every default limit ends at one, and says which (item 8)', () => {
  it('raft-partition with a 600-minute faulty phase: bounded memory and time, status named', () => {
    const dir = temp('long');
    const f = join(dir, 'long.yaml');
    const text = readFileSync(join(ROOT, 'scenarios', 'raft-partition.yaml'), 'utf8');
    writeFileSync(
      f,
      text.replace(/^phases: .*$/m, 'phases: { faulty: 600m, healed: 1s, final: 2s }'),
    );
    // A heap far below the 1.6 GB the run reached before: the limits must stop it first (it
    // peaks at 174 MB resident, in 17 s).
    const r = spawnSync(
      process.execPath,
      [
        '--max-old-space-size=300',
        join(ROOT, 'dist/cli/main.js'),
        'run',
        f,
        '--seed',
        '1',
        '--out',
        dir,
      ],
      { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 240_000 },
    );
    expect(r.signal, r.stderr).toBeNull();
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(2);
    expect(r.stdout).toMatch(/virtual \(history-(ops|bytes)-limit\)/);
    expect(r.stdout).toMatch(/liveness +unknown .*limits\.history(Ops|Bytes)/);
  });
});

describe('bad flags: exit 64, one message naming the flag', () => {
  const SC = 'scenarios/showcase.yaml';
  const flagError = async (args: string[]): Promise<string> => {
    const lines = expectUserError(await faultline(args), 64);
    expect(lines, lines.join('\n')).toHaveLength(1);
    return lines[0] as string;
  };

  it('--seeds 5..1', async () => {
    expect(await flagError(['run', SC, '--seeds', '5..1'])).toBe(
      '--seeds: the range 5..1 is empty (end before start)',
    );
  });

  it('--seeds that is not a range', async () => {
    expect(await flagError(['run', SC, '--seeds', '1-5'])).toContain(
      '--seeds: expected a range like 1..1000',
    );
  });

  it('--seed abc', async () => {
    expect(await flagError(['run', SC, '--seed', 'abc'])).toBe(
      '--seed: expected a non-negative integer, got "abc"',
    );
  });

  it('--workers 0', async () => {
    expect(await flagError(['run', SC, '--seeds', '1..2', '--workers', '0'])).toBe(
      '--workers: expected a positive integer',
    );
  });

  it('--seed and --seeds together', async () => {
    expect(await flagError(['run', SC, '--seed', '1', '--seeds', '1..2'])).toMatch(
      /seed.*seeds.*mutually exclusive/,
    );
  });

  it('an unknown option', async () => {
    expect(await flagError(['run', SC, '--seed', '1', '--frobnicate'])).toContain('frobnicate');
  });

  it('an unknown command', async () => {
    expect(await flagError(['frobnicate'])).toContain('frobnicate');
  });

  it('a near-miss command: Did you mean', async () => {
    expect(await flagError(['rn', SC])).toContain('Did you mean run?');
  });

  it('no command', async () => {
    expect(await flagError([])).toContain('name a command');
  });

  it('--bug nope names the flag and the bugs the protocol has', async () => {
    const msg = await flagError(['run', SC, '--seed', '1', '--bug', 'nope']);
    expect(msg).toMatch(/^--bug: unknown bug nope: primary-backup has /);
    expect(msg).toContain('primary-backup.fail-when-deposed');
  });

  it('--bug with a near-miss name suggests the real one', async () => {
    expect(
      await flagError(['run', SC, '--seed', '1', '--bug', 'primary-backup.fail-when-depose']),
    ).toContain('did you mean primary-backup.fail-when-deposed');
  });
});
