/**
 * The torn-tail hazard of the shared record log, built on SimDisk: a power loss loses record X
 * but keeps Y after it; recovery drops both (X is the torn tail); the node writes X again, the
 * very same bytes, and syncs it. Resumed with `reset` alone, the next recovery finds Y again:
 * chained from X's crc, it holds once X is back (2pc-power-loss seed 599, found in 2PC). Resumed
 * with `resume`, a fence ahead of the rewritten X means nothing old can follow it.
 */
import { describe, expect, it } from 'vitest';
import type { Effect } from '../../../../src/core/protocol.js';
import { Prng } from '../../../../src/core/prng.js';
import { DEFAULT_DISK_CONFIG } from '../../../../src/disk/disk-config.js';
import { SimDisk } from '../../../../src/disk/sim-disk.js';
import { decodeRecords } from '../../../../src/protocols/shared/record-log.js';
import { WalWriter } from '../../../../src/protocols/shared/wal-writer.js';

type Fx = Effect<unknown, unknown>[];
const A = { op: 'put', k: 'a' };
const B = { op: 'put', k: 'b' };
const X = { op: 'commit', tx: 7 };
const Y = { op: 'end', tx: 6 };

/** A disk whose crashes keep each unsynced write whole or lose it, with even odds. */
const diskFor = (seed: number): SimDisk =>
  new SimDisk(
    { ...DEFAULT_DISK_CONFIG, crash: { keepUnsyncedPpm: 500_000, tornPpm: 0, dirOpsKeepPpm: 0 } },
    Prng.root(seed).fork('disk:n1'),
  );

/** Carries out the writes (and, with `sync`, the fsyncs) of `fx` on the disk. */
function apply(disk: SimDisk, fx: Fx, sync: boolean): void {
  for (const e of fx) {
    if (e.type === 'diskWrite') expect(disk.write(e.file, e.offset, e.data).ok).toBe(true);
    if (e.type === 'diskSync' && sync) expect(disk.sync(e.file).ok).toBe(true);
  }
  fx.length = 0;
}

const image = (disk: SimDisk): Uint8Array => {
  const r = disk.read('wal');
  if (!r.ok) throw new Error('wal unreadable');
  return r.data;
};

/**
 * A, B durable; X and Y written, unsynced; a crash that loses X and keeps Y (the first seed
 * whose crash does: each write survives with even odds).
 */
function crashedWithYAfterAHole(): SimDisk {
  for (let seed = 1; seed < 100; seed++) {
    const disk = diskFor(seed);
    const w = new WalWriter('wal');
    const fx: Fx = [];
    w.write([A, B], 1, 1, fx);
    apply(disk, fx, true);
    expect(disk.syncDir().ok).toBe(true);
    w.write([X], 2, 2, fx);
    w.write([Y], 3, 3, fx);
    const full = w.bytes;
    apply(disk, fx, false);
    disk.crash();
    const log = decodeRecords(image(disk));
    if (log.records.length === 2 && image(disk).length === full) return disk;
  }
  throw new Error('no seed below 100 lost X and kept Y');
}

/** Recovers, writes X again (synced), crashes, and recovers: the records found. */
function rewriteAfterRecovery(withFence: boolean): unknown[] {
  const disk = crashedWithYAfterAHole();
  const bytes = image(disk);
  const log = decodeRecords(bytes);
  expect(log.records).toEqual([A, B]);
  expect(log.tornTail).toBe(true);
  const w = new WalWriter('wal');
  const fx: Fx = [];
  if (withFence) w.resume(log, bytes, 9, fx);
  else w.reset(log.validBytes, log.lastCrc);
  w.write([X], 4, 4, fx);
  apply(disk, fx, true);
  disk.crash();
  return decodeRecords(image(disk)).records;
}

describe('a record rewritten over a torn tail', () => {
  it('with reset alone, revives the old record after it (the hazard)', () => {
    expect(rewriteAfterRecovery(false)).toEqual([A, B, X, Y]);
  });

  it('with resume, is read back alone: the fence keeps the old tail out', () => {
    expect(rewriteAfterRecovery(true)).toEqual([A, B, X]);
  });

  it('resume writes no fence after a clean recovery', () => {
    const w = new WalWriter('wal');
    const fx: Fx = [];
    w.resume({ validBytes: 40, lastCrc: 5, tornTail: false }, new Uint8Array(40), 9, fx);
    expect(fx).toEqual([]);
    expect([w.bytes, w.crc]).toEqual([40, 5]);
  });

  it('after a failed fsync the fence goes out again, ahead of the rewritten records', () => {
    const disk = crashedWithYAfterAHole();
    const bytes = image(disk);
    const log = decodeRecords(bytes);
    const w = new WalWriter('wal');
    const fx: Fx = [];
    w.resume(log, bytes, 9, fx);
    const fence = fx[0];
    if (fence?.type !== 'diskWrite') throw new Error('no fence written');
    w.write([X], 4, 4, fx);
    expect(w.synced(4, false)).toEqual({ kind: 'failed' });
    w.rewindToDurable();
    fx.length = 0;
    w.write([X], 5, 5, fx);
    const again = fx[0];
    if (again?.type !== 'diskWrite') throw new Error('no write');
    expect(again.offset).toBe(log.validBytes);
    expect(again.data.subarray(0, fence.data.length)).toEqual(fence.data);
    apply(disk, fx, true);
    disk.crash();
    expect(decodeRecords(image(disk)).records).toEqual([A, B, X]);
  });
});
