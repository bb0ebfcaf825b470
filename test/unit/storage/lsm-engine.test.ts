/**
 * The engine driven step by step on the simulated disk: group commit, the sync policies'
 * durability, a flush's publication order, the manifest replaced atomically at every crash
 * point, recovery from tables plus WAL, and corruption of synced data reported, not truncated.
 */
import { describe, expect, it } from 'vitest';
import { NO_FAULTS } from '../../../src/disk/index.js';
import { MANIFEST } from '../../../src/storage/lsm/file-names.js';
import { DEFAULT_LSM_OPTIONS, lsmOptionProblems } from '../../../src/storage/lsm/lsm-options.js';
import { decodeManifest } from '../../../src/storage/lsm/manifest.js';
import { type Fx, get, LOSE_ALL, LsmDiskDriver, openDriver, opts } from './lsm-disk-driver.js';

const driver = openDriver;

describe('writes and the WAL', () => {
  it('group commit: writes during an fsync share the next write + fsync', () => {
    const d = driver();
    const fx: Fx = [];
    for (const k of ['a', 'b', 'c']) d.live.put(k, 'v', fx);
    // The first write went out alone (with a directory fsync for the new segment's name);
    // b and c wait for its fsync.
    expect(fx.map((e) => e.type)).toEqual(['diskWrite', 'diskSync', 'diskSyncDir']);
    d.apply(fx);
    d.step();
    // The data is synced but the segment's name is not yet: nothing is durable.
    expect(d.live.durableSeq).toBe(0);
    d.step();
    expect(d.live.durableSeq).toBe(1);
    d.step();
    expect(d.live.durableSeq).toBe(3);
    expect(d.disk.stats().syncs).toBe(2);
  });

  it('under `always`, what durableSeq vouches for survives losing every unsynced write', () => {
    const d = driver();
    d.run((e, fx) => e.put('a', '1', fx));
    d.settle();
    d.run((e, fx) => e.put('b', '2', fx));
    d.crash();
    d.open();
    expect(get(d, 'a')).toEqual({ kind: 'found', value: '1' });
    expect(get(d, 'b')).toEqual({ kind: 'absent' });
  });

  it('under `none`, nothing is durable until a flush; under `interval`, until a tick', () => {
    const none = driver({ sync: { kind: 'none' } });
    none.run((e, fx) => e.put('a', '1', fx));
    none.settle();
    expect(none.live.durableSeq).toBe(0);
    none.crash();
    none.open();
    expect(get(none, 'a')).toEqual({ kind: 'absent' });

    const interval = driver({ sync: { kind: 'interval', everyMs: 10 } });
    interval.run((e, fx) => e.put('a', '1', fx));
    interval.settle();
    expect(interval.live.durableSeq).toBe(0);
    interval.run((e, fx) => e.tick(fx));
    interval.settle();
    expect(interval.live.durableSeq).toBe(1);
  });

  it('a failed WAL fsync is not trusted on retry: the records are written again', () => {
    const d = new LsmDiskDriver(opts(), 3, LOSE_ALL, {
      ...NO_FAULTS,
      fsyncFailPpm: 1_000_000,
      faultsPerBlockMax: 1,
    });
    d.open();
    d.run((e, fx) => e.put('a', '1', fx));
    d.settle();
    expect(d.live.walSyncFailures).toBe(1);
    expect(d.live.durableSeq).toBe(1);
    d.crash();
    d.open();
    expect(get(d, 'a')).toEqual({ kind: 'found', value: '1' });
  });
});

