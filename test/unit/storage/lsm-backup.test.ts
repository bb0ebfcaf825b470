/**
 * Checkpoints, backups and point-in-time restore: a full backup copies every file and an
 * incremental one only what changed; a restore to a sequence number equals the state then; a
 * checkpoint saved on the engine's own disk under a prefix survives the engine's recovery; what
 * a crash lost after a backup (never durable) is not restored.
 */
import { describe, expect, it } from 'vitest';
import { Prng } from '../../../src/core/prng.js';
import { NO_FAULTS, SimDisk } from '../../../src/disk/index.js';
import { backup, listBackups, restore } from '../../../src/storage/lsm/backup.js';
import type { CheckpointImage } from '../../../src/storage/lsm/checkpoint.js';
import { DEFAULT_LSM_OPTIONS } from '../../../src/storage/lsm/lsm-options.js';
import { LsmDiskDriver } from './lsm-disk-driver.js';

const LOSE_ALL = { keepUnsyncedPpm: 0, tornPpm: 0, dirOpsKeepPpm: 0 };
const options = { ...DEFAULT_LSM_OPTIONS, blockBytes: 128 };

const newDisk = (seed: number) =>
  new SimDisk(
    { sectorBytes: 512, crash: LOSE_ALL, faults: NO_FAULTS },
    Prng.root(seed).fork('backup'),
  );

function driver(): LsmDiskDriver {
  const d = new LsmDiskDriver(options, 1, LOSE_ALL);
  d.open();
  return d;
}

const write = (d: LsmDiskDriver, k: string, v: string | undefined) => {
  d.run((e, fx) => (v === undefined ? e.delete(k, fx) : e.put(k, v, fx)));
  d.settle();
};
const image = (d: LsmDiskDriver) => d.live.checkpoint(d.disk) as CheckpointImage;
const state = (d: LsmDiskDriver) =>
  (d.live.scan('', undefined, d.disk) as { key: string; value: string }[]).map(
    (e) => `${e.key}=${e.value}`,
  );

function restored(target: SimDisk, upTo?: number): LsmDiskDriver {
  const dest = newDisk(9);
  const r = restore(target, dest, { ...(upTo === undefined ? {} : { upTo }), blockBytes: 128 });
  expect(r, JSON.stringify(r)).toMatchObject({ kind: 'restored' });
  const d = new LsmDiskDriver(options, 1, LOSE_ALL, undefined, dest);
  expect(d.open().kind).toBe('recovered');
  return d;
}

