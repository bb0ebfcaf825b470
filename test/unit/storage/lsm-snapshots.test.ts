/**
 * Snapshots and iterators: a snapshot's reads see exactly the writes up to it through
 * overwrites, deletes, flushes and compactions (which keep the versions it needs and drop them
 * once it is released); an iterator's tables outlive their compaction until it is released, and
 * its view holds while a flush and a compaction run under it.
 */
import { describe, expect, it } from 'vitest';
import { MANIFEST } from '../../../src/storage/lsm/file-names.js';
import { DEFAULT_LSM_OPTIONS } from '../../../src/storage/lsm/lsm-options.js';
import { decodeManifest } from '../../../src/storage/lsm/manifest.js';
import { LsmDiskDriver } from './lsm-disk-driver.js';

function driver(): LsmDiskDriver {
  const d = new LsmDiskDriver({ ...DEFAULT_LSM_OPTIONS, blockBytes: 64 }, 1, {
    keepUnsyncedPpm: 0,
    tornPpm: 0,
    dirOpsKeepPpm: 0,
  });
  d.open();
  return d;
}

const flush = (d: LsmDiskDriver) => {
  d.run((e, fx) => e.flush(fx));
  d.settle();
};
const compact = (d: LsmDiskDriver, level: number) => {
  d.run((e, fx) => e.compact(d.disk, fx, level));
  d.settle();
};
const pairs = (r: unknown) => (r as { key: string; value: string }[]).map((e) => [e.key, e.value]);
const tableEntries = (d: LsmDiskDriver) => {
  const m = decodeManifest((d.disk.read(MANIFEST) as { data: Uint8Array }).data);
  return (m?.levels.flat() ?? []).reduce((n, t) => n + t.entries, 0);
};

describe('snapshots', () => {
  it('reads at a snapshot see the writes up to it, through flushes and compactions', () => {
    const d = driver();
    d.run((e, fx) => {
      e.put('a', '1', fx);
      e.put('b', '1', fx);
    });
    flush(d);
    const snap = d.live.snapshot();
    d.run((e, fx) => {
      e.put('a', '2', fx);
      e.delete('b', fx);
      e.put('c', '2', fx);
    });
    const at = () => [d.live.get('a', d.disk, snap), d.live.get('b', d.disk, snap)];
    const seen = [
      { kind: 'found', value: '1' },
      { kind: 'found', value: '1' },
    ];
    expect(at()).toEqual(seen);
    flush(d);
    compact(d, 0);
    compact(d, 1);
    expect(at()).toEqual(seen);
    expect(d.live.get('c', d.disk, snap)).toEqual({ kind: 'absent' });
    expect(pairs(d.live.scan('', undefined, d.disk, snap))).toEqual([
      ['a', '1'],
      ['b', '1'],
    ]);
    expect(pairs(d.live.scan('', undefined, d.disk))).toEqual([
      ['a', '2'],
      ['c', '2'],
    ]);
    // Both versions of a and of b were kept for the snapshot: five entries at the bottom.
    expect(tableEntries(d)).toBe(5);
    d.run((e, fx) => e.release(snap, fx));
    compact(d, 2);
    expect(tableEntries(d)).toBe(2);
  });

  it('the memtable keeps older versions only while a snapshot is held', () => {
    const d = driver();
    d.run((e, fx) => e.put('a', '1', fx));
    const snap = d.live.snapshot();
    d.run((e, fx) => {
      e.put('a', '2', fx);
      e.put('a', '3', fx);
    });
    expect(d.live.get('a', d.disk, snap)).toEqual({ kind: 'found', value: '1' });
    flush(d);
    expect(d.live.get('a', d.disk, snap)).toEqual({ kind: 'found', value: '1' });
    // LevelDB's rule drops only a version shadowed by one every snapshot sees: all three stay.
    expect(tableEntries(d)).toBe(3);
    d.run((e, fx) => e.release(snap, fx));
    d.run((e, fx) => {
      e.put('a', '4', fx);
      e.put('a', '5', fx);
    });
    flush(d);
    // No snapshot: the memtable kept only the newest, and the flush wrote one entry.
    expect(tableEntries(d)).toBe(4);
  });
});

describe('iterators', () => {
  it("keep a compaction's input tables until released, and read their view from them", () => {
    const d = driver();
    for (const [i, k] of ['a', 'b', 'c', 'd'].entries()) {
      d.run((e, fx) => e.put(k, `v${i}`, fx));
      flush(d);
    }
    const it = d.live.iterator(d.disk, 'b');
    expect(it.next()).toMatchObject({ key: 'b', value: 'v1' });
    d.run((e, fx) => {
      e.delete('c', fx);
      e.put('d', 'new', fx);
    });
    flush(d);
    compact(d, 0);
    expect(d.live.levelShape.slice(0, 2)).toEqual([0, 1]);
    // The four tables the iterator's version names stay; the fifth, flushed after it, went.
    expect(d.live.tablesKeptForReaders).toBe(4);
    const sst = () => d.disk.list().filter((f) => f.endsWith('.sst')).length;
    expect(sst()).toBe(5);
    expect(pairs(it.rest())).toEqual([
      ['c', 'v2'],
      ['d', 'v3'],
    ]);
    d.run((e, fx) => e.release(it, fx));
    d.settle();
    expect(d.live.tablesKeptForReaders).toBe(0);
    expect(sst()).toBe(1);
    expect(pairs(d.live.scan('', undefined, d.disk))).toEqual([
      ['a', 'v0'],
      ['b', 'v1'],
      ['d', 'new'],
    ]);
  });

  it('hold their view while a flush and a compaction run step by step under them', () => {
    const d = driver();
    for (let i = 0; i < 20; i++) d.run((e, fx) => e.put(`k${i % 7}`, `v${i}`, fx));
    flush(d);
    d.run((e, fx) => {
      for (let i = 0; i < 7; i += 2) e.delete(`k${i}`, fx);
    });
    const want = pairs(d.live.scan('', undefined, d.disk));
    const it = d.live.iterator(d.disk);
    const got: unknown[] = [];
    d.run((e, fx) => {
      e.flush(fx);
      e.put('k1', 'later', fx);
    });
    for (let step = 0; d.step() || step === 0; step++) {
      const e = it.next();
      if (e !== undefined) got.push(e);
      if (step === 3) d.run((en, fx) => en.compact(d.disk, fx, 0));
    }
    got.push(...(it.rest() as unknown[]));
    expect(pairs(got)).toEqual(want);
    expect(d.live.stats.compactions).toBe(1);
    d.run((e, fx) => e.release(it, fx));
  });
});
