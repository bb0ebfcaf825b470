/**
 * The simulated disk against its model: synced data survives, a crash never invents data,
 * directory operations need a directory sync, fsync failures drop data for good, each fault does
 * what it says and no more than `faultsPerBlockMax` times per block, torn writes tear at sector
 * granularity, and the same seed gives the same bytes.
 */
import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { PPM, Prng } from '../../../src/core/prng.js';
import {
  DEFAULT_CRASH_MODEL,
  NO_FAULTS,
  SimDisk,
  type CrashModel,
  type DiskFaults,
} from '../../../src/disk/index.js';

const SECTOR = 512;

function makeDisk(
  seed: number,
  crash: Partial<CrashModel> = {},
  faults?: Partial<DiskFaults>,
): SimDisk {
  return new SimDisk(
    {
      sectorBytes: SECTOR,
      crash: { ...DEFAULT_CRASH_MODEL, ...crash },
      faults: faults === undefined ? undefined : { ...NO_FAULTS, ...faults },
    },
    Prng.root(seed).fork('disk:n1'),
  );
}

const filled = (length: number, value: number): Uint8Array => new Uint8Array(length).fill(value);
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

function readAll(disk: SimDisk, file: string): Uint8Array {
  const r = disk.read(file);
  if (!r.ok) throw new Error(`read ${file}: ${r.error}`);
  return r.data;
}

function snapshot(disk: SimDisk): Map<string, Uint8Array> {
  return new Map(disk.list().map((name) => [name, readAll(disk, name)]));
}

// ---- random operation scripts -----------------------------------------------------------------

const NAMES = ['a', 'b', 'c'] as const;

type Op =
  | {
      readonly t: 'write';
      readonly f: number;
      readonly off: number | 'append';
      readonly data: Uint8Array;
    }
  | { readonly t: 'sync'; readonly f: number }
  | { readonly t: 'syncDir' }
  | { readonly t: 'rename'; readonly from: number; readonly to: number }
  | { readonly t: 'delete'; readonly f: number }
  | { readonly t: 'crash' };

const fileArb = fc.nat(NAMES.length - 1);
const writeArb = fc.record({
  t: fc.constant('write' as const),
  f: fileArb,
  off: fc.oneof(fc.constant('append' as const), fc.nat(1600)),
  data: fc.uint8Array({ minLength: 1, maxLength: 900 }),
});

function opsArb(options: { dir: boolean; crash: boolean }): fc.Arbitrary<Op[]> {
  const arbs: fc.WeightedArbitrary<Op>[] = [
    { weight: 6, arbitrary: writeArb },
    { weight: 3, arbitrary: fc.record({ t: fc.constant('sync' as const), f: fileArb }) },
    { weight: 1, arbitrary: fc.constant({ t: 'syncDir' as const }) },
  ];
  if (options.dir) {
    arbs.push({
      weight: 1,
      arbitrary: fc.record({ t: fc.constant('rename' as const), from: fileArb, to: fileArb }),
    });
    arbs.push({
      weight: 1,
      arbitrary: fc.record({ t: fc.constant('delete' as const), f: fileArb }),
    });
  }
  if (options.crash) arbs.push({ weight: 1, arbitrary: fc.constant({ t: 'crash' as const }) });
  return fc.array(fc.oneof(...arbs), { maxLength: 40 });
}

function apply(disk: SimDisk, op: Op): void {
  switch (op.t) {
    case 'write':
      disk.write(NAMES[op.f] as string, op.off, op.data);
      return;
    case 'sync':
      disk.sync(NAMES[op.f] as string);
      return;
    case 'syncDir':
      disk.syncDir();
      return;
    case 'rename':
      disk.rename(NAMES[op.from] as string, NAMES[op.to] as string);
      return;
    case 'delete':
      disk.delete(NAMES[op.f] as string);
      return;
    case 'crash':
      disk.crash();
      return;
  }
}

// ---- basics -----------------------------------------------------------------------------------

