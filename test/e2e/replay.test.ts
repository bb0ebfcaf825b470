/**
 * `faultline replay <result.json>`: reruns the recorded seed, confirms the trace hash, exits with
 * the verdict's code; a hash that does not match is exit 70; a result file that is missing, not
 * JSON, not ours or of another schema version is exit 65, named by file (and line:col).
 */
import {
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  cli,
  type CliResult,
  faultline,
  linesOf,
  readJson,
  type ResultDoc,
  ROOT,
  show,
  STACK_LINE,
  useTempDirs,
} from './cli.js';

const temp = useTempDirs();

/** Nine messages in ten are lost and final reads get 60 ms: liveness fails on every seed. */
const NO_FAULTS = `protocol: primary-backup
network: { loss: 0.9 }
workload: { clients: 2, timeout: 20ms }
phases: { faulty: 300ms, healed: 100ms, final: 60ms }
`;

/** One message on stderr, no stack trace, nothing on stdout. */
function expectUserError(r: CliResult, code: number): string {
  expect(r.code, show(r)).toBe(code);
  expect(r.stderr).not.toMatch(STACK_LINE);
  expect(r.stderr).toMatch(/^faultline: /);
  return r.stderr;
}

describe('replay', () => {
  let dir: string;
  let validPath: string;
  let valid: ResultDoc;
  let invalidPath: string;
  let invalid: ResultDoc;

  beforeAll(async () => {
    dir = temp('replay');
    // Recorded by a process of its own; replayed below in this one.
    const a = cli(['run', 'scenarios/showcase.yaml', '--seed', '1', '--out', dir]);
    if (a.code !== 0) throw new Error(`setup run failed:\n${show(a)}`);
    validPath = join(dir, 'showcase', '1', 'result.json');
    valid = readJson<ResultDoc>(validPath);
    const b = await faultline([
      'run',
      'scenarios/fast/pb-sync-power-loss.yaml',
      '--seed',
      '6',
      '--bug',
      'primary-backup.fail-when-deposed',
      '--out',
      dir,
    ]);
    if (b.code !== 1) throw new Error(`setup run with a bug did not fail:\n${show(b)}`);
    invalidPath = join(dir, 'pb-sync-power-loss', '6', 'result.json');
    invalid = readJson<ResultDoc>(invalidPath);
  });

  it('reruns a valid result: replay ok with the same hash, exit 0', async () => {
    const r = await faultline(['replay', validPath]);
    expect(r.code, show(r)).toBe(0);
    const lines = linesOf(r.stdout);
    expect(lines[0]).toBe(
      'seed=1 scenario=scenarios/showcase.yaml protocol=primary-backup (replay)',
    );
    expect(lines[1]).toBe(`replay ok: trace hash ${valid.traceHash} matches the report`);
    expect(lines[2]).toBe(`seed 1 VALID trace=${valid.traceHash}`);
    expect(r.stderr).toBe('');
  });

  it('exits with the verdict code: 1 for a recorded failure, with its bugs switched on again', async () => {
    const r = await faultline(['replay', invalidPath]);
    expect(r.code, show(r)).toBe(1);
    const lines = linesOf(r.stdout);
    expect(lines[0]).toBe(
      'seed=6 scenario=scenarios/fast/pb-sync-power-loss.yaml protocol=primary-backup bug=primary-backup.fail-when-deposed (replay)',
    );
    expect(lines[1]).toBe(`replay ok: trace hash ${invalid.traceHash} matches the report`);
    expect(r.stdout).toMatch(/^\s+durability\s+violation\s/m);
  });

  it('--json prints one document on stdout and the seed line on stderr', async () => {
    const r = await faultline(['replay', validPath, '--json']);
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(r.stdout)).toEqual({
      seed: 1,
      recordedTraceHash: valid.traceHash,
      traceHash: valid.traceHash,
      match: true,
      scenarioChanged: false,
      verdict: 'valid',
      recordedVerdict: 'valid',
    });
    expect(linesOf(r.stderr)[0]).toBe(
      'seed=1 scenario=scenarios/showcase.yaml protocol=primary-backup (replay)',
    );
  });

  it('an edited traceHash is a replay mismatch: exit 70', async () => {
    const edited = join(dir, 'edited.json');
    const doc = JSON.parse(readFileSync(validPath, 'utf8')) as Record<string, unknown>;
    writeFileSync(edited, JSON.stringify({ ...doc, traceHash: '0123456789abcdef' }, null, 2));
    const msg = expectUserError(await faultline(['replay', edited]), 70);
    expect(msg).toContain('replay mismatch');
    expect(msg).toContain(`trace hash ${valid.traceHash}, recorded 0123456789abcdef`);
    expect(msg).toContain('same scenario');
  });

  describe('a scenario file edited after the run', () => {
    let d: string;
    let scenario: string;
    let result: string;
    beforeAll(async () => {
      d = temp('replay-edit');
      scenario = join(d, 'showcase.yaml');
      copyFileSync(join(ROOT, 'scenarios/showcase.yaml'), scenario);
      const a = await faultline(['run', scenario, '--seed', '1', '--out', d]);
      if (a.code !== 0) throw new Error(`setup run failed:\n${show(a)}`);
      result = join(d, 'showcase', '1', 'result.json');
    });

    it('replays from another working directory (the result names the scenario by absolute path)', async () => {
      const r = await faultline(['replay', result], { cwd: d });
      expect(r.code, show(r)).toBe(0);
      expect(r.stdout).toContain('replay ok: trace hash');
      expect(r.stdout).not.toContain('was edited');
    });

    it('a comment added: replay ok, and it says the file was edited', async () => {
      writeFileSync(scenario, `${readFileSync(scenario, 'utf8')}# a note of mine\n`);
      const r = await faultline(['replay', result]);
      expect(r.code, show(r)).toBe(0);
      expect(r.stdout).toContain(
        '(the scenario file was edited, but not in a way that changes this run)',
      );
    });

    it('the network changed: exit 70, naming the scenario change as the reason', async () => {
      const text = readFileSync(scenario, 'utf8');
      expect(text).toContain('max: 3ms');
      writeFileSync(scenario, text.replace('max: 3ms', 'max: 7ms'));
      const msg = expectUserError(await faultline(['replay', result]), 70);
      expect(msg).toContain('replay mismatch');
      expect(msg).toContain('the scenario file changed since the report was written');
    });
  });

  describe('a report opened from anywhere (item 3)', () => {
    // A project of its own: the run names its scenario relative to the project folder.
    let project: string;
    let elsewhere: string;
    const RESULT = join('reports', 'no-faults', '1', 'result.json');
    beforeAll(() => {
      project = join(temp('replay-anywhere'), 'project');
      elsewhere = temp('replay-elsewhere');
      mkdirSync(join(project, 'scenarios'), { recursive: true });
      writeFileSync(join(project, 'scenarios', 'no-faults.yaml'), NO_FAULTS);
      const a = cli(['run', 'scenarios/no-faults.yaml', '--seed', '1'], { cwd: project });
      if (a.code !== 1) throw new Error(`setup run did not fail liveness:\n${show(a)}`);
    });

    it('replay from another working directory finds the scenario relative to the report', () => {
      const r = cli(['replay', join(project, RESULT)], { cwd: elsewhere });
      expect(r.code, show(r)).toBe(1);
      expect(r.stdout).toContain('replay ok: trace hash');
      expect(r.stdout).toContain(`scenario=${join(project, 'scenarios', 'no-faults.yaml')}`);
    });

    it('shrink from another working directory too', () => {
      const out = join(elsewhere, 'regressions');
      const r = cli(['shrink', join(project, RESULT), '--out-dir', out, '--runs', '6'], {
        cwd: elsewhere,
      });
      expect(r.code, show(r)).toBe(0);
      expect(readdirSync(out)).toEqual(['no-faults-seed1.yaml']);
    });

    it('a project folder moved elsewhere: the report still finds its scenario', () => {
      const moved = join(elsewhere, 'moved');
      renameSync(project, moved);
      try {
        const r = cli(['replay', join('moved', RESULT)], { cwd: elsewhere });
        expect(r.code, show(r)).toBe(1);
        expect(r.stdout).toContain('replay ok: trace hash');
      } finally {
        renameSync(moved, project);
      }
    });

    it('a file at the recorded path with other content is passed over for the one that matches', () => {
      // From `elsewhere`, scenarios/no-faults.yaml is a different scenario of the same name.
      mkdirSync(join(elsewhere, 'scenarios'), { recursive: true });
      writeFileSync(join(elsewhere, 'scenarios', 'no-faults.yaml'), 'protocol: raft\n');
      const r = cli(['replay', join(project, RESULT)], { cwd: elsewhere });
      expect(r.code, show(r)).toBe(1);
      expect(r.stdout).toContain('replay ok: trace hash');
      expect(r.stdout).not.toContain('was edited');
    });
  });

  it('a result.json that is not JSON: exit 65 naming file:line:col', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{\n  "schemaVersion": 1,\n  "tool": oops\n}\n');
    const msg = expectUserError(await faultline(['replay', bad]), 65);
    expect(msg).toMatch(
      new RegExp(
        `^faultline: ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: not valid JSON`,
      ),
    );
  });

  it('a result.json that is not JSON: the line and column are where the error is', async () => {
    // `oops` starts at line 3, column 11.
    const bad = join(dir, 'bad-token.json');
    writeFileSync(bad, '{\n  "schemaVersion": 1,\n  "tool": oops\n}\n');
    const msg = expectUserError(await faultline(['replay', bad]), 65);
    expect(msg).toContain(`${bad}:3:11: not valid JSON`);
  });

  it('trailing garbage after the JSON: the line and column of the garbage', async () => {
    const bad = join(dir, 'trailing.json');
    writeFileSync(bad, '{\n  "schemaVersion": 1,\n  "tool": "faultline"\n}\nxyz\n');
    const msg = expectUserError(await faultline(['replay', bad]), 65);
    expect(msg).toContain(`${bad}:5:1: not valid JSON`);
  });

  it('an empty result.json: exit 65', async () => {
    const empty = join(dir, 'empty.json');
    writeFileSync(empty, '');
    expect(expectUserError(await faultline(['replay', empty]), 65)).toContain(
      `${empty}:1:1: not valid JSON`,
    );
  });

  it('schemaVersion 99: exit 65', async () => {
    const v99 = join(dir, 'v99.json');
    const doc = JSON.parse(readFileSync(validPath, 'utf8')) as Record<string, unknown>;
    writeFileSync(v99, JSON.stringify({ ...doc, schemaVersion: 99 }, null, 2));
    const msg = expectUserError(await faultline(['replay', v99]), 65);
    expect(msg).toContain(`${v99}:1:1 schemaVersion: expected 2, got 99`);
    expect(linesOf(msg)).toHaveLength(1);
  });

  it('JSON that is not a faultline result: exit 65', async () => {
    const other = join(dir, 'package.json');
    copyFileSync(join(ROOT, 'package.json'), other);
    const msg = expectUserError(await faultline(['replay', other]), 65);
    expect(msg).toContain('not a faultline result');
    expect(linesOf(msg)).toHaveLength(1);
  });

  it('a faultline result missing its seed: exit 65', async () => {
    const partial = join(dir, 'partial.json');
    writeFileSync(
      partial,
      JSON.stringify({
        schemaVersion: 2,
        tool: 'faultline',
        traceHash: 'x',
        bugs: [],
        scenario: { file: 'scenarios/showcase.yaml' },
      }),
    );
    expect(expectUserError(cli(['replay', partial]), 65)).toContain(
      `${partial}:1:1 seed: missing required field seed`,
    );
  });

  it.each([
    ['seed', -1.5, /:\d+:\d+ seed: expected a whole number, got -1\.5$/],
    ['bugs', ['nope'], /bugs: unknown bug nope: primary-backup has /],
    ['checks', 'none', /:\d+:\d+ checks: expected a list, got "none"$/],
    ['swarm', 7, /:\d+:\d+ swarm: expected a mapping, got 7$/],
  ])('a result with a bad %s: exit 65 naming the field', (field, value, message) => {
    const edited = join(dir, `bad-${field}.json`);
    const doc = JSON.parse(readFileSync(validPath, 'utf8')) as Record<string, unknown>;
    writeFileSync(edited, JSON.stringify({ ...doc, [field]: value }, null, 2));
    const msg = expectUserError(cli(['replay', edited]), 65);
    expect(linesOf(msg)).toHaveLength(1);
    expect(msg.trimEnd()).toMatch(message);
  });

  it('a missing file: exit 65', async () => {
    const missing = join(dir, 'nope', 'result.json');
    const msg = expectUserError(await faultline(['replay', missing]), 65);
    expect(msg).toContain(`${missing}: cannot read result file`);
    expect(linesOf(msg)).toHaveLength(1);
  });

  it('a result whose scenario file is gone: exit 65 naming the scenario', async () => {
    const gone = join(dir, 'gone.json');
    const doc = JSON.parse(readFileSync(validPath, 'utf8')) as {
      scenario: Record<string, unknown>;
    };
    // Neither the recorded path nor the one relative to the report leads to a file.
    const { relativeToReport: _, ...rest } = doc.scenario;
    const scenario = { ...rest, file: join(dir, 'deleted.yaml') };
    writeFileSync(gone, JSON.stringify({ ...doc, scenario }));
    expect(expectUserError(cli(['replay', gone]), 65)).toContain(
      `${join(dir, 'deleted.yaml')}: cannot read scenario file (no such file)`,
    );
  });
});
