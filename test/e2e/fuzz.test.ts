/**
 * `faultline fuzz`, `merge` and `shrink`, the built command line run in this process (the
 * process boundary is tested in cli-ux and output): a sweep's results do not
 * depend on the number of workers; shards 1/3, 2/3 and 3/3 merged are the whole sweep;
 * --stop-on-first stops at the same seed whatever the threads do; --swarm results replay; a
 * shrunk scenario file fails on its own with fewer faults and never overwrites another, and
 * raft-elections' bridges and majorities rings are written down exactly so its schedule shrinks;
 * bad flags are one message and exit 64.
 *
 * Kept small (pb-async-crash, whose lowest failing seed is 3; pb-sync-power-loss seed 6 with the
 * fail-when-deposed bug, 2 s a run), so the file runs in well under a minute.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CLI,
  faultline,
  type CliResult,
  linesOf,
  readJson,
  show,
  STACK_LINE,
  useTempDirs,
} from './cli.js';

const temp = useTempDirs();

const ASYNC_CRASH = 'scenarios/fast/pb-async-crash.yaml';
/** Fails on seed 6 with primary-backup.fail-when-deposed (its canary), in 2 s a run. */
const POWER_LOSS = 'scenarios/fast/pb-sync-power-loss.yaml';
const SHOWCASE = 'scenarios/showcase.yaml';
const FAIL_WHEN_DEPOSED = 'primary-backup.fail-when-deposed';
const RAFT_ELECTIONS = 'scenarios/raft-elections.yaml';

interface FuzzDoc {
  readonly kind: string;
  readonly sweep: { readonly from: number; readonly to: number };
  readonly stoppedAfter: number | null;
  readonly lowestFailingSeed: number | null;
  readonly violationsByChecker: Record<string, number>;
  readonly counts: Record<string, number>;
  readonly replay: string | null;
  readonly reports: readonly string[];
  readonly results: readonly {
    readonly seed: number;
    readonly verdict: string;
    readonly traceHash: string;
    readonly swarm?: unknown;
  }[];
}

async function fuzzJson(args: readonly string[]): Promise<{ run: CliResult; doc: FuzzDoc }> {
  const run = await faultline(['fuzz', ...args, '--json']);
  if (![0, 1, 2].includes(run.code)) throw new Error(show(run));
  return { run, doc: JSON.parse(run.stdout) as FuzzDoc };
}

/** The per-seed identity of a sweep: what must not depend on threads, shards or batches. */
const identity = (d: FuzzDoc) => d.results.map((r) => `${r.seed} ${r.verdict} ${r.traceHash}`);