describe('SimDisk basics', () => {
  it('reads what was written, appends at the end and zero-fills extensions', () => {
    const disk = makeDisk(1);
    expect(disk.write('log', 'append', text('abc'))).toEqual({ ok: true, offset: 0 });
    expect(disk.write('log', 'append', text('de'))).toEqual({ ok: true, offset: 3 });
    expect(disk.write('log', 8, text('x'))).toEqual({ ok: true, offset: 8 });
    expect(disk.size('log')).toBe(9);
    expect([...readAll(disk, 'log')]).toEqual([...text('abcde'), 0, 0, 0, ...text('x')]);
    expect(disk.read('log', 1, 3)).toEqual({ ok: true, data: text('bcd') });
    expect(disk.read('log', 7, 100)).toEqual({ ok: true, data: Uint8Array.of(0, 120) });
    expect(disk.read('log', 50)).toEqual({ ok: true, data: new Uint8Array(0) });
    disk.write('b', 0, text('y'));
    disk.write('a', 0, new Uint8Array(0));
    expect(disk.list()).toEqual(['a', 'b', 'log']);
    expect(disk.size('a')).toBe(0);
  });

  it('returns a copy: mutating the caller buffer or the read result does not touch the disk', () => {
    const disk = makeDisk(1);
    const data = text('hello');
    disk.write('f', 0, data);
    data[0] = 0;
    const r = readAll(disk, 'f');
    r[1] = 0;
    expect(readAll(disk, 'f')).toEqual(text('hello'));
  });

  it('files and read copies carved from one shared arena never see each other’s bytes', () => {
    const disk = makeDisk(1);
    for (let i = 0; i < 50; i++) disk.write(`f${i}`, 0, filled(100, i)); // grow past one region
    const before = Array.from({ length: 50 }, (_, i) => readAll(disk, `f${i}`));
    for (let i = 0; i < 50; i++) disk.write(`f${i}`, 'append', filled(200, 255));
    for (const r of before) r.fill(7);
    for (let i = 0; i < 50; i++) {
      const r = readAll(disk, `f${i}`);
      expect([r.length, r[0], r[99], r[100], r[299]]).toEqual([300, i, i, 255, 255]);
    }
    expect(before.every((r) => r.length === 100)).toBe(true);
  });

  it('reports ENOENT for missing files and EINVAL for bad names', () => {
    const disk = makeDisk(1);
    expect(disk.read('nope')).toEqual({ ok: false, error: 'ENOENT' });
    expect(disk.size('nope')).toBeUndefined();
    expect(disk.sync('nope')).toEqual({ ok: false, error: 'ENOENT' });
    expect(disk.rename('nope', 'x')).toEqual({ ok: false, error: 'ENOENT' });
    expect(disk.delete('nope')).toEqual({ ok: false, error: 'ENOENT' });
    expect(disk.write('', 0, text('x'))).toEqual({ ok: false, error: 'EINVAL' });
    expect(disk.write('d/f', 0, text('x'))).toEqual({ ok: false, error: 'EINVAL' });
    expect(disk.list()).toEqual([]);
  });

  it('rename carries the data and the unsynced writes of the inode', () => {
    const disk = makeDisk(1, { keepUnsyncedPpm: 0, tornPpm: 0, dirOpsKeepPpm: 0 });
    disk.write('tmp', 0, text('payload'));
    expect(disk.rename('tmp', 'CURRENT')).toEqual({ ok: true });
    expect(disk.list()).toEqual(['CURRENT']);
    expect(readAll(disk, 'CURRENT')).toEqual(text('payload'));
    expect(disk.sync('CURRENT')).toEqual({ ok: true });
    disk.syncDir();
    disk.crash();
    expect(snapshot(disk)).toEqual(new Map([['CURRENT', text('payload')]]));
  });

  it('counts what it does', () => {
    const disk = makeDisk(1, { keepUnsyncedPpm: 0, tornPpm: 0 });
    disk.write('f', 0, text('abc'));
    disk.sync('f');
    disk.syncDir();
    disk.write('f', 'append', text('de'));
    disk.crash();
    const stats = disk.stats();
    expect(stats).toMatchObject({
      writes: 2,
      bytesWritten: 5,
      syncs: 1,
      syncDirs: 1,
      crashes: 1,
      lostWrites: 1,
      tornWrites: 0,
      keptWrites: 0,
    });
    expect(Object.values(stats.faultsInjected).every((n) => n === 0)).toBe(true);
  });

  it('list is sorted, follows every directory change, and hands out a copy', () => {
    const disk = makeDisk(1, { keepUnsyncedPpm: 0, tornPpm: 0, dirOpsKeepPpm: 0 });
    disk.write('b', 0, text('1'));
    disk.write('a', 0, text('2'));
    const listed = disk.list();
    expect(listed).toEqual(['a', 'b']);
    listed.push('mutated');
    expect(disk.list()).toEqual(['a', 'b']);
    disk.rename('a', 'c');
    expect(disk.list()).toEqual(['b', 'c']);
    disk.delete('b');
    expect(disk.list()).toEqual(['c']);
    disk.write('d', 0, text('3'));
    expect(disk.list()).toEqual(['c', 'd']);
    disk.crash(); // no directory operation was synced: nothing survives
    expect(disk.list()).toEqual([]);
    disk.write('e', 0, text('4'));
    disk.lose();
    expect(disk.list()).toEqual([]);
  });

  it('a directory sync forgets the files it no longer names, unsynced writes and all', () => {
    const disk = makeDisk(1, { keepUnsyncedPpm: 0, tornPpm: 0 });
    for (const f of ['x', 'y', 'z']) disk.write(f, 0, text(f));
    disk.syncDir(); // the names are durable, the data is not
    disk.delete('x'); // x's inode loses its name
    disk.rename('y', 'z'); // z's old inode loses its name
    disk.write('w', 0, text('w')); // created and deleted before the sync
    disk.delete('w');
    disk.syncDir();
    disk.crash();
    // Only y's write (now z's) was on a named file; the other three inodes were gone.
    expect(disk.stats().lostWrites).toBe(1);
    expect(disk.list()).toEqual(['z']);
  });

  it('keeps appends linear in the bytes written', { timeout: 20_000 }, () => {
    const disk = makeDisk(1);
    const record = filled(64, 7);
    for (let i = 0; i < 100_000; i++) disk.write('wal', 'append', record);
    disk.sync('wal');
    expect(disk.size('wal')).toBe(6_400_000);
  });
});