describe('flush, manifest and recovery', () => {
  it('publishes table, then manifest, by write, fsync, rename, fsync dir', () => {
    const d = driver();
    d.run((e, fx) => {
      e.put('a', '1', fx);
      e.delete('b', fx);
    });
    d.settle();
    const fx: Fx = [];
    d.live.flush(fx);
    const trail: string[] = [];
    const log = (f: Fx) =>
      trail.push(
        ...f.map((e) =>
          'file' in e ? `${e.type} ${e.file}` : e.type === 'diskRename' ? `rename ${e.to}` : e.type,
        ),
      );
    log(fx);
    d.apply(fx);
    const original = d.live.onDiskDone.bind(d.live);
    d.live.onDiskDone = (done, out) => {
      original(done, out);
      log(out as Fx);
    };
    d.settle();
    expect(trail).toEqual([
      'diskWrite 000003.sst.tmp',
      'diskSync 000003.sst.tmp',
      'rename 000003.sst',
      'diskSyncDir',
      'diskWrite MANIFEST.tmp',
      'diskSync MANIFEST.tmp',
      'rename MANIFEST',
      'diskSyncDir',
      'diskDelete wal-000001.log',
    ]);
    expect(d.disk.list()).toEqual(['000003.sst', 'MANIFEST']);
    expect(d.live.tableCount).toBe(1);
    expect(get(d, 'a')).toEqual({ kind: 'found', value: '1' });
  });

  it('manifest old or new at every crash point of a flush; nothing durable lost', () => {
    for (let cut = 0; cut <= 12; cut++) {
      for (const seed of [1, 2, 3, 4]) {
        const d = driver({}, seed, {
          keepUnsyncedPpm: 300_000,
          tornPpm: 500_000,
          dirOpsKeepPpm: 500_000,
        });
        d.run((e, fx) => e.put('k1', 'old', fx));
        d.settle();
        d.run((e, fx) => e.flush(fx));
        d.settle();
        d.run((e, fx) => {
          e.put('k1', 'new', fx);
          e.delete('k0', fx);
          e.put('k2', 'two', fx);
        });
        d.settle();
        d.run((e, fx) => e.flush(fx));
        for (let i = 0; i < cut; i++) d.step();
        d.crash();
        const r = d.open();
        expect(r.kind, `cut ${cut} seed ${seed}`).toBe('recovered');
        const m = decodeManifest((d.disk.read(MANIFEST) as { data: Uint8Array }).data);
        expect([1, 2]).toContain(m?.version);
        expect(get(d, 'k1')).toEqual({ kind: 'found', value: 'new' });
        expect(get(d, 'k2')).toEqual({ kind: 'found', value: 'two' });
      }
    }
  });

  it('recovery replays only the WAL after the manifest, and reports the replay length', () => {
    const d = driver();
    d.run((e, fx) => e.put('a', '1', fx));
    d.settle();
    d.run((e, fx) => e.flush(fx));
    d.settle();
    d.run((e, fx) => e.put('b', '2', fx));
    d.settle();
    d.crash();
    const r = d.open();
    expect(r).toMatchObject({ kind: 'recovered', replayedRecords: 1 });
    expect(d.live.scan('', undefined, d.disk)).toEqual([
      { key: 'a', seq: 1, value: '1' },
      { key: 'b', seq: 2, value: '2' },
    ]);
  });

  it('a delete in the memtable hides the key in a table; a later put brings it back', () => {
    const d = driver();
    d.run((e, fx) => e.put('a', '1', fx));
    d.settle();
    d.run((e, fx) => e.flush(fx));
    d.settle();
    d.run((e, fx) => e.delete('a', fx));
    expect(get(d, 'a')).toEqual({ kind: 'absent' });
    expect(d.live.scan('', undefined, d.disk)).toEqual([]);
    d.run((e, fx) => e.put('a', '3', fx));
    expect(get(d, 'a')).toEqual({ kind: 'found', value: '3' });
  });
});