describe('backups', () => {
  it('a full backup copies every file; an incremental one only new tables and grown WAL', () => {
    const d = driver();
    const target = newDisk(2);
    write(d, 'a', '1');
    d.run((e, fx) => e.flush(fx));
    d.settle();
    write(d, 'b', '2');
    const full = backup(target, image(d));
    expect(full).toMatchObject({ id: 1, seq: 2, filesCopied: 2, filesShared: 0 });
    write(d, 'c', '3');
    const inc = backup(target, image(d));
    // The table is shared; only the grown WAL segment is copied again.
    expect(inc).toMatchObject({ id: 2, seq: 3, filesCopied: 1, filesShared: 1 });
    expect(listBackups(target).map((b) => b.seq)).toEqual([2, 3]);
    expect(state(restored(target))).toEqual(['a=1', 'b=2', 'c=3']);
  });

  it('restores to any sequence number the backups cover, through flushes and compactions', () => {
    const d = driver();
    const target = newDisk(3);
    const history: string[][] = [[]];
    for (let i = 1; i <= 24; i++) {
      write(d, `k${i % 5}`, i % 7 === 0 ? undefined : `v${i}`);
      history.push(state(d));
      if (i % 6 === 0) {
        d.run((e, fx) => e.flush(fx));
        d.settle();
      }
      if (i % 12 === 0) {
        d.run((e, fx) => e.compact(d.disk, fx, 0));
        d.settle();
      }
      if (i % 4 === 0) backup(target, image(d));
    }
    // A point is covered when some backup's tables are at or before it and its WAL reaches it;
    // a segment that grew and was deleted between two backups leaves the rest of it uncovered.
    const covered = (seq: number) =>
      listBackups(target).some((b) => b.manifest.lastSeq <= seq && seq <= b.seq);
    let restoredPoints = 0;
    for (let seq = 1; seq <= 24; seq++) {
      if (covered(seq)) {
        expect(state(restored(target, seq)), `seq ${seq}`).toEqual(history[seq]);
        restoredPoints++;
      } else {
        const r = restore(target, newDisk(8), { upTo: seq, blockBytes: 128 });
        expect(r, `seq ${seq}`).toMatchObject({ kind: 'error' });
      }
    }
    expect(restoredPoints).toBe(16);
  });

  it('a point past the backups, or before any backup, is refused with the reason', () => {
    const d = driver();
    const target = newDisk(4);
    write(d, 'a', '1');
    d.run((e, fx) => e.flush(fx));
    d.settle();
    write(d, 'b', '2');
    backup(target, image(d));
    const dest = newDisk(5);
    expect(restore(target, dest, { upTo: 5, blockBytes: 128 })).toEqual({
      kind: 'error',
      reason: "the backups' WAL reaches seq 2, not 5",
    });
    expect(restore(target, dest, { upTo: 0, blockBytes: 128 })).toEqual({
      kind: 'error',
      reason: 'no backup has tables at or before seq 0',
    });
  });

  it('writes a crash lost after a backup are not restored, even when the backup copied them', () => {
    const d = driver();
    const target = newDisk(6);
    write(d, 'a', '1');
    // Written, not yet fsynced: the checkpoint copies the bytes but vouches only for seq 1.
    d.run((e, fx) => e.put('a', 'lost', fx));
    backup(target, image(d));
    d.crash();
    d.open();
    write(d, 'a', 'after');
    backup(target, image(d));
    expect(state(restored(target, 1))).toEqual(['a=1']);
    expect(state(restored(target, 2))).toEqual(['a=after']);
  });

  it('a point only a lost write reached is refused, not restored with the lost write', () => {
    const d = driver();
    const target = newDisk(10);
    write(d, 'a', '1');
    d.run((e, fx) => e.put('a', 'lost', fx));
    backup(target, image(d));
    d.crash();
    d.open();
    write(d, 'a', 'after');
    write(d, 'b', '3');
    d.run((e, fx) => e.flush(fx));
    d.settle();
    backup(target, image(d));
    // Seq 2 is only in a segment the flush deleted before the second backup: a gap.
    const r = restore(target, newDisk(11), { upTo: 2, blockBytes: 128 });
    expect(r).toEqual({ kind: 'error', reason: "the backups' WAL reaches seq 1, not 2" });
    expect(state(restored(target, 3))).toEqual(['a=after', 'b=3']);
  });

  it("a checkpoint on the engine's own disk, under a prefix, outlives a crash and recovery", () => {
    const d = driver();
    write(d, 'a', '1');
    d.run((e, fx) => e.flush(fx));
    d.settle();
    write(d, 'b', '2');
    expect(backup(d.disk, image(d), 'ckpt-')).toMatchObject({ id: 1, seq: 2 });
    write(d, 'a', 'x');
    d.crash();
    d.open();
    d.settle();
    expect(d.disk.list().filter((f) => f.startsWith('ckpt-')).length).toBe(3);
    const dest = newDisk(7);
    expect(restore(d.disk, dest, { prefix: 'ckpt-', blockBytes: 128 })).toMatchObject({
      kind: 'restored',
      seq: 2,
    });
    const r = new LsmDiskDriver(options, 1, LOSE_ALL, undefined, dest);
    r.open();
    expect(state(r)).toEqual(['a=1', 'b=2']);
  });
});