// ---- crash semantics --------------------------------------------------------------------------

describe('SimDisk crash', () => {
  // The listing is kept sorted as names come and go (not sorted again at each listing): after
  // any run of creates, renames (onto a free name or an existing one), deletes, crashes and
  // listings it is the visible names, sorted.
  test.prop(
    [
      fc.nat(),
      fc.array(
        fc.record({
          t: fc.constantFrom('write', 'rename', 'delete', 'list', 'crash', 'syncDir'),
          a: fc.constantFrom('a', 'b', 'c', 'b.wal', 'a-b', 'B'),
          b: fc.constantFrom('a', 'b', 'c', 'b.wal', 'a-b', 'B'),
        }),
        { maxLength: 40 },
      ),
    ],
    { numRuns: 200 },
  )('the listing is the visible names, sorted, after any directory change', (seed, ops) => {
    const disk = makeDisk(seed);
    const names = new Set<string>();
    for (const op of ops) {
      if (op.t === 'write' && disk.write(op.a, 0, text('x')).ok) names.add(op.a);
      else if (op.t === 'rename' && disk.rename(op.a, op.b).ok) {
        names.delete(op.a);
        names.add(op.b);
      } else if (op.t === 'delete' && disk.delete(op.a).ok) names.delete(op.a);
      else if (op.t === 'syncDir') disk.syncDir();
      else if (op.t === 'crash') {
        disk.crash();
        names.clear();
        for (const n of disk.list()) names.add(n);
      } else if (op.t === 'list') expect(disk.list()).toEqual([...names].sort());
    }
    expect(disk.list()).toEqual([...names].sort());
  });

  test.prop([fc.nat(), opsArb({ dir: false, crash: true })], { numRuns: 150 })(
    'synced bytes always survive a crash',
    (seed, ops) => {
      const disk = makeDisk(seed);
      for (const name of NAMES) disk.write(name, 0, new Uint8Array(0));
      disk.syncDir();
      // Per file: the contents at the last successful sync (or crash), and the positions written since.
      const synced = new Map<string, Uint8Array>(NAMES.map((n) => [n, new Uint8Array(0)]));
      const dirty = new Map<string, Set<number>>(NAMES.map((n) => [n, new Set<number>()]));
      const check = (): void => {
        for (const name of NAMES) {
          const before = synced.get(name) as Uint8Array;
          const after = readAll(disk, name);
          expect(after.length).toBeGreaterThanOrEqual(before.length);
          const written = dirty.get(name) as Set<number>;
          for (let p = 0; p < before.length; p++)
            if (!written.has(p)) expect(after[p]).toBe(before[p]);
        }
      };
      for (const op of [...ops, { t: 'crash' } as const]) {
        if (op.t === 'write') {
          const name = NAMES[op.f] as string;
          const at = disk.write(name, op.off, op.data);
          if (!at.ok) throw new Error(at.error);
          for (let i = 0; i < op.data.length; i++)
            (dirty.get(name) as Set<number>).add(at.offset + i);
        } else if (op.t === 'sync') {
          const name = NAMES[op.f] as string;
          expect(disk.sync(name)).toEqual({ ok: true });
          synced.set(name, readAll(disk, name));
          dirty.set(name, new Set());
        } else if (op.t === 'crash') {
          disk.crash();
          check();
          for (const name of NAMES) {
            synced.set(name, readAll(disk, name));
            dirty.set(name, new Set());
          }
        } else {
          apply(disk, op);
        }
      }
    },
  );

  /**
   * The oracle tracks, per inode of a model directory, every value each position ever held since
   * the last crash. After a crash each surviving name must belong to an inode the name pointed to
   * since then, and each of its bytes must be zero or one of those values.
   */
  test.prop([fc.nat(), opsArb({ dir: true, crash: true }), fc.constantFrom(0, 300_000)], {
    numRuns: 200,
  })('a crash never invents data (fsync failures on or off)', (seed, ops, fsyncFailPpm) => {
    const disk = makeDisk(seed, {}, { fsyncFailPpm });
    type ModelInode = { allowed: Set<number>[] };
    let visible = new Map<string, ModelInode>();
    let candidates = new Map<string, Set<ModelInode>>();
    const point = (name: string, inode: ModelInode): void => {
      visible.set(name, inode);
      const set = candidates.get(name) ?? new Set();
      set.add(inode);
      candidates.set(name, set);
    };
    for (const op of [...ops, { t: 'crash' } as const]) {
      if (op.t === 'write') {
        const name = NAMES[op.f] as string;
        let inode = visible.get(name);
        if (inode === undefined) {
          inode = { allowed: [] };
          point(name, inode);
        }
        const at = disk.write(name, op.off, op.data);
        if (!at.ok) throw new Error(at.error);
        for (let i = 0; i < op.data.length; i++) {
          const p = at.offset + i;
          const allowed = inode.allowed[p] ?? new Set<number>();
          inode.allowed[p] = allowed;
          allowed.add(op.data[i] as number);
        }
      } else if (op.t === 'rename') {
        const from = NAMES[op.from] as string;
        const to = NAMES[op.to] as string;
        const inode = visible.get(from);
        expect(disk.rename(from, to)).toEqual(
          inode === undefined ? { ok: false, error: 'ENOENT' } : { ok: true },
        );
        if (inode !== undefined && from !== to) {
          visible.delete(from);
          point(to, inode);
        }
      } else if (op.t === 'delete') {
        const name = NAMES[op.f] as string;
        expect(disk.delete(name)).toEqual(
          visible.delete(name) ? { ok: true } : { ok: false, error: 'ENOENT' },
        );
      } else if (op.t === 'crash') {
        disk.crash();
        const next = new Map<string, ModelInode>();
        for (const name of disk.list()) {
          const from = candidates.get(name);
          expect(from, `${name} appeared from nowhere`).toBeDefined();
          const data = readAll(disk, name);
          for (let p = 0; p < data.length; p++) {
            const byte = data[p] as number;
            if (byte === 0) continue;
            const ok = [...(from as Set<ModelInode>)].some(
              (inode) => inode.allowed[p]?.has(byte) === true,
            );
            expect(ok, `${name}[${p}] = ${byte} was never written there`).toBe(true);
          }
          next.set(name, { allowed: [...data].map((b) => new Set([b])) });
        }
        visible = new Map();
        candidates = new Map();
        for (const [name, inode] of next) point(name, inode);
      } else {
        apply(disk, op);
      }
      expect(disk.list()).toEqual([...visible.keys()].sort());
    }
  });

  test.prop([fc.nat(), opsArb({ dir: true, crash: true })], { numRuns: 100 })(
    'with every unsynced write and directory op kept, a crash changes nothing',
    (seed, ops) => {
      const disk = makeDisk(seed, { keepUnsyncedPpm: PPM, tornPpm: 0, dirOpsKeepPpm: PPM });
      for (const op of ops) {
        apply(disk, op);
        if (op.t === 'crash') continue;
        const before = snapshot(disk);
        disk.crash();
        expect(snapshot(disk)).toEqual(before);
      }
      expect(disk.stats().lostWrites + disk.stats().tornWrites).toBe(0);
    },
  );

  test.prop([fc.nat(), opsArb({ dir: true, crash: true })], { numRuns: 100 })(
    'with nothing unsynced kept, a crash leaves exactly the synced image',
    (seed, ops) => {
      const disk = makeDisk(seed, { keepUnsyncedPpm: 0, tornPpm: 0, dirOpsKeepPpm: 0 });
      for (const op of ops) {
        apply(disk, op);
        const image = disk.durableImage();
        disk.crash();
        expect(snapshot(disk)).toEqual(image);
      }
      expect(disk.stats().keptWrites + disk.stats().tornWrites).toBe(0);
    },
  );

  it('loses every unsynced write with keep 0 and torn 0, and keeps what was synced', () => {
    const disk = makeDisk(3, { keepUnsyncedPpm: 0, tornPpm: 0 });
    disk.write('f', 0, text('old!'));
    disk.sync('f');
    disk.syncDir();
    disk.write('f', 0, text('NEW'));
    disk.write('f', 'append', text('tail'));
    expect(readAll(disk, 'f')).toEqual(text('NEW!tail'));
    disk.crash();
    expect(readAll(disk, 'f')).toEqual(text('old!'));
    expect(disk.stats().lostWrites).toBe(2);
  });

  it('a created file without syncDir may vanish on a crash; after syncDir it never does', () => {
    let vanished = 0;
    let survived = 0;
    for (let seed = 0; seed < 200; seed++) {
      const disk = makeDisk(seed);
      disk.write('new', 0, text('data'));
      disk.sync('new'); // fsync of the file does not make its name durable
      disk.crash();
      if (disk.list().includes('new')) {
        survived++;
        expect(readAll(disk, 'new')).toEqual(text('data'));
      } else {
        vanished++;
      }

      const synced = makeDisk(seed);
      synced.write('new', 0, text('data'));
      synced.syncDir();
      synced.crash();
      expect(synced.list()).toEqual(['new']);
    }
    expect(vanished).toBeGreaterThan(0);
    expect(survived).toBeGreaterThan(0);
  });

  it('directory operations survive as an ordered prefix', () => {
    const seen = new Set<string>();
    for (let seed = 0; seed < 300; seed++) {
      const disk = makeDisk(seed);
      disk.write('a', 0, text('A'));
      disk.write('b', 0, text('B'));
      disk.write('c', 0, text('C'));
      disk.crash();
      const names = disk.list().join('');
      expect(['', 'a', 'ab', 'abc']).toContain(names);
      seen.add(names);
    }
    expect(seen.size).toBe(4);
  });

  it('rename survives a crash only after syncDir', () => {
    const setup = (seed: number, dirOpsKeepPpm: number): SimDisk => {
      const disk = makeDisk(seed, { dirOpsKeepPpm });
      disk.write('tmp', 0, text('v2'));
      disk.sync('tmp');
      disk.syncDir();
      disk.rename('tmp', 'CURRENT');
      return disk;
    };
    const lost = setup(1, 0);
    lost.crash();
    expect(snapshot(lost)).toEqual(new Map([['tmp', text('v2')]]));

    const kept = setup(1, 0);
    kept.syncDir();
    kept.crash();
    expect(snapshot(kept)).toEqual(new Map([['CURRENT', text('v2')]]));
  });

  it('rename over an existing file is atomic: a crash shows the old or the new file, never neither', () => {
    const outcomes = new Set<string>();
    for (let seed = 0; seed < 100; seed++) {
      const disk = makeDisk(seed);
      disk.write('CURRENT', 0, text('v1'));
      disk.write('tmp', 0, text('v2'));
      disk.sync('CURRENT');
      disk.sync('tmp');
      disk.syncDir();
      disk.rename('tmp', 'CURRENT');
      disk.crash();
      const s = snapshot(disk);
      const current = new TextDecoder().decode(s.get('CURRENT'));
      expect(['v1', 'v2']).toContain(current);
      expect(s.has('tmp')).toBe(current === 'v1');
      outcomes.add(current);
    }
    expect(outcomes).toEqual(new Set(['v1', 'v2']));
  });

  it('a delete without syncDir may be undone by a crash; after syncDir it is final', () => {
    let back = 0;
    for (let seed = 0; seed < 100; seed++) {
      const disk = makeDisk(seed);
      disk.write('old', 0, text('x'));
      disk.sync('old');
      disk.syncDir();
      disk.delete('old');
      expect(disk.list()).toEqual([]);
      disk.crash();
      if (disk.list().includes('old')) {
        back++;
        expect(readAll(disk, 'old')).toEqual(text('x'));
      }
      disk.delete('old');
      disk.syncDir();
      disk.crash();
      expect(disk.list()).toEqual([]);
    }
    expect(back).toBeGreaterThan(0);
  });

  it('tears writes at sector granularity, in some crashes only partly', () => {
    const patterns = new Set<string>();
    for (let seed = 0; seed < 200; seed++) {
      const disk = makeDisk(seed, { keepUnsyncedPpm: 0, tornPpm: PPM });
      disk.write('f', 0, filled(4 * SECTOR, 0x11));
      disk.sync('f');
      disk.syncDir();
      // Unaligned: touches the byte ranges [100, 512), [512, 1024), [1024, 1536), [1536, 1600).
      disk.write('f', 100, filled(1500, 0x22));
      disk.crash();
      const data = readAll(disk, 'f');
      expect(data.length).toBe(4 * SECTOR);
      expect(data.subarray(0, 100).every((b) => b === 0x11)).toBe(true);
      expect(data.subarray(1600).every((b) => b === 0x11)).toBe(true);
      let pattern = '';
      for (const [lo, hi] of [
        [100, 512],
        [512, 1024],
        [1024, 1536],
        [1536, 1600],
      ] as const) {
        const piece = data.subarray(lo, hi);
        const first = piece[0] as number;
        expect(
          piece.every((b) => b === first),
          `seed ${seed}: piece [${lo}, ${hi}) is not whole`,
        ).toBe(true);
        pattern += first === 0x22 ? '1' : '0';
      }
      patterns.add(pattern);
      expect(disk.stats().tornWrites).toBe(1);
    }
    // Partial tears happen, and every one of the 16 sector subsets shows up.
    expect([...patterns].some((p) => p.includes('0') && p.includes('1'))).toBe(true);
    expect(patterns.size).toBe(16);
  });

  it('a torn append may expose zeros where sectors did not persist', () => {
    let exposedZeros = 0;
    for (let seed = 0; seed < 200; seed++) {
      const disk = makeDisk(seed, { keepUnsyncedPpm: 0, tornPpm: PPM });
      disk.write('wal', 0, filled(SECTOR, 0x11));
      disk.sync('wal');
      disk.syncDir();
      disk.write('wal', 'append', filled(3 * SECTOR, 0x22));
      disk.crash();
      const data = readAll(disk, 'wal');
      expect([1, 2, 3, 4].map((n) => n * SECTOR)).toContain(data.length);
      expect(data.subarray(0, SECTOR).every((b) => b === 0x11)).toBe(true);
      for (let s = 1; s < data.length / SECTOR; s++) {
        const piece = data.subarray(s * SECTOR, (s + 1) * SECTOR);
        const first = piece[0] as number;
        expect([0, 0x22]).toContain(first);
        expect(piece.every((b) => b === first)).toBe(true);
        if (first === 0) exposedZeros++;
      }
    }
    expect(exposedZeros).toBeGreaterThan(0);
  });
});