describe('corruption is reported, never truncated away', () => {
  /** Flips one bit of `file` in place, in its durable bytes (write + fsync). */
  function flip(d: LsmDiskDriver, file: string, at: number): void {
    const r = d.disk.read(file, at, 1);
    if (!r.ok) throw new Error(r.error);
    d.disk.write(file, at, new Uint8Array([(r.data[0] as number) ^ 0x10]));
    d.disk.sync(file);
  }

  it('a bad record inside synced WAL data, with synced records after it', () => {
    const d = driver();
    for (const k of ['a', 'b', 'c']) {
      d.run((e, fx) => e.put(k, 'value', fx));
      d.settle();
    }
    d.crash();
    flip(d, 'wal-000001.log', 12);
    expect(d.open()).toMatchObject({
      kind: 'corruption',
      file: 'wal-000001.log',
      reason: expect.stringContaining('synced WAL data'),
    });
  });

  it('a torn unsynced tail is dropped, not reported', () => {
    const d = driver({}, 5, { keepUnsyncedPpm: 0, tornPpm: 1_000_000, dirOpsKeepPpm: 1_000_000 });
    d.run((e, fx) => e.put('a', 'x'.repeat(2000), fx));
    d.settle();
    d.run((e, fx) => e.put('b', 'y'.repeat(2000), fx));
    d.crash();
    const r = d.open();
    expect(r.kind).toBe('recovered');
    expect(get(d, 'a')).toMatchObject({ kind: 'found' });
  });

  it('a write batch is one record: a torn write keeps all of it or none, at every cut', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const d = driver({}, seed, {
        keepUnsyncedPpm: 500_000,
        tornPpm: 1_000_000,
        dirOpsKeepPpm: 1_000_000,
      });
      d.run((e, fx) => e.put('a', '0', fx));
      d.settle();
      const ops = [
        { key: 'a', value: 'x'.repeat(700) },
        { key: 'b', value: undefined },
        { key: '\u0000applied', value: '7' },
      ];
      expect(d.run((e, fx) => e.writeBatch(ops, fx))).toBe(4);
      d.crash();
      expect(d.open().kind).toBe('recovered');
      const applied = get(d, '\u0000applied');
      const a = get(d, 'a');
      if (applied.kind === 'found') expect(a).toEqual({ kind: 'found', value: 'x'.repeat(700) });
      else expect(a).toEqual({ kind: 'found', value: '0' });
      expect(d.live.latestSeq).toBe(applied.kind === 'found' ? 4 : 1);
    }
  });

  it('a batch survives a flush and replay in sequence order', () => {
    const d = driver();
    d.run((e, fx) =>
      e.writeBatch(
        [
          { key: 'k', value: '1' },
          { key: 'k', value: '2' },
        ],
        fx,
      ),
    );
    d.settle();
    d.crash();
    d.open();
    expect(get(d, 'k')).toEqual({ kind: 'found', value: '2' });
    d.run((e, fx) => e.flush(fx));
    d.settle();
    d.crash();
    d.open();
    expect(get(d, 'k')).toEqual({ kind: 'found', value: '2' });
    expect(d.live.latestSeq).toBe(2);
  });

  it('a flipped bit in a live table, and in the manifest', () => {
    const d = driver();
    d.run((e, fx) => e.put('a', '1', fx));
    d.settle();
    d.run((e, fx) => e.flush(fx));
    d.settle();
    flip(d, '000003.sst', 2);
    expect(get(d, 'a')).toMatchObject({ kind: 'corruption', file: '000003.sst' });
    d.crash();
    // Opening checks the footer, index and filter; data blocks are checked on each read.
    expect(d.open().kind).toBe('recovered');
    expect(get(d, 'a')).toMatchObject({ kind: 'corruption', file: '000003.sst' });
    flip(d, MANIFEST, 10);
    expect(d.open()).toMatchObject({ kind: 'corruption', file: MANIFEST });
  });
});

describe('options', () => {
  it('the defaults are in range; each out-of-range option is named by its path', () => {
    expect(lsmOptionProblems(DEFAULT_LSM_OPTIONS)).toEqual([]);
    const bad = opts({
      blockBytes: 10,
      memtableBytesMax: 1.5,
      bloomBitsPerKey: 99,
      sync: { kind: 'interval', everyMs: 0 },
    });
    expect(lsmOptionProblems(bad).map((p) => p.path.join('.'))).toEqual([
      'memtableBytesMax',
      'blockBytes',
      'bloomBitsPerKey',
      'sync.everyMs',
    ]);
    expect(lsmOptionProblems(bad)[1]?.message).toBe(
      'expected a whole number from 64 to 1048576, got 10',
    );
  });
});

describe('recovery cleans up', () => {
  it("deletes an unnamed table; the engine knows its deletes' completions", () => {
    const d = driver({}, 1, { keepUnsyncedPpm: 1_000_000, tornPpm: 0, dirOpsKeepPpm: 1_000_000 });
    d.run((e, fx) => e.put('a', '1', fx));
    d.settle();
    d.run((e, fx) => e.flush(fx));
    // Table written and renamed, manifest not yet: crash with the directory kept.
    for (let i = 0; i < 3; i++) d.step();
    d.crash();
    d.open();
    expect(d.inFlight).toBeGreaterThan(0);
    d.settle();
    expect(d.disk.list().filter((f) => f.endsWith('.sst'))).toEqual([]);
    expect(get(d, 'a')).toEqual({ kind: 'found', value: '1' });
  });
});
