/**
 * Checkpoints of primary/backup (checkpoint.ts, checkpoint-shipment.ts), driven through the
 * step functions: one is written every `checkpointEvery` applied entries into the other of two
 * files, only after the previous one is durable; recovery starts from the newest valid one and
 * replays the WAL after it; a torn newer checkpoint leaves the older; and a node started from a
 * shipment (the checkpoint plus the log after it) recovers the same log positions and kv store
 * as one started from a copy of every file, from fewer bytes.
 */
import { describe, expect, it } from 'vitest';
import type { KvCommand } from '../../../../src/protocols/shared/kv-store.js';
import { checkpointMisfit } from '../../../../src/protocols/primary-backup/index.js';
import { checkpointShipment } from '../../../../src/protocols/primary-backup/checkpoint-shipment.js';
import type { Entry } from '../../../../src/protocols/primary-backup/messages.js';
import type { PbState } from '../../../../src/protocols/primary-backup/pb-state.js';
import { createPrimaryBackup } from '../../../../src/protocols/primary-backup/primary-backup.js';
import { boot, marks, settle, testContext } from '../../../support/step-harness.js';

const nodes = ['n1', 'n2', 'n3'];
const options = { mode: 'sync', heartbeatMs: 20, electionTimeoutMs: 150, batchMax: 64 } as const;
const p = createPrimaryBackup({ ...options, checkpointEvery: 4 }, new Set(), nodes);

const append = (value: string): KvCommand => ({ f: 'append', key: `k${value.length}`, value });
const entries = (from: number, to: number, epoch: number): Entry[] => {
  const out: Entry[] = [];
  for (let i = from; i <= to; i++) out.push({ epoch, index: i, cmd: append(`v${i}`) });
  return out;
};

/** A backup n2 given `es` (after `prev`) by primary n1, committed up to `commit`. */
function replicate(c: ReturnType<typeof testContext>, s: PbState, es: Entry[], commit: number) {
  const first = es[0] as Entry;
  const prevIndex = first.index - 1;
  const prevEpoch = prevIndex === 0 ? 0 : (s.log[prevIndex - 1] as Entry).epoch;
  const step = p.onMessage(
    s,
    'n1',
    { type: 'Replicate', epoch: first.epoch, prevIndex, prevEpoch, entries: es, commitIndex: 0 },
    c,
  );
  const stored = settle(p, c, step);
  // The commit point comes with the next heartbeat, once the entries are durable here.
  const last = (es[es.length - 1] as Entry).index;
  const hb = p.onMessage(
    stored.state,
    'n1',
    {
      type: 'Replicate',
      epoch: first.epoch,
      prevIndex: last,
      prevEpoch: (es[es.length - 1] as Entry).epoch,
      entries: [],
      commitIndex: commit,
    },
    c,
  );
  return settle(p, c, hb);
}

const files = (c: ReturnType<typeof testContext>) =>
  c.disk.list().map((name) => {
    const r = c.disk.read(name);
    if (!r.ok) throw new Error(name);
    return { name, data: r.data };
  });

