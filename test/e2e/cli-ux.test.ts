/**
 * What a user of the CLI meets first, run in this process where the process does not matter and
 * spawned (or pasted into a shell) where it does: a misspelt flag or a bug named without its
 * protocol gets the name that was meant; a flag `--help` documents is accepted; `--seeds` is a
 * count or a range in `run` and `fuzz` alike, and the header says which; quoted globs are
 * expanded; the printed replay, shrink and run commands run as printed, from where the user
 * stands, in a clone or an install; a single failing seed shows the window of a linearizability
 * violation and the faults that fired.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cli,
  faultline,
  INSTALLED_NODE_ARGS,
  installedCopy,
  linesOf,
  ROOT,
  shell,
  show,
  STACK_LINE,
  useTempDirs,
} from './cli.js';

const temp = useTempDirs();

const SHOWCASE = 'scenarios/showcase.yaml';
const ASYNC_CRASH = 'scenarios/fast/pb-async-crash.yaml';
const GOSSIP = 'examples/gossip-kv/gossip.yaml';

/** Exit 64, one line on stderr, no stack: the message without its `faultline: `. */
async function flagError(args: readonly string[]): Promise<string> {
  const r = await faultline(args);
  expect(r.code, show(r)).toBe(64);
  expect(r.stderr).not.toMatch(STACK_LINE);
  const lines = linesOf(r.stderr);
  expect(lines, r.stderr).toHaveLength(1);
  return (lines[0] as string).replace(/^faultline: /, '');
}

describe('names that were nearly right', () => {
  it('an unknown flag gets the nearest one: --sede → --seed', async () => {
    expect(await flagError(['run', SHOWCASE, '--sede', '3'])).toBe(
      'Unknown argument: sede (did you mean --seed?)',
    );
    expect(await flagError(['fuzz', SHOWCASE, '--seeds', '2', '--wrkers', '1', '--zzzzzz'])).toBe(
      'Unknown arguments: wrkers (did you mean --workers?), zzzzzz',
    );
  });

  it('a bug named without its protocol gets the qualified names', async () => {
    const msg = await flagError(['run', SHOWCASE, '--seed', '1', '--bug', 'ack-before-fsync']);
    expect(msg).toMatch(/^--bug: unknown bug ack-before-fsync: primary-backup has /);
    expect(msg).toContain('did you mean primary-backup.ack-before-fsync?');
    expect(msg).toContain('raft.ack-before-fsync');
  });

  it('an unknown reporter gets the nearest one', async () => {
    expect(await flagError(['fuzz', SHOWCASE, '--seeds', '2', '--reporter', 'junt'])).toBe(
      '--reporter: unknown reporter "junt": expected default, junit, github (did you mean junit?)',
    );
  });
});

describe('flags the help documents are accepted', () => {
  const C01 = '../shared/conformance/porcupine/kv/c01-ok.txt';

  it('check --no-partition checks the history whole, as one partition', async () => {
    const split = await faultline(['check', C01]);
    expect(split.code, show(split)).toBe(0);
    expect(split.stdout).toContain('10 partitions');
    const whole = await faultline(['check', C01, '--no-partition']);
    expect(whole.code, show(whole)).toBe(0);
    expect(whole.stdout).toContain('(58 operations, model kv, 1 partition,');
  });

  it('check --help documents --no-partition', () => {
    const r = cli(['check', '--help']);
    expect(r.stdout.replace(/\n\s+/g, ' ')).toMatch(/--no-partition checks it whole/);
  });
});

describe('times print one way everywhere: 800us, 12.5ms, 1.234s', () => {
  const TIME = /^\d+(\.\d{1,3})?(us|ms|s)$/;

  it('check: the time a check took', async () => {
    const r = await faultline(['check', '../shared/conformance/porcupine/kv/c01-ok.txt']);
    expect(r.code, show(r)).toBe(0);
    const took = /, ([^,]*)\)$/.exec(linesOf(r.stdout)[0] ?? '')?.[1];
    expect(took, r.stdout).toMatch(TIME);
  });

  it('run: virtual times, the metrics and the wall time of a sweep', async () => {
    const r = await faultline([
      'run',
      SHOWCASE,
      '--seeds',
      '1..2',
      '--workers',
      '1',
      '--out',
      temp('t'),
    ]);
    expect(r.code, show(r)).toBe(0);
    const wall = /^ {2}wall time +(\S+) \(/m.exec(r.stdout)?.[1];
    expect(wall, r.stdout).toMatch(TIME);
    // A count (leaders elected) prints as a number; every other median is a time.
    expect(r.stdout).toMatch(/^ {2}leaders elected \(median p50\) +\d+$/m);
    const times = [...r.stdout.matchAll(/^ {2}(.+?) \(median p50\) +(\S+)$/gm)].filter(
      (m) => m[1] !== 'leaders elected',
    );
    expect(times.length).toBeGreaterThan(0);
    for (const m of times) expect(m[2]).toMatch(TIME);
  });

  it('run of one seed: a per-run count prints as its number, not a distribution of one', async () => {
    const r = await faultline(['run', SHOWCASE, '--seed', '1', '--out', temp('one')]);
    expect(r.code, show(r)).toBe(0);
    const line = r.stdout.split('\n').find((l) => l.includes('metrics (virtual time):')) ?? '';
    expect(line, r.stdout).toMatch(/ · leaders elected \d+( ·|$)/);
    // A measure seen once has no spread to show: its one value, and n=1.
    for (const m of line.matchAll(/(?:: | · )([a-z ]+?) (\S+) \(n=1\)/g))
      expect(m[2]).toMatch(TIME);
    expect(line).not.toMatch(/p50 (\S+) p99 \1 max \1 \(n=1\)/);
  });
});

