/**
 * The replicated state machine in the engine (`storage: lsm`): the applied mark reopens with
 * exactly the data it describes at every crash point, sessions answer retries after a restart,
 * the named bug's two batches leave a crash window where data is ahead of the mark, and a
 * checkpoint installed on another store replaces its whole state.
 */
import { describe, expect, it } from 'vitest';
import { ReplicatedKv } from '../../../src/storage/lsm/replicated-kv.js';
import { type Fx, LOSE_ALL, LsmDiskDriver, opts } from './lsm-disk-driver.js';

function openKv(d: LsmDiskDriver, apart = false): ReplicatedKv {
  const fx: Fx = [];
  const r = ReplicatedKv.open(d.options, d.disk, fx, apart);
  if (!('kv' in r)) throw new Error(`open failed: ${r.reason}`);
  d.engine = r.kv.engine;
  d.apply(fx);
  return r.kv;
}

const mark = (index: number) => ({ index, term: 1, chain: index * 7 });

function append(d: LsmDiskDriver, kv: ReplicatedKv, index: number, value: string) {
  const fx: Fx = [];
  const out = kv.apply(
    { f: 'append', key: 'k', value },
    { client: 'c1', seq: index },
    mark(index),
    fx,
  );
  d.apply(fx);
  return out;
}

describe('the applied mark and the data', () => {
  it('reopen at the durable mark, with its data and sessions', () => {
    const d = new LsmDiskDriver(opts(), 1, LOSE_ALL);
    let kv = openKv(d);
    expect(kv.applied.index).toBe(0);
    expect(append(d, kv, 1, 'x')).toBe('x');
    expect(append(d, kv, 2, 'y')).toBe('x y');
    d.settle();
    expect(kv.durableApplied).toBe(2);
    d.crash();
    kv = openKv(d);
    expect(kv.applied).toEqual(mark(2));
    expect(kv.get('k')).toBe('x y');
    expect(kv.answered('c1', 2)).toEqual({ output: 'x y' });
    // A retry of an applied command is answered from its session, not applied again.
    const fx: Fx = [];
    expect(
      kv.apply({ f: 'append', key: 'k', value: 'y' }, { client: 'c1', seq: 2 }, mark(3), fx),
    ).toBe('x y');
    expect(kv.get('k')).toBe('x y');
  });

  it('at every torn crash, the mark and the data reopen together', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const crash = { keepUnsyncedPpm: 500_000, tornPpm: 1_000_000, dirOpsKeepPpm: 1_000_000 };
      const d = new LsmDiskDriver(opts(), seed, crash);
      let kv = openKv(d);
      append(d, kv, 1, 'x');
      d.settle();
      append(d, kv, 2, 'y'.repeat(600));
      d.crash();
      kv = openKv(d);
      const want = kv.applied.index === 2 ? `x ${'y'.repeat(600)}` : 'x';
      expect(kv.get('k'), `seed ${seed}`).toBe(want);
    }
  });

  it('the named bug: the data durable, the mark not (a crash between the two batches)', () => {
    const d = new LsmDiskDriver(opts(), 1, LOSE_ALL);
    let kv = openKv(d, true);
    append(d, kv, 1, 'x');
    d.settle();
    append(d, kv, 2, 'y');
    // The data batch's write and fsync go first; the mark's batch waits for that fsync.
    // The data batch is one write; the session and the mark are the last two.
    while (kv.engine.durableSeq < kv.engine.latestSeq - 2) d.step();
    d.crash();
    kv = openKv(d);
    expect(kv.applied.index).toBe(1);
    expect(kv.get('k')).toBe('x y');
    // Replaying entry 2 from the stale mark applies the append a second time.
    expect(append(d, kv, 2, 'y')).toBe('x y y');
  });
});

describe('checkpoints', () => {
  it('installing a checkpoint replaces the whole state, sessions and mark included', () => {
    const a = new LsmDiskDriver(opts(), 1, LOSE_ALL);
    const src = openKv(a);
    append(a, src, 1, 'x');
    a.settle();
    const b = new LsmDiskDriver(opts(), 2, LOSE_ALL);
    let dst = openKv(b);
    const fx: Fx = [];
    dst.apply({ f: 'put', key: 'stale', value: 's' }, { client: 'c9', seq: 1 }, mark(1), fx);
    b.apply(fx);
    b.settle();
    const cp = src.checkpoint();
    const install: Fx = [];
    dst.install(cp, mark(5), install);
    b.apply(install);
    b.settle();
    b.crash();
    dst = openKv(b);
    expect(dst.checkpoint()).toEqual(cp);
    expect(dst.get('stale')).toBeNull();
    expect(dst.answered('c9', 1)).toBeUndefined();
    expect(dst.applied).toEqual(mark(5));
  });
});