// ---- faults -----------------------------------------------------------------------------------

describe('SimDisk faults', () => {
  it('a failed fsync drops the writes from the durable path even when a later fsync succeeds', () => {
    // One fault per block: the first fsync of sector 0 fails, later ones cannot.
    const disk = makeDisk(
      5,
      { keepUnsyncedPpm: PPM, dirOpsKeepPpm: PPM },
      { fsyncFailPpm: PPM, faultsPerBlockMax: 1 },
    );
    disk.write('f', 0, text('AAAA'));
    disk.syncDir();
    expect(disk.sync('f')).toEqual({ ok: false, error: 'EIO' });
    expect(readAll(disk, 'f')).toEqual(text('AAAA')); // still in the page cache
    expect(disk.sync('f')).toEqual({ ok: true }); // the retry "succeeds": the pages were marked clean
    disk.write('f', 0, text('BB'));
    expect(disk.sync('f')).toEqual({ ok: true });
    expect(readAll(disk, 'f')).toEqual(text('BBAA'));
    disk.crash(); // even a crash that keeps every unsynced write cannot bring AAAA back
    expect(readAll(disk, 'f')).toEqual(text('BB'));
    expect(disk.stats().faultsInjected.fsyncFail).toBe(1);
    expect(disk.injected).toEqual([{ kind: 'fsyncFail', file: 'f', sector: 0 }]);
  });

  it('a latent sector error returns EIO for reads covering the sector, outlasts a crash and is cleared by a rewrite', () => {
    const disk = makeDisk(7, {}, { latentSectorErrorPpm: PPM, faultsPerBlockMax: 1 });
    disk.write('f', 0, filled(2 * SECTOR, 0x33));
    expect(disk.injected).toHaveLength(1);
    const bad = disk.injected[0]?.sector as number;
    const good = 1 - bad;
    expect(disk.read('f')).toEqual({ ok: false, error: 'EIO' });
    expect(disk.read('f', bad * SECTOR + 10, 1)).toEqual({ ok: false, error: 'EIO' });
    expect(disk.read('f', good * SECTOR, SECTOR)).toEqual({ ok: true, data: filled(SECTOR, 0x33) });
    disk.sync('f');
    disk.syncDir();
    disk.crash();
    expect(disk.read('f')).toEqual({ ok: false, error: 'EIO' });
    // Rewriting the sector remaps it; its block's budget is spent, so no new error lands there.
    disk.write('f', bad * SECTOR, filled(SECTOR, 0x44));
    expect(disk.injected).toHaveLength(1);
    expect(disk.read('f', bad * SECTOR, SECTOR)).toEqual({ ok: true, data: filled(SECTOR, 0x44) });
    expect(disk.read('f').ok).toBe(true);
  });

  it('a misdirected write lands on another sector and leaves the target with its old data', () => {
    const disk = makeDisk(11, {}, { misdirectedWritePpm: PPM, faultsPerBlockMax: 1 });
    const old = new Uint8Array(4 * SECTOR);
    for (let s = 0; s < 4; s++) old.fill(0x10 + s, s * SECTOR, (s + 1) * SECTOR);
    disk.write('f', 0, old); // an empty file has nowhere else to put it
    expect(disk.injected).toEqual([]);
    expect(disk.write('f', 2 * SECTOR, filled(SECTOR, 0xee))).toEqual({
      ok: true,
      offset: 2 * SECTOR,
    });
    const data = readAll(disk, 'f');
    expect(data.length).toBe(4 * SECTOR);
    expect(data.subarray(2 * SECTOR, 3 * SECTOR)).toEqual(old.subarray(2 * SECTOR, 3 * SECTOR));
    const hit = [0, 1, 3].filter((s) =>
      data.subarray(s * SECTOR, (s + 1) * SECTOR).every((b) => b === 0xee),
    );
    expect(hit).toHaveLength(1);
    expect(disk.injected.map((f) => f.sector).sort()).toEqual([2, hit[0]].sort());
    expect(disk.stats().faultsInjected.misdirectedWrite).toBe(1);
  });

  it('a misdirected append still grows the file, with zeros where the data should be', () => {
    const disk = makeDisk(12, {}, { misdirectedWritePpm: PPM });
    disk.write('wal', 0, filled(2 * SECTOR, 0x11));
    disk.write('wal', 'append', filled(SECTOR, 0x22));
    const data = readAll(disk, 'wal');
    expect(data.length).toBe(3 * SECTOR);
    expect(data.subarray(2 * SECTOR).every((b) => b === 0)).toBe(true);
    expect(data.filter((b) => b === 0x22)).toHaveLength(SECTOR);
  });

  it('a bit flip on write changes exactly one stored bit, durably', () => {
    const disk = makeDisk(13, { keepUnsyncedPpm: 0, tornPpm: 0 }, { bitFlipOnWritePpm: PPM });
    const data = filled(100, 0);
    disk.write('f', 0, data);
    disk.sync('f');
    disk.syncDir();
    disk.crash();
    const stored = readAll(disk, 'f');
    const bits = stored.reduce((n, b) => n + popcount(b), 0);
    expect(bits).toBe(1);
    expect(disk.injected).toEqual([{ kind: 'bitFlipOnWrite', file: 'f', sector: 0 }]);
  });

  it('a bit flip on read corrupts the returned copy only', () => {
    const disk = makeDisk(17, {}, { bitFlipOnReadPpm: PPM, faultsPerBlockMax: 1 });
    disk.write('f', 0, filled(100, 0));
    const first = readAll(disk, 'f');
    expect(first.reduce((n, b) => n + popcount(b), 0)).toBe(1);
    // The block's budget is spent: the next read shows the intact stored bytes.
    expect(readAll(disk, 'f')).toEqual(filled(100, 0));
    expect(disk.stats().faultsInjected.bitFlipOnRead).toBe(1);
  });

  it('injects nothing when the disk has no faults or a zero budget', () => {
    for (const faults of [
      undefined,
      {
        bitFlipOnReadPpm: PPM,
        bitFlipOnWritePpm: PPM,
        latentSectorErrorPpm: PPM,
        misdirectedWritePpm: PPM,
        fsyncFailPpm: PPM,
        faultsPerBlockMax: 0,
      },
    ]) {
      const disk = makeDisk(19, {}, faults);
      disk.write('f', 0, filled(3000, 9));
      disk.write('f', 100, filled(3000, 8));
      expect(disk.sync('f')).toEqual({ ok: true });
      expect(disk.read('f').ok).toBe(true);
      expect(disk.injected).toEqual([]);
    }
  });

  test.prop([fc.nat(), opsArb({ dir: true, crash: true }), fc.integer({ min: 1, max: 3 })], {
    numRuns: 150,
  })('faultsPerBlockMax bounds the faults on every (file, sector) block', (seed, ops, max) => {
    const rate = 400_000;
    const disk = makeDisk(
      seed,
      {},
      {
        bitFlipOnReadPpm: rate,
        bitFlipOnWritePpm: rate,
        latentSectorErrorPpm: rate,
        misdirectedWritePpm: rate,
        fsyncFailPpm: rate,
        faultsPerBlockMax: max,
      },
    );
    for (const op of ops) {
      apply(disk, op);
      for (const name of disk.list()) disk.read(name, 0, 700);
    }
    const perBlock = new Map<string, number>();
    for (const f of disk.injected) {
      const key = `${f.file}#${f.sector}`;
      perBlock.set(key, (perBlock.get(key) ?? 0) + 1);
    }
    for (const [block, n] of perBlock) expect(n, block).toBeLessThanOrEqual(max);
    const events = Object.values(disk.stats().faultsInjected).reduce((a, b) => a + b, 0);
    expect(events).toBeLessThanOrEqual(disk.injected.length);
  });
});