describe('--seeds is a count or a range, in run and fuzz alike', () => {
  it('run --seeds 2 runs seeds 1..2 and says it read a count', async () => {
    const r = await faultline([
      'run',
      SHOWCASE,
      '--seeds',
      '2',
      '--workers',
      '1',
      '--out',
      temp('count'),
    ]);
    expect(r.code, show(r)).toBe(0);
    expect(linesOf(r.stdout)[0]).toBe(
      `seeds=1..2 scenario=${SHOWCASE} protocol=primary-backup workers=1 ` +
        '(--seeds 2: a count, from 1)',
    );
    expect(r.stdout).toMatch(/^VALID showcase over 2 seeds$/m);
  });

  it('fuzz --seeds 3..4 runs seeds 3..4 and says it read a range', async () => {
    const r = await faultline(['fuzz', SHOWCASE, '--seeds', '3..4', '--workers', '1', '--json']);
    expect(r.code, show(r)).toBe(0);
    expect(linesOf(r.stderr)[0]).toBe(
      `seeds=3..4 scenario=${SHOWCASE} protocol=primary-backup workers=1 (--seeds 3..4: a range)`,
    );
    const doc = JSON.parse(r.stdout) as { results: { seed: number }[] };
    expect(doc.results.map((x) => x.seed)).toEqual([3, 4]);
  });

  it('--from goes with a count only', async () => {
    expect(await flagError(['fuzz', SHOWCASE, '--seeds', '3..4', '--from', '2'])).toBe(
      '--from: a range (3..4) already says where it starts; --from goes with a count',
    );
  });
});

describe('globs', () => {
  it('fuzz expands a quoted glob itself, in sorted order', async () => {
    const dir = temp('globs');
    for (const name of ['b.yaml', 'a.yaml', 'c.json.txt'])
      copyFileSync(join(ROOT, 'scenarios/smoke/ping.yaml'), join(dir, name));
    const r = await faultline(['fuzz', '*.yaml', '--seeds', '1', '--workers', '1', '--json'], {
      cwd: dir,
    });
    expect(r.code, show(r)).toBe(0);
    const set = JSON.parse(r.stdout) as {
      kind: string;
      documents: { scenario: { file: string } }[];
    };
    expect(set.kind).toBe('fuzz-set');
    expect(set.documents.map((d) => d.scenario.file)).toEqual(['a.yaml', 'b.yaml']);
  });

  it('a pattern that matches nothing is named (exit 65)', async () => {
    const r = await faultline(['fuzz', 'scenarios/nothing-*.yaml', '--seeds', '1']);
    expect(r.code, show(r)).toBe(65);
    expect(r.stderr).toBe(
      'faultline: scenarios/nothing-*.yaml: no scenario file matches this pattern\n',
    );
  });
});

/** The `replay:` line of a run's text output, as printed. */
function replayLine(stdout: string): string {
  const line = linesOf(stdout).find((l) => l.startsWith('replay: '));
  if (line === undefined) throw new Error(`no replay line in:\n${stdout}`);
  return line.slice('replay: '.length);
}

const traceOf = (stdout: string) => /trace=([0-9a-f]{16})/.exec(stdout)?.[1];

/** The gossip example (a user's protocol module) copied into `dir`: it loses writes on seed 1. */
function gossipIn(dir: string): string {
  copyFileSync(join(ROOT, GOSSIP), join(dir, 'gossip.yaml'));
  copyFileSync(join(ROOT, 'examples/gossip-kv/gossip-kv.js'), join(dir, 'gossip-kv.js'));
  return 'gossip.yaml';
}