describe('fuzz sweeps', () => {
  let out: string;
  let stop1: FuzzDoc;
  let stop2: FuzzDoc;
  beforeAll(async () => {
    out = temp('fuzz');
    stop1 = (
      await fuzzJson([
        ASYNC_CRASH,
        '--seeds',
        '40',
        '--stop-on-first',
        '--workers',
        '1',
        '--out',
        join(out, 'r1'),
      ])
    ).doc;
    stop2 = (
      await fuzzJson([
        ASYNC_CRASH,
        '--seeds',
        '40',
        '--stop-on-first',
        '--workers',
        '2',
        '--out',
        join(out, 'r2'),
      ])
    ).doc;
  });

  it('--stop-on-first stops after the first failing batch, the same on 1 and 2 workers', () => {
    expect(stop1.stoppedAfter).toBe(32);
    expect(stop1.results.map((r) => r.seed)).toEqual(Array.from({ length: 32 }, (_, i) => i + 1));
    expect(stop1.lowestFailingSeed).toBe(3);
    expect(identity(stop2)).toEqual(identity(stop1));
    expect(stop2.stoppedAfter).toBe(32);
    expect(stop2.replay).toBe(`${CLI} run ${ASYNC_CRASH} --seed 3`);
  });

  // The text table names the checkers that failed and the lowest failing seed.
  it('shards 1/3, 2/3 and 3/3, merged, are the whole sweep', async () => {
    const shards: FuzzDoc[] = [];
    for (const i of [1, 2, 3]) {
      const { doc, run } = await fuzzJson([
        ASYNC_CRASH,
        '--seeds',
        '10',
        '--shard',
        `${i}/3`,
        '--workers',
        '1',
        '--reports-max',
        '0',
        '--out',
        join(out, `s${i}`),
      ]);
      writeJsonFile(join(out, `shard-${i}.json`), run.stdout);
      shards.push(doc);
    }
    expect(shards.map((d) => [d.results[0]?.seed, d.results.at(-1)?.seed])).toEqual([
      [1, 4],
      [5, 8],
      [9, 10],
    ]);
    const files = [3, 1, 2].map((i) => join(out, `shard-${i}.json`));
    const merged = await faultline(['merge', ...files, '--json']);
    expect(merged.code, show(merged)).toBe(1);
    const doc = JSON.parse(merged.stdout) as FuzzDoc;
    // The whole sweep of seeds 1..10 is the first ten seeds of the stop-on-first run.
    expect(identity(doc)).toEqual(identity(stop1).slice(0, 10));
    expect(doc.lowestFailingSeed).toBe(3);
    const text = await faultline(['merge', ...files]);
    expect(text.code, show(text)).toBe(1);
    const lines = linesOf(text.stdout);
    expect(lines[1]).toBe(`replay: ${CLI} run ${ASYNC_CRASH} --seed 3`);
    expect(lines).toContain('INVALID pb-async-crash over 10 seeds');
    expect(lines.some((l) => /^ {2}seeds run +10$/.test(l))).toBe(true);
    expect(lines.some((l) => /^ {4}violated: durability +\d+$/.test(l))).toBe(true);
    expect(lines.some((l) => /^ {2}lowest failing seed +3$/.test(l))).toBe(true);
    expect(lines.some((l) => /seeds\/s\)$/.test(l))).toBe(true);
  });

  // merge takes the shards of each scenario and prints one table per scenario.
  it('fuzz of several scenarios prints a fuzz-set, and merges', async () => {
    const docs: { kind: string; documents: FuzzDoc[] }[] = [];
    for (const i of [1, 2]) {
      const run = await faultline([
        'fuzz',
        ASYNC_CRASH,
        SHOWCASE,
        '--seeds',
        '4',
        '--shard',
        `${i}/2`,
        '--workers',
        '1',
        '--reports-max',
        '0',
        '--json',
        '--out',
        join(out, `m${i}`),
      ]);
      expect(run.code, show(run)).toBe(i === 1 ? 0 : 1); // pb-async-crash first fails at seed 3
      writeJsonFile(join(out, `set-${i}.json`), run.stdout);
      docs.push(JSON.parse(run.stdout) as { kind: string; documents: FuzzDoc[] });
    }
    expect(docs.map((d) => [d.kind, d.documents.length])).toEqual([
      ['fuzz-set', 2],
      ['fuzz-set', 2],
    ]);
    const merged = await faultline([
      'merge',
      join(out, 'set-1.json'),
      join(out, 'set-2.json'),
      '--json',
    ]);
    expect(merged.code, show(merged)).toBe(1);
    const set = JSON.parse(merged.stdout) as { kind: string; documents: FuzzDoc[] };
    expect(set.kind).toBe('fuzz-set');
    expect(set.documents.map((d) => d.results.map((r) => r.seed))).toEqual([
      [1, 2, 3, 4],
      [1, 2, 3, 4],
    ]);
    expect(identity(set.documents[0] as FuzzDoc)).toEqual(identity(stop1).slice(0, 4));
    const text = await faultline(['merge', join(out, 'set-1.json'), join(out, 'set-2.json')]);
    expect(linesOf(text.stdout).filter((l) => /^(IN)?VALID /.test(l))).toEqual([
      'INVALID pb-async-crash over 4 seeds',
      'VALID showcase over 4 seeds',
    ]);
  });

  it('merge refuses overlapping shards and other bugs, naming the file (exit 65)', async () => {
    const one = join(out, 'shard-1.json');
    const overlap = await faultline(['merge', one, one]);
    expect(overlap.code, show(overlap)).toBe(65);
    expect(overlap.stderr).toBe(
      `faultline: ${one}: shard 1/3 is also in ${one}: the inputs overlap\n`,
    );
    // The same shard, as if run with another bug switched on.
    const other = join(out, 'bugged.json');
    const doc = JSON.parse(readFileSync(join(out, 'shard-2.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    writeJsonFile(other, JSON.stringify({ ...doc, bugs: ['primary-backup.fail-when-deposed'] }));
    const r = await faultline(['merge', one, other]);
    expect(r.code, show(r)).toBe(65);
    expect(r.stderr).toMatch(new RegExp(`^faultline: ${other}: bugs differs`));
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it('merge of shards 1/3 and 3/3 says 2/3 is missing and never calls the sweep whole', async () => {
    const files = [1, 3].map((i) => join(out, `shard-${i}.json`));
    const text = await faultline(['merge', ...files]);
    expect(text.code, show(text)).toBe(1); // seed 3, in shard 1, fails
    const lines = linesOf(text.stdout);
    expect(lines[1]).toBe(
      'INCOMPLETE: shard 2/3 (seeds 5..8) missing: 4 of 10 seeds are in no input, ' +
        'so this is not the whole sweep',
    );
    expect(lines).toContain('INVALID pb-async-crash over 6 of 10 (incomplete) seeds');
    const json = JSON.parse((await faultline(['merge', ...files, '--json'])).stdout) as Record<
      string,
      unknown
    >;
    expect(json.complete).toBe(false);
    expect(json.missing).toEqual({ shards: [2], shardCount: 3, seeds: 4, ranges: [[5, 8]] });
  });

  it('--swarm records each seed’s choice, and the replay command and replay reproduce it', async () => {
    const { doc } = await fuzzJson([
      ASYNC_CRASH,
      '--seeds',
      '6',
      '--swarm',
      '--workers',
      '1',
      '--out',
      join(out, 'swarm'),
    ]);
    expect(doc.results.every((r) => r.swarm !== undefined)).toBe(true);
    if (doc.lowestFailingSeed === null) return;
    expect(doc.replay).toBe(`${CLI} run ${ASYNC_CRASH} --seed ${doc.lowestFailingSeed} --swarm`);
    const replay = await faultline(['replay', doc.reports[0] as string]);
    expect(replay.stdout, show(replay)).toContain('replay ok');
  });
});

describe('shrinking', () => {
  // The shrunk file keeps the original’s comments.
  it('fuzz --shrink writes a scenario that fails on its own with fewer faults', async () => {
    const dir = temp('shrink');
    const r = await faultline([
      'fuzz',
      POWER_LOSS,
      '--seeds',
      '1',
      '--from',
      '6',
      '--bug',
      FAIL_WHEN_DEPOSED,
      '--shrink',
      '--runs',
      '5', // 5 runs take 7 faults to 5
      '--out',
      join(dir, 'reports'),
      '--out-dir',
      join(dir, 'regressions'),
    ]);
    expect(r.code, show(r)).toBe(1);
    const file = join(dir, 'regressions', 'pb-sync-power-loss-seed6.yaml');
    expect(r.stdout).toContain(`shrunk: ${file}`);
    const [, before, after] = /(\d+) faults? → (\d+) faults?/.exec(r.stdout) ?? [];
    expect(Number(after)).toBeLessThan(Number(before));
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^# Shrunk by faultline from a failure of the durability checker/);
    expect(text).toContain(`bugs: ${FAIL_WHEN_DEPOSED}`);
    expect(text).toContain('# yaml-language-server');
    expect(text).toContain('seed: 6');
    expect(text).not.toContain('random:');
    const rerun = await faultline([
      'run',
      file,
      '--bug',
      FAIL_WHEN_DEPOSED,
      '--out',
      join(dir, 'rerun'),
    ]);
    expect(rerun.code, show(rerun)).toBe(1);
    expect(rerun.stdout).toMatch(/durability +violation/);
  });

  // raft-elections' random partitions draw bridges and majorities rings; written down as the
  // exact links they cut, the materialized schedule reproduces the failure and shrinks.
  it.each([
    [3, 'raft.commit-past-verified'],
    [15, 'raft.vote-index-only'],
  ])(
    'shrink keeps the schedule of raft-elections seed %i (%s), bridges and rings included',
    async (seed, bug) => {
      const dir = temp('shrink-cut');
      const run = await faultline([
        'run',
        RAFT_ELECTIONS,
        '--seed',
        String(seed),
        '--bug',
        bug,
        '--out',
        dir,
      ]);
      expect(run.code, show(run)).toBe(1);
      const result = readJson<{ faults: { action: string; data?: { cut?: unknown } }[] }>(
        join(dir, 'raft-elections', String(seed), 'result.json'),
      );
      const cuts = result.faults.filter((f) => f.action === 'partition' && f.data?.cut);
      expect(cuts.length).toBeGreaterThan(0);
      const shrunk = await faultline([
        'shrink',
        join(dir, 'raft-elections', String(seed), 'result.json'),
        '--out-dir',
        join(dir, 'regressions'),
        '--runs',
        '12', // enough to shrink both (seed 3: 75 → 70 faults; seed 15: 147 → 37)
      ]);
      expect(shrunk.code, show(shrunk)).toBe(0);
      expect(shrunk.stdout).not.toContain('did not reproduce');
      const [, before, after] = /(\d+) faults? → (\d+) faults?/.exec(shrunk.stdout) ?? [];
      expect(Number(after), show(shrunk)).toBeLessThan(Number(before));
      const checker = /\(seed \d+, ([\w-]+)\)/.exec(shrunk.stdout)?.[1] as string;
      expect(checker, show(shrunk)).toBeDefined();
      const file = join(dir, 'regressions', `raft-elections-seed${seed}.yaml`);
      expect(readFileSync(file, 'utf8')).not.toContain('random:');
      const rerun = await faultline(['run', file, '--bug', bug, '--out', join(dir, 'rerun')]);
      expect(rerun.code, show(rerun)).toBe(1);
      expect(rerun.stdout).toMatch(new RegExp(`^ +${checker} +violation`, 'm'));
    },
  );

  it('shrink of a scenario with no faults: section shrinks its phases (item 3)', async () => {
    const dir = temp('shrink-no-faults');
    const scenario = join(dir, 'no-faults.yaml');
    // Nine messages in ten are lost and final reads get 60 ms: liveness fails on every seed.
    writeFileSync(
      scenario,
      'protocol: primary-backup\nnetwork: { loss: 0.9 }\nworkload: { clients: 2, timeout: 20ms }\nphases: { faulty: 300ms, healed: 100ms, final: 60ms }\n',
    );
    const run = await faultline(['run', scenario, '--seed', '1', '--out', dir]);
    expect(run.code, show(run)).toBe(1);
    const result = join(dir, 'no-faults', '1', 'result.json');
    const r = await faultline([
      'shrink',
      result,
      '--out-dir',
      join(dir, 'regressions'),
      '--runs',
      '6',
    ]);
    expect(r.code, show(r)).toBe(0);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.stdout).toContain(`shrunk: ${join(dir, 'regressions', 'no-faults-seed1.yaml')}`);
    expect(r.stdout).toContain('0 faults → 0 faults');
  });

  it('shrink <result.json> never overwrites: a second shrink gets a suffix', async () => {
    const dir = temp('shrink2');
    const run = await faultline(['fuzz', ASYNC_CRASH, '--seeds', '1', '--from', '3', '--out', dir]);
    expect(run.code, show(run)).toBe(1);
    const result = join(dir, 'pb-async-crash', '3', 'result.json');
    const regressions = join(dir, 'regressions');
    const first = await faultline(['shrink', result, '--out-dir', regressions, '--runs', '2']);
    expect(first.code, show(first)).toBe(0);
    expect(first.stdout).toMatch(/schedule:\n( {4}\S.*\n)+run it: node dist\/cli\/main\.js run /);
    const second = await faultline(['shrink', result, '--out-dir', regressions, '--runs', '2']);
    expect(second.code, show(second)).toBe(0);
    expect(readdirSync(regressions).sort()).toEqual([
      'pb-async-crash-seed3-2.yaml',
      'pb-async-crash-seed3.yaml',
    ]);
    expect(readJson<{ verdict: string }>(result).verdict).toBe('invalid');
  });
});

describe('bad flags: one message, exit 64', () => {
  const flagError = async (args: string[]): Promise<string> => {
    const r = await faultline(args);
    expect(r.code, show(r)).toBe(64);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(STACK_LINE);
    const lines = linesOf(r.stderr);
    expect(lines).toHaveLength(1);
    return (lines[0] as string).replace(/^faultline: /, '');
  };

  it('names the flag and what was wrong', async () => {
    expect(await flagError(['fuzz', ASYNC_CRASH, '--seeds', '10', '--shard', '4/3'])).toBe(
      '--shard: 4/3: the shard index must be between 1 and 3',
    );
    expect(await flagError(['fuzz', ASYNC_CRASH, '--seeds', '0'])).toBe(
      '--seeds: expected at least 1 seed, got 0',
    );
    expect(await flagError(['shrink', 'whatever.json', '--runs', '0'])).toBe(
      '--runs: expected a positive integer',
    );
  });
});

function writeJsonFile(path: string, text: string): void {
  // The document as fuzz printed it, byte for byte.
  writeFileSync(path, text);
}