// ---- determinism ------------------------------------------------------------------------------

describe('SimDisk determinism', () => {
  const run = (seed: number, ops: readonly Op[]): unknown => {
    const rate = 100_000;
    const disk = makeDisk(
      seed,
      {},
      {
        bitFlipOnReadPpm: rate,
        bitFlipOnWritePpm: rate,
        latentSectorErrorPpm: rate,
        misdirectedWritePpm: rate,
        fsyncFailPpm: rate,
        faultsPerBlockMax: Infinity,
      },
    );
    const reads: unknown[] = [];
    for (const op of ops) {
      apply(disk, op);
      for (const name of disk.list()) reads.push(name, disk.read(name));
    }
    return {
      reads,
      list: disk.list(),
      stats: disk.stats(),
      injected: [...disk.injected],
      image: disk.durableImage(),
    };
  };

  test.prop([fc.nat(), opsArb({ dir: true, crash: true })], { numRuns: 60 })(
    'same seed and operations give byte-identical results',
    (seed, ops) => {
      expect(run(seed, ops)).toEqual(run(seed, ops));
    },
  );

  it('different seeds diverge', () => {
    const ops: Op[] = [];
    for (let i = 0; i < 30; i++)
      ops.push({ t: 'write', f: i % 3, off: 'append', data: filled(700, i + 1) }, { t: 'crash' });
    expect(run(1, ops)).not.toEqual(run(2, ops));
  });
});

function popcount(b: number): number {
  let n = 0;
  for (let x = b; x !== 0; x &= x - 1) n++;
  return n;
}

describe('a lost disk', () => {
  it('lose() leaves a blank disk: no file, synced or not, and no pending directory operation', () => {
    const disk = new SimDisk(
      {
        sectorBytes: 512,
        crash: { keepUnsyncedPpm: 1_000_000, tornPpm: 0, dirOpsKeepPpm: 1_000_000 },
        faults: undefined,
      },
      Prng.root(1).fork('lose'),
    );
    disk.write('a', 0, new Uint8Array([1, 2, 3]));
    disk.sync('a');
    disk.syncDir();
    disk.write('b', 0, new Uint8Array([4]));
    disk.lose();
    expect(disk.list()).toEqual([]);
    disk.crash();
    expect(disk.list()).toEqual([]);
    expect(disk.durableImage().size).toBe(0);
    disk.write('c', 0, new Uint8Array([5]));
    expect(disk.list()).toEqual(['c']);
  });
});