describe('primary/backup checkpoints', () => {
  it('writes one every checkpointEvery applied entries, into the files in turn', () => {
    const c = testContext('n2', nodes);
    let s = boot(p, c);
    const first = replicate(c, s, entries(1, 5, 1), 5);
    expect(marks(first.effects)).toContain('pb.checkpoint-taken');
    s = first.state;
    expect([s.checkpoint.seq, s.checkpoint.index]).toEqual([1, 5]);
    expect(c.disk.size('ckpt.1')).toBeGreaterThan(0);
    expect(c.disk.size('ckpt.0')).toBeUndefined();
    // Two more applied entries are not enough; four are.
    s = replicate(c, s, entries(6, 7, 1), 7).state;
    expect(s.checkpoint.index).toBe(5);
    s = replicate(c, s, entries(8, 9, 1), 9).state;
    expect([s.checkpoint.seq, s.checkpoint.index]).toEqual([2, 9]);
    expect(c.disk.size('ckpt.0')).toBeGreaterThan(0);
  });

  it('does not write a checkpoint while the last one is not durable', () => {
    const c = testContext('n2', nodes);
    const s = boot(p, c);
    const step = p.onMessage(
      s,
      'n1',
      {
        type: 'Replicate',
        epoch: 1,
        prevIndex: 0,
        prevEpoch: 0,
        entries: entries(1, 4, 1),
        commitIndex: 0,
      },
      c,
    );
    const stored = settle(p, c, step);
    const hb = (commitIndex: number, st: PbState) =>
      p.onMessage(
        st,
        'n1',
        { type: 'Replicate', epoch: 1, prevIndex: 4, prevEpoch: 1, entries: [], commitIndex },
        c,
      );
    const held = settle(p, c, hb(4, stored.state), { syncs: false });
    expect(held.state.checkpoint.writing?.index).toBe(4);
    const writes = (st: PbState) =>
      hb(4, st).effects.filter((e) => e.type === 'diskWrite' && e.file.startsWith('ckpt'));
    expect(writes(held.state)).toEqual([]);
  });

  it('recovers from the newest checkpoint, then the WAL after it', () => {
    const c = testContext('n2', nodes);
    const s = replicate(c, boot(p, c), entries(1, 6, 1), 6).state;
    const rec = p.onRecover(c);
    const r = rec.state;
    expect(marks(rec.effects)).toContain('pb.checkpoint-loaded');
    expect([r.applied, r.commitIndex, r.log.length]).toEqual([6, 6, 6]);
    expect(r.log.map((e) => e.epoch)).toEqual(s.log.map((e) => e.epoch));
    expect(r.kv.dump()).toEqual(s.kv.dump());
  });

  it('a torn newer checkpoint leaves the older one', () => {
    const c = testContext('n2', nodes);
    let s = replicate(c, boot(p, c), entries(1, 4, 1), 4).state;
    s = replicate(c, s, entries(5, 8, 1), 8).state;
    expect(s.checkpoint.seq).toBe(2);
    // The newer checkpoint (seq 2, in ckpt.0) loses bytes in its middle.
    const size = c.disk.size('ckpt.0') as number;
    c.disk.write('ckpt.0', Math.floor(size / 2), new Uint8Array([1, 2, 3]));
    c.disk.sync('ckpt.0');
    const r = p.onRecover(c).state;
    expect(r.checkpoint.index).toBe(4);
    expect([r.applied, r.log.length]).toEqual([4, 8]);
  });

  it('a node started from a shipment recovers what a copy of every file gives, from fewer bytes', () => {
    const donor = testContext('n2', nodes);
    let s = boot(p, donor);
    s = replicate(donor, s, entries(1, 20, 1), 20).state;
    s = replicate(donor, s, entries(21, 23, 2), 21).state;
    const all = files(donor);
    const shipment = checkpointShipment(all);
    expect(shipment?.checkpointIndex).toBe(20);
    const bytes = (fs: readonly { data: Uint8Array }[]) =>
      fs.reduce((n, f) => n + f.data.length, 0);
    expect(bytes(shipment?.files ?? [])).toBeLessThan(bytes(all));
    const start = (fs: readonly { name: string; data: Uint8Array }[]) => {
      const c = testContext('n3', nodes);
      for (const f of fs) c.disk.write(f.name, 0, f.data);
      return p.onRecover(c).state;
    };
    const full = start(all);
    const shipped = start(shipment?.files ?? []);
    expect(shipped.log.length).toBe(23);
    expect(shipped.log.map((e) => e.epoch)).toEqual(full.log.map((e) => e.epoch));
    expect(shipped.log.slice(20)).toEqual(full.log.slice(20));
    expect(shipped.kv.dump()).toEqual(full.kv.dump());
    expect(shipped.epoch).toBe(full.epoch);
  });

  it('without a checkpoint there is nothing to ship', () => {
    const c = testContext('n2', nodes);
    replicate(c, boot(p, c), entries(1, 2, 1), 2);
    expect(checkpointShipment(files(c))).toBeUndefined();
  });

  it('is refused with async replication and with the LSM engine', () => {
    expect(checkpointMisfit({ ...options, checkpointEvery: 4 })).toBeUndefined();
    expect(checkpointMisfit({ ...options, mode: 'async', checkpointEvery: 4 })?.path).toEqual([
      'checkpointEvery',
    ]);
    expect(checkpointMisfit({ ...options, storage: 'lsm', checkpointEvery: 4 })?.path).toEqual([
      'checkpointEvery',
    ]);
    expect(checkpointMisfit({ ...options, mode: 'async' })).toBeUndefined();
  });
});
