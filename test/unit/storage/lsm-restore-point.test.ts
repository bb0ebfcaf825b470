/**
 * Where a point-in-time restore stops (restore-point.ts), from what backups record: a time maps
 * to the latest backup at or before it, a sequence number stands, and the point a restore
 * vouches for is the time of the latest backup the stop reaches. And a restored image numbers
 * its new files past every file on the target, so backing the restored node up again never
 * overwrites a file an earlier backup holds.
 */
import { describe, expect, it } from 'vitest';
import { Prng } from '../../../src/core/prng.js';
import { NO_FAULTS, SimDisk } from '../../../src/disk/index.js';
import { type BackupMeta, backup, listBackups, restore } from '../../../src/storage/lsm/backup.js';
import type { CheckpointImage } from '../../../src/storage/lsm/checkpoint.js';
import { parseFileName } from '../../../src/storage/lsm/file-names.js';
import { DEFAULT_LSM_OPTIONS } from '../../../src/storage/lsm/lsm-options.js';
import { resolvePoint } from '../../../src/storage/lsm/restore-point.js';
import { LsmDiskDriver } from './lsm-disk-driver.js';

const LOSE_ALL = { keepUnsyncedPpm: 0, tornPpm: 0, dirOpsKeepPpm: 0 };
const options = { ...DEFAULT_LSM_OPTIONS, blockBytes: 128 };
const newDisk = (seed: number) =>
  new SimDisk(
    { sectorBytes: 512, crash: LOSE_ALL, faults: NO_FAULTS },
    Prng.root(seed).fork('restore-point'),
  );

const meta = (id: number, seq: number, atUs: number) => ({ id, seq, atUs }) as BackupMeta;
const BACKUPS = [meta(1, 10, 1_000_000), meta(2, 25, 2_000_000), meta(3, 40, 3_000_000)];

describe('restore points', () => {
  it('a time maps to the latest backup taken at or before it', () => {
    expect(resolvePoint(BACKUPS, { kind: 'time', atUs: 2_500_000 })).toEqual({
      upTo: 25,
      pointUs: 2_000_000,
    });
    expect(resolvePoint(BACKUPS, { kind: 'time', atUs: 3_000_000 })).toEqual({
      upTo: 40,
      pointUs: 3_000_000,
    });
  });

  it('a time before the first backup is refused with the first backup’s time', () => {
    expect(resolvePoint(BACKUPS, { kind: 'time', atUs: 500_000 })).toEqual({
      kind: 'error',
      reason: 'no backup at or before 500ms (the first is at 1s)',
    });
    expect(resolvePoint([], { kind: 'latest' })).toEqual({
      kind: 'error',
      reason: 'the target holds no backup',
    });
  });

  it('a sequence number stands; it vouches for the latest backup it reaches', () => {
    expect(resolvePoint(BACKUPS, { kind: 'seq', seq: 30 })).toEqual({
      upTo: 30,
      pointUs: 2_000_000,
    });
    // Before the first backup's sequence number: no acknowledged write is vouched for.
    expect(resolvePoint(BACKUPS, { kind: 'seq', seq: 5 })).toEqual({ upTo: 5, pointUs: 0 });
    expect(resolvePoint(BACKUPS, { kind: 'latest' })).toEqual({ upTo: 40, pointUs: 3_000_000 });
  });

  it('a restored image numbers its files past every file on the target', () => {
    const d = new LsmDiskDriver(options, 1, LOSE_ALL);
    d.open();
    const target = newDisk(2);
    for (let i = 1; i <= 12; i++) {
      d.run((e, fx) => e.put(`k${i % 3}`, `v${i}`, fx));
      d.settle();
      if (i % 4 === 0) {
        d.run((e, fx) => e.flush(fx));
        d.settle();
      }
      if (i % 3 === 0) backup(target, d.live.checkpoint(d.disk) as CheckpointImage, '', i * 1000);
    }
    expect(listBackups(target).map((b) => b.atUs)).toEqual([3000, 6000, 9000, 12000]);
    const dest = newDisk(3);
    expect(restore(target, dest, { upTo: 6, blockBytes: 128 })).toMatchObject({
      kind: 'restored',
      seq: 6,
    });
    const onTarget = target
      .list()
      .map((f) => parseFileName(f)?.n ?? 0)
      .reduce((a, b) => Math.max(a, b), 0);
    const restored = new LsmDiskDriver(options, 1, LOSE_ALL, undefined, dest);
    expect(restored.open().kind).toBe('recovered');
    restored.run((e, fx) => e.put('new', 'x', fx));
    restored.settle();
    restored.run((e, fx) => e.flush(fx));
    restored.settle();
    const fresh = dest
      .list()
      .map((f) => parseFileName(f))
      .filter((p) => p !== undefined);
    expect(fresh.length).toBeGreaterThan(0);
    for (const p of fresh) {
      if (target.list().some((f) => parseFileName(f)?.n === p.n && f.endsWith('.log')))
        expect.fail(`restored WAL segment ${p.n} has a name the target holds`);
    }
    expect(Math.max(...fresh.map((p) => p.n))).toBeGreaterThan(onTarget);
  });
});
