/**
 * Backups and point-in-time restore from the command line (issue 13): the shipped scenarios run
 * clean and report each restore's point and measured loss; a restore that skips its WAL replay
 * is caught; restores that cannot be (no backup to their target, a time before the first backup
 * or after the restore, an unknown node) and backups on a protocol without a backup tool are
 * exit 65 with one positioned message each.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { faultline, linesOf, runBadScenario, show, useTempDirs } from './cli.js';

const temp = useTempDirs();

const NO_TARGET = `protocol: kv-store
cluster: { nodes: 1 }
faults:
  schedule:
    - { at: 1s, backup: n1, target: vault, every: 500ms }
    - { at: 2s, disaster: n1 }
    - { at: 3s, restore: n1, target: offsite }
`;

const BAD_POINTS = `protocol: kv-store
cluster: { nodes: 1 }
faults:
  schedule:
    - { at: 1s, backup: n1, every: 500ms }
    - { at: 2s, disaster: n1 }
    - { at: 3s, restore: n1, time: 500ms }
    - { at: 3s, restore: n1, time: 4s }
    - { at: 3s, restore: n2 }
`;

const NO_ENGINE = `protocol: raft
cluster: { nodes: 3 }
faults:
  schedule:
    - { at: 1s, backup: n1 }
`;

async function run(args: readonly string[], name: string) {
  return faultline([...args, '--out', join(temp(name), 'out')]);
}

const bad = (name: string, text: string) => runBadScenario(temp(name), name, text);

describe('backups and restore in a scenario', () => {
  it('restore to latest: clean, with the restore point and the writes it cost', async () => {
    const r = await run(['run', 'scenarios/lsm-backup-restore.yaml', '--seed', '1'], 'latest');
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toMatch(
      /restore of n1 at 3\.4s to its point 3s lost \d+ acknowledged writes \(RPO: acknowledged 3\.\d+s to 3\.\d+s/,
    );
    const fired = linesOf(r.stdout).map((l) => l.trim());
    expect(fired).toEqual(
      expect.arrayContaining([
        '500ms backup n1 to vault',
        '3.2s disaster n1',
        '3.4s restore n1 from vault',
      ]),
    );
    expect(r.stdout).toMatch(/full backup bytes [\d,]+ · /);
    expect(r.stdout).toMatch(/incremental backup bytes p50 [\d,]+/);
    expect(r.stdout).toMatch(/restore to first reply \d[\d.]*(us|ms|s) \(n=1\)/);
  });

  it('restore to a time: the point is the last backup at or before it', async () => {
    const r = await run(['run', 'scenarios/lsm-pitr.yaml', '--seed', '1'], 'pitr');
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toMatch(/restore of n1 at 3\.3s to its point 2s lost \d+ acknowledged/);
  });

  it('a restore that skips the WAL replay loses writes it vouched for', async () => {
    const r = await run(
      [
        'run',
        'scenarios/lsm-backup-restore.yaml',
        '--seed',
        '1',
        '--bug',
        'kv-store.restore-skips-wal-replay',
      ],
      'skip',
    );
    expect(r.code, show(r)).toBe(1);
    expect(r.stdout).toMatch(
      /acknowledged writes lost \(first: append\([^)]*\) at [\d.]+m?s\), though the restore of n1 at 3\.4s vouched for every write acknowledged by 3s/,
    );
  });

  it('a restore with no backup to its target is exit 65', async () => {
    const { f, lines } = await bad('no-target', NO_TARGET);
    expect(lines).toEqual([
      `${f}:7:26 faults.schedule.2.restore: restore at 3s from target offsite, but no backup to offsite comes before it: add one, e.g. { at: 1s, backup: n1, target: offsite, every: 500ms }`,
    ]);
  });

  it('a restore to a time before the first backup, or after itself, or of no node: exit 65', async () => {
    const { f, lines } = await bad('points', BAD_POINTS);
    expect(lines).toEqual([
      `${f}:7:36 faults.schedule.2.time: restore to 500ms is before the first backup to vault at 1s: nothing was backed up by then`,
      `${f}:8:36 faults.schedule.3.time: restore to 4s is after the restore itself at 3s: a restore goes back in time`,
      `${f}:9:26 faults.schedule.4.restore: unknown node n2: the cluster has only n1`,
    ]);
  });

  it('a backup on a protocol with no backup tool is exit 65', async () => {
    const { f, lines } = await bad('raft', NO_ENGINE);
    expect(lines).toEqual([
      `${f}:5:25 faults.schedule.0.backup: raft offers no backups: backup, disaster and restore need a protocol with a storage engine whose definition says backups: true (kv-store)`,
    ]);
  });
});
