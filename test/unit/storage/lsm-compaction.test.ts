/**
 * Leveled compaction on the simulated disk: LevelDB #184's schedule with and without the
 * `tombstone-dropped-early` mutation, the publication order of a compaction (outputs, then the
 * manifest edit, then the inputs' deletes), old-or-new state at every crash point, compactions
 * picked by score into disjoint sorted levels, and a flush's manifest taking turns with a
 * compaction's.
 */
import { describe, expect, it } from 'vitest';
import { MANIFEST } from '../../../src/storage/lsm/file-names.js';
import {
  DEFAULT_LSM_OPTIONS,
  lsmOptionProblems,
  type LsmMutation,
} from '../../../src/storage/lsm/lsm-options.js';
import { decodeManifest } from '../../../src/storage/lsm/manifest.js';
import { type Fx, get, type LsmDiskDriver, openDriver, opts } from './lsm-disk-driver.js';

const driver = openDriver;

function flush(d: LsmDiskDriver): void {
  d.run((e, fx) => e.flush(fx));
  d.settle();
}

function compact(d: LsmDiskDriver, level?: number): void {
  const started = d.run((e, fx) => e.compact(d.disk, fx, level));
  expect(started).toBe(true);
  d.settle();
}

/** LevelDB #184: put → flush → compact to L2; delete → flush to L0; compact L0 → L1. */
function leveldb184(mutations: readonly LsmMutation[]): LsmDiskDriver {
  const d = driver({ mutations: new Set(mutations) });
  d.run((e, fx) => e.put('k', 'v1', fx));
  flush(d);
  compact(d, 0);
  compact(d, 1);
  expect(d.live.levelShape.slice(0, 3)).toEqual([0, 0, 1]);
  d.run((e, fx) => e.delete('k', fx));
  flush(d);
  expect(d.live.levelShape.slice(0, 3)).toEqual([1, 0, 1]);
  compact(d, 0);
  // The value stays in level 2 either way; the mutation left nothing to write to level 1.
  expect(d.live.levelShape.slice(0, 3)).toEqual([0, mutations.length === 0 ? 1 : 0, 1]);
  return d;
}

describe('the tombstone rule (research item 25, leveldb#184)', () => {
  it('a compaction above a level that may hold the key keeps the tombstone', () => {
    const d = leveldb184([]);
    expect(get(d, 'k')).toEqual({ kind: 'absent' });
    // Compacted on down to the level holding v1, tombstone and value go together.
    compact(d, 1);
    expect(d.live.levelShape.slice(0, 3)).toEqual([0, 0, 0]);
    expect(get(d, 'k')).toEqual({ kind: 'absent' });
  });

  it('with `tombstone-dropped-early`, the deleted value comes back', () => {
    const d = leveldb184(['tombstone-dropped-early']);
    expect(get(d, 'k')).toEqual({ kind: 'found', value: 'v1' });
    d.crash();
    d.open();
    expect(get(d, 'k')).toEqual({ kind: 'found', value: 'v1' });
  });

  it('at the bottom, shadowed versions and tombstones are dropped', () => {
    const d = driver();
    for (const v of ['1', '2', '3']) {
      d.run((e, fx) => {
        e.put('a', v, fx);
        e.put('b', v, fx);
      });
      flush(d);
    }
    d.run((e, fx) => e.delete('b', fx));
    flush(d);
    compact(d, 0);
    const entries = d.live.scan('', undefined, d.disk);
    expect(entries).toEqual([{ key: 'a', seq: 5, value: '3' }]);
    expect(d.live.levelShape.slice(0, 2)).toEqual([0, 1]);
    // One table, one entry: b's versions and its tombstone are gone from the disk too.
    expect(d.live.stats.compactions).toBe(1);
    const m = decodeManifest((d.disk.read(MANIFEST) as { data: Uint8Array }).data);
    expect(m?.levels[1]?.map((t) => t.entries)).toEqual([1]);
  });
});