describe('printed commands run as printed, from where the user stands', () => {
  it('in a clone, from the checkout: replay and shrink it', async () => {
    const out = temp('clone');
    const r = await faultline(['fuzz', ASYNC_CRASH, '--seeds', '1', '--from', '3', '--out', out]);
    expect(r.code, show(r)).toBe(1);
    expect(replayLine(r.stdout)).toBe(`node dist/cli/main.js run ${ASYNC_CRASH} --seed 3`);
    const again = shell(`${replayLine(r.stdout)} --out ${out}/again`, ROOT);
    expect(again.code, show(again)).toBe(1);
    expect(traceOf(again.stdout)).toBe(traceOf(r.stdout));
    const shrinkIt = linesOf(r.stdout).find((l) => l.startsWith('shrink it: '));
    expect(shrinkIt, show(r)).toBeDefined();
    const shrink = `${(shrinkIt as string).slice('shrink it: '.length)} --runs 2`;
    const shrunk = shell(`${shrink} --out-dir ${out}/regressions`, ROOT);
    expect(shrunk.code, show(shrunk)).toBe(0);
    const runIt = linesOf(shrunk.stdout).find((l) => l.startsWith('run it: '));
    expect(runIt, show(shrunk)).toMatch(/^run it: node dist\/cli\/main\.js run /);
    const rerun = shell(`${(runIt as string).slice('run it: '.length)} --out ${out}/rerun`, ROOT);
    expect(rerun.code, show(rerun)).toBe(1);
  });

  it('in a clone, from another directory', async () => {
    const cwd = temp('elsewhere');
    const r = await faultline(['run', gossipIn(cwd), '--seed', '1'], { cwd });
    expect(r.code, show(r)).toBe(1);
    expect(replayLine(r.stdout)).toMatch(/^node \S*dist\/cli\/main\.js run gossip\.yaml --seed 1$/);
    const again = shell(replayLine(r.stdout), cwd);
    expect(again.code, show(again)).toBe(1);
    expect(traceOf(again.stdout)).toBe(traceOf(r.stdout));
  });

  it('in a project that installed faultline: npx faultline', () => {
    const host = temp('installed');
    const { main } = installedCopy(host);
    const r = cli(['run', gossipIn(host), '--seed', '1'], {
      cwd: host,
      main,
      nodeArgs: INSTALLED_NODE_ARGS,
    });
    expect(r.code, show(r)).toBe(1);
    const replay = replayLine(r.stdout);
    expect(replay).toBe('npx faultline run gossip.yaml --seed 1');
    // Offline: npx must find the project's own faultline, never ask the registry.
    const again = shell(replay, host, { npm_config_offline: 'true' });
    expect(again.code, show(again)).toBe(1);
    expect(traceOf(again.stdout)).toBe(traceOf(r.stdout));
  });
});

describe('a single failing seed in detail', () => {
  it('shows the linearizability window and the faults that fired, as a schedule', async () => {
    const r = await faultline([
      'run',
      'scenarios/raft-partition.yaml',
      '--seed',
      '28',
      '--bug',
      'raft.stale-read',
      '--out',
      temp('window'),
    ]);
    expect(r.code, show(r)).toBe(1);
    const lines = linesOf(r.stdout);
    const at = lines.findIndex((l) => l.startsWith('  linearizability window (key k0;'));
    expect(at, show(r)).toBeGreaterThan(0);
    expect(lines[at + 1]).toMatch(/^ {4}#\d+ c\d: \S.* {2}\[\d[\d.]*m?s, \d[\d.]*m?s\]$/);
    expect(lines).toContain(
      '  longest linearizable prefix: 33 operations, ending with append(k0, "c1.41") -> ok',
    );
    const faults = lines.findIndex((l) => /^ {2}faults fired \(\d+, as a schedule\):$/.test(l));
    expect(faults, show(r)).toBeGreaterThan(at);
    expect(lines[faults + 1]).toMatch(/^ {4}\d[\d.]*m?s (partition|clog|crash|pause) /);
  });

  it('wraps the long verdict line to the width of the output', async () => {
    const dir = temp('wrap');
    const r = await faultline(['run', gossipIn(dir), '--seed', '1'], { cwd: dir });
    expect(r.code, show(r)).toBe(1);
    const verdict = linesOf(r.stdout).findIndex((l) => l.startsWith('seed 1 INVALID'));
    const lines = linesOf(r.stdout);
    expect((lines[verdict] as string).length).toBeLessThanOrEqual(100);
    expect(lines[verdict + 1]).toMatch(/^ {4}\S/);
  });
});
