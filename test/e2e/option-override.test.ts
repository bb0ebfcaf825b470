/**
 * `--option KEY=VALUE` on `run` and `fuzz`: an existing scenario runs with another protocol option
 * (here Raft with `storage: lsm`) without a copied file, exactly as a copy that says so would; the
 * printed replay command and result.json repeat the flag, so a failing seed replays byte for
 * byte; an unknown option or a bad value is one message and exit 64.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CLI,
  faultline,
  linesOf,
  readJson,
  type ResultDoc,
  show,
  STACK_LINE,
  useTempDirs,
} from './cli.js';

const temp = useTempDirs();
const SCENARIO = 'scenarios/raft-elections.yaml';
const BUG = 'raft.vote-before-persist';
/** Seed 59 is the first of 300 this bug fails with storage: lsm (raft's named-bugs.ts). */
const SEED = '59';

describe('--option', () => {
  it('runs the scenario as a copy that sets the option would, and replays the same hash', async () => {
    const dir = temp('option');
    const copy = join(dir, 'raft-elections-lsm.yaml');
    const text = readFileSync(SCENARIO, 'utf8');
    writeFileSync(copy, text.replace(/^options: \{ /m, 'options: { storage: lsm, '));
    const flags = ['--seed', SEED, '--bug', BUG];
    const over = await faultline([
      'run',
      SCENARIO,
      ...flags,
      '--out',
      dir,
      '--option',
      'storage=lsm',
    ]);
    const elsewhere = ['--out', temp('option-copy'), '--json'];
    const copied = await faultline(['run', copy, ...flags, ...elsewhere]);
    expect(over.code, show(over)).toBe(1);
    const lines = linesOf(over.stdout);
    expect(lines[0]).toBe(
      `seed=${SEED} scenario=${SCENARIO} protocol=raft bug=${BUG} option=storage=lsm`,
    );
    expect(lines[1]).toBe(
      `replay: ${CLI} run ${SCENARIO} --seed ${SEED} --bug ${BUG} --option storage=lsm`,
    );
    const path = join(dir, 'raft-elections', SEED, 'result.json');
    const recorded = readJson<ResultDoc & { options: string[] }>(path);
    expect(recorded.options).toEqual(['storage=lsm']);
    expect(recorded.traceHash).toBe((JSON.parse(copied.stdout) as ResultDoc).traceHash);
    const plain = await faultline(['run', SCENARIO, ...flags, ...elsewhere]);
    expect((JSON.parse(plain.stdout) as ResultDoc).traceHash).not.toBe(recorded.traceHash);
    const replay = await faultline(['replay', path]);
    expect(replay.stdout, show(replay)).toContain(
      `replay ok: trace hash ${recorded.traceHash} matches the report`,
    );
  });

  it('fuzz: the header, the JSON document and the replay command carry the flag', async () => {
    const dir = temp('option-fuzz');
    const r = await faultline([
      'fuzz',
      SCENARIO,
      '--seeds',
      `${SEED}..${SEED}`,
      '--bug',
      BUG,
      '--option',
      'storage=lsm',
      '--workers',
      '1',
      '--reports-max',
      '0',
      '--json',
      '--out',
      dir,
    ]);
    expect(r.code, show(r)).toBe(1);
    expect(r.stderr).toContain(`bug=${BUG} option=storage=lsm`);
    const doc = JSON.parse(r.stdout) as { options: string[]; replay: string };
    expect(doc.options).toEqual(['storage=lsm']);
    expect(doc.replay).toBe(
      `${CLI} run ${SCENARIO} --seed ${SEED} --bug ${BUG} --option storage=lsm`,
    );
  });

  it('refuses an unknown option, a bad value or a malformed flag: one message, exit 64', async () => {
    const cases: [string, string, string][] = [
      ['run', 'storag=lsm', 'options.storag: unknown field storag (did you mean storage?)'],
      ['fuzz', 'storage=lsmm', 'options.storage: expected memory or lsm, got "lsmm"'],
      ['run', 'storage', 'expected KEY=VALUE, like storage=lsm'],
    ];
    for (const [command, flag, message] of cases) {
      const seeds = command === 'run' ? ['--seed', '1'] : ['--seeds', '1'];
      const r = await faultline([command, SCENARIO, ...seeds, '--option', flag]);
      expect(r.code, show(r)).toBe(64);
      expect(r.stderr).not.toMatch(STACK_LINE);
      expect(r.stderr).toContain(`faultline: --option ${flag}: ${message}`);
      expect(r.stdout).toBe('');
    }
  });
});