describe('publication', () => {
  it('outputs by write, fsync, rename, fsync dir; then the manifest; then the inputs go', () => {
    const d = driver();
    d.run((e, fx) => e.put('a', '1', fx));
    flush(d);
    d.run((e, fx) => e.put('b', '2', fx));
    flush(d);
    const before = d.disk.list().filter((f) => f.endsWith('.sst'));
    expect(before).toEqual(['000003.sst', '000005.sst']);
    const trail: string[] = [];
    const log = (f: Fx) =>
      trail.push(
        ...f.map((e) =>
          'file' in e ? `${e.type} ${e.file}` : e.type === 'diskRename' ? `rename ${e.to}` : e.type,
        ),
      );
    const fx: Fx = [];
    d.live.compact(d.disk, fx, 0);
    log(fx);
    d.apply(fx);
    const original = d.live.onDiskDone.bind(d.live);
    d.live.onDiskDone = (done, out) => {
      original(done, out);
      log(out as Fx);
    };
    d.settle();
    expect(trail).toEqual([
      'diskWrite 000006.sst.tmp',
      'diskSync 000006.sst.tmp',
      'rename 000006.sst',
      'diskSyncDir',
      'diskWrite MANIFEST.tmp',
      'diskSync MANIFEST.tmp',
      'rename MANIFEST',
      'diskSyncDir',
      'diskDelete 000003.sst',
      'diskDelete 000005.sst',
    ]);
    expect(d.disk.list().filter((f) => f.endsWith('.sst'))).toEqual(['000006.sst']);
  });

  it('old or new at every crash point of a compaction, with nothing left behind', () => {
    for (let cut = 0; cut <= 12; cut++) {
      for (const seed of [1, 2, 3]) {
        const d = driver({ tableBytesMax: 256 }, seed, {
          keepUnsyncedPpm: 300_000,
          tornPpm: 500_000,
          dirOpsKeepPpm: 500_000,
        });
        for (let round = 0; round < 3; round++) {
          d.run((e, fx) => {
            for (let i = 0; i < 8; i++) e.put(`k${i}`, `r${round}-${'x'.repeat(30)}`, fx);
            e.delete(`k${round}`, fx);
          });
          flush(d);
        }
        d.run((e, fx) => e.compact(d.disk, fx, 0));
        for (let i = 0; i < cut; i++) d.step();
        d.crash();
        expect(d.open().kind, `cut ${cut} seed ${seed}`).toBe('recovered');
        d.settle();
        for (let i = 0; i < 8; i++) {
          expect(get(d, `k${i}`), `cut ${cut} seed ${seed} k${i}`).toEqual(
            i === 2 ? { kind: 'absent' } : { kind: 'found', value: `r2-${'x'.repeat(30)}` },
          );
        }
        const m = decodeManifest((d.disk.read(MANIFEST) as { data: Uint8Array }).data);
        const named = (m?.levels.flat() ?? []).map((t) => t.file).sort();
        expect(d.disk.list().filter((f) => f.includes('.sst'))).toEqual(named);
      }
    }
  });

  it("a flush's manifest waits for a compaction's, and the other way round", () => {
    const d = driver();
    for (const k of ['a', 'b']) {
      d.run((e, fx) => e.put(k, k, fx));
      flush(d);
    }
    d.run((e, fx) => {
      e.compact(d.disk, fx, 0);
      e.put('c', 'c', fx);
      e.flush(fx);
    });
    d.settle();
    expect(d.live.levelShape.slice(0, 2)).toEqual([1, 1]);
    d.crash();
    d.open();
    expect(d.live.levelShape.slice(0, 2)).toEqual([1, 1]);
    for (const k of ['a', 'b', 'c']) expect(get(d, k)).toEqual({ kind: 'found', value: k });
  });
});

describe('leveled shape', () => {
  it('compactions picked by score keep deeper levels sorted and disjoint, and cut reads', () => {
    const d = driver({
      memtableBytesMax: 2048,
      level1BytesMax: 1024,
      levelFanout: 2,
      tableBytesMax: 512,
    });
    const keys = 400;
    for (let i = 0; i < 3000; i++) {
      const k = `key${String((i * 7919) % keys).padStart(4, '0')}`;
      d.run((e, fx) => e.put(k, `v${i}`, fx));
      if (d.live.needsFlush) flush(d);
      while (d.live.needsCompaction) {
        d.run((e, fx) => e.compact(d.disk, fx));
        d.settle();
      }
    }
    const shape = d.live.levelShape;
    expect(shape[0]).toBeLessThan(DEFAULT_LSM_OPTIONS.level0CompactionTrigger);
    expect(shape.filter((n) => n > 0).length).toBeGreaterThanOrEqual(3);
    const m = decodeManifest((d.disk.read(MANIFEST) as { data: Uint8Array }).data);
    for (const level of m?.levels.slice(1) ?? []) {
      for (let i = 1; i < level.length; i++) {
        expect((level[i - 1]?.largest as string) < (level[i]?.smallest as string)).toBe(true);
      }
    }
    const gets0 = d.live.stats.gets;
    const probed0 = d.live.stats.tablesProbed;
    for (let i = 0; i < keys; i++) {
      const k = `key${String(i).padStart(4, '0')}`;
      expect(get(d, k)).toMatchObject({ kind: 'found' });
    }
    const readAmp = (d.live.stats.tablesProbed - probed0) / (d.live.stats.gets - gets0);
    expect(readAmp).toBeLessThan(shape.filter((n) => n > 0).length + 1);
    const s = d.live.stats;
    const writeAmp = (s.tableBytesWritten + s.compactionBytesWritten) / s.userBytes;
    expect(writeAmp).toBeGreaterThan(1);
  });

  it('a bad fan-out and friends are named by their paths', () => {
    const bad = opts({ levelFanout: 1, level1BytesMax: 10, level0CompactionTrigger: 0 });
    expect(lsmOptionProblems(bad).map((p) => p.path.join('.'))).toEqual([
      'levelFanout',
      'level1BytesMax',
      'level0CompactionTrigger',
    ]);
    expect(lsmOptionProblems(bad)[0]?.message).toBe('expected a whole number from 2 to 100, got 1');
  });
});
