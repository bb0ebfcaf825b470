/**
 * Paper rules of primary/backup, driven through the step functions directly (no world) with the
 * shared step harness: persist before acknowledging, persist a vote before sending it, fence
 * older epochs, commit only what every backup has durable, recover the valid prefix of a torn
 * WAL.
 */
import { describe, expect, it } from 'vitest';
import { MARKS } from '../../../../src/core/marks.js';
import type { Step } from '../../../../src/core/protocol.js';
import type { PbMessage } from '../../../../src/protocols/primary-backup/messages.js';
import type { PbState } from '../../../../src/protocols/primary-backup/pb-state.js';
import { createPrimaryBackup } from '../../../../src/protocols/primary-backup/primary-backup.js';
import {
  boot,
  marks,
  persist,
  replies,
  sends,
  syncs,
  testContext,
} from '../../../support/step-harness.js';

const nodes = ['n1', 'n2', 'n3'];

describe('primary/backup step rules', () => {
  const p = createPrimaryBackup(
    { mode: 'sync', heartbeatMs: 20, electionTimeoutMs: 150, batchMax: 64 },
    new Set(),
    nodes,
  );

  it('a backup acknowledges entries only after its fsync completes', () => {
    const c = testContext('n2', nodes);
    const s = boot(p, c);
    const entry = { epoch: 1, index: 1, cmd: { f: 'append' as const, key: 'k', value: 'v' } };
    const step = p.onMessage(
      s,
      'n1',
      { type: 'Replicate', epoch: 1, prevIndex: 0, prevEpoch: 0, entries: [entry], commitIndex: 0 },
      c,
    );
    expect(sends(step.effects).filter((e) => e.msg.type === 'ReplicateOk')).toEqual([]);
    const walSync = syncs(step.effects).find((e) => e.file === 'wal');
    expect(walSync).toBeDefined();
    persist(c, step.effects);
    const done = p.onDiskDone(
      step.state,
      { op: 'sync', file: 'wal', tag: walSync!.tag, ok: true },
      c,
    );
    expect(sends(done.effects)).toEqual([
      { type: 'send', to: 'n1', msg: { type: 'ReplicateOk', epoch: 1, matchIndex: 1 } },
    ]);
  });

  it('a vote is sent only after it is durable, and a stale candidate is refused', () => {
    const c = testContext('n3', nodes);
    let s = boot(p, c);
    const ask = p.onMessage(
      s,
      'n1',
      { type: 'RequestVote', epoch: 1, lastEpoch: 0, lastIndex: 0 },
      c,
    );
    expect(sends(ask.effects)).toEqual([]);
    const metaSync = syncs(ask.effects).find((e) => e.file === 'meta')!;
    const granted = p.onDiskDone(
      ask.state,
      { op: 'sync', file: 'meta', tag: metaSync.tag, ok: true },
      c,
    );
    expect(sends(granted.effects)).toEqual([
      { type: 'send', to: 'n1', msg: { type: 'Vote', epoch: 1, granted: true } },
    ]);
    s = granted.state;
    // Same epoch, another candidate: one vote per epoch.
    const second = p.onMessage(
      s,
      'n2',
      { type: 'RequestVote', epoch: 1, lastEpoch: 0, lastIndex: 0 },
      c,
    );
    expect(sends(second.effects)).toEqual([
      { type: 'send', to: 'n2', msg: { type: 'Vote', epoch: 1, granted: false } },
    ]);
  });

  it('refuses a candidate whose log is behind', () => {
    const c = testContext('n3', nodes);
    let s = boot(p, c);
    const entry = { epoch: 2, index: 1, cmd: { f: 'append' as const, key: 'k', value: 'v' } };
    s = p.onMessage(
      s,
      'n1',
      { type: 'Replicate', epoch: 2, prevIndex: 0, prevEpoch: 0, entries: [entry], commitIndex: 0 },
      c,
    ).state;
    // Long after the primary was last heard, so stickiness does not refuse the vote first.
    c.now = 10_000_000;
    const step = p.onMessage(
      s,
      'n2',
      { type: 'RequestVote', epoch: 3, lastEpoch: 1, lastIndex: 5 },
      c,
    );
    expect(sends(step.effects).at(-1)).toEqual({
      type: 'send',
      to: 'n2',
      msg: { type: 'Vote', epoch: 3, granted: false },
    });
  });

  it('fences a primary of an older epoch', () => {
    const c = testContext('n2', nodes);
    let s = boot(p, c);
    s = p.onMessage(
      s,
      'n3',
      { type: 'Replicate', epoch: 5, prevIndex: 0, prevEpoch: 0, entries: [], commitIndex: 0 },
      c,
    ).state;
    const stale = p.onMessage(
      s,
      'n1',
      {
        type: 'Replicate',
        epoch: 4,
        prevIndex: 0,
        prevEpoch: 0,
        entries: [{ epoch: 4, index: 1, cmd: { f: 'append', key: 'k', value: 'x' } }],
        commitIndex: 0,
      },
      c,
    );
    expect(sends(stale.effects)).toEqual([
      { type: 'send', to: 'n1', msg: { type: 'ReplicateNack', epoch: 5, hintIndex: 0 } },
    ]);
    expect(stale.state.log).toEqual([]);
  });

  it('a sync primary answers a write only once it and every backup have it durable', () => {
    const c = testContext('n1', nodes);
    let s = boot(p, c);
    // Win an election: time out, persist the candidacy, collect a vote.
    let step: Step<PbState, PbMessage, unknown> = p.onTimer(s, 'election', c);
    const cand = syncs(step.effects).find((e) => e.file === 'meta')!;
    step = p.onDiskDone(step.state, { op: 'sync', file: 'meta', tag: cand.tag, ok: true }, c);
    step = p.onMessage(step.state, 'n2', { type: 'Vote', epoch: 1, granted: true }, c);
    expect(marks(step.effects)).toContain(MARKS.promoted);
    s = step.state;
    const noopSync = syncs(step.effects).find((e) => e.file === 'wal')!;
    s = p.onDiskDone(s, { op: 'sync', file: 'wal', tag: noopSync.tag, ok: true }, c).state;
    const write = p.onRequest(
      s,
      { id: 7, client: 'c1', seq: 1, op: { f: 'append', key: 'k', value: 'v1' } },
      c,
    );
    expect(replies(write.effects)).toEqual([]);
    const walSync = syncs(write.effects).find((e) => e.file === 'wal')!;
    let st = p.onDiskDone(write.state, { op: 'sync', file: 'wal', tag: walSync.tag, ok: true }, c);
    expect(replies(st.effects)).toEqual([]);
    st = p.onMessage(st.state, 'n2', { type: 'ReplicateOk', epoch: 1, matchIndex: 2 }, c);
    expect(replies(st.effects)).toEqual([]);
    st = p.onMessage(st.state, 'n3', { type: 'ReplicateOk', epoch: 1, matchIndex: 2 }, c);
    expect(replies(st.effects)).toEqual([
      { type: 'reply', requestId: 7, outcome: { type: 'ok', value: 'v1' } },
    ]);
  });

  it('a heartbeat ships each backup what it lacks, down to one entry, and nothing else', () => {
    const c = testContext('n1', nodes);
    let step: Step<PbState, PbMessage, unknown> = p.onTimer(boot(p, c), 'election', c);
    const cand = syncs(step.effects).find((e) => e.file === 'meta')!;
    step = p.onDiskDone(step.state, { op: 'sync', file: 'meta', tag: cand.tag, ok: true }, c);
    step = p.onMessage(step.state, 'n2', { type: 'Vote', epoch: 1, granted: true }, c);
    const op = { f: 'append' as const, key: 'k', value: 'v1' };
    step = p.onRequest(step.state, { id: 7, client: 'c1', seq: 1, op }, c);
    // n2 has the no-op (index 1) but not the write; n3 has both.
    step = p.onMessage(step.state, 'n2', { type: 'ReplicateOk', epoch: 1, matchIndex: 1 }, c);
    step = p.onMessage(step.state, 'n3', { type: 'ReplicateOk', epoch: 1, matchIndex: 2 }, c);
    const beat = sends(p.onTimer(step.state, 'heartbeat', c).effects);
    const shipped = (to: string) =>
      beat.flatMap((e) =>
        e.to === to && e.msg.type === 'Replicate'
          ? [[e.msg.prevIndex, e.msg.entries.map((x) => x.index)]]
          : [],
      );
    expect(shipped('n2')).toEqual([[1, [2]]]);
    expect(shipped('n3')).toEqual([[2, []]]);
  });

  it('with primary-backup.ack-before-backups a sync primary answers on its own fsync', () => {
    for (const [bugs, answeredAlone] of [
      [new Set<string>(), false],
      [new Set(['primary-backup.ack-before-backups']), true],
    ] as const) {
      const q = createPrimaryBackup(
        { mode: 'sync', heartbeatMs: 20, electionTimeoutMs: 150, batchMax: 64 },
        bugs,
        nodes,
      );
      const c = testContext('n1', nodes);
      let step: Step<PbState, PbMessage, unknown> = q.onTimer(boot(q, c), 'election', c);
      const cand = syncs(step.effects).find((e) => e.file === 'meta')!;
      step = q.onDiskDone(step.state, { op: 'sync', file: 'meta', tag: cand.tag, ok: true }, c);
      step = q.onMessage(step.state, 'n2', { type: 'Vote', epoch: 1, granted: true }, c);
      const noop = syncs(step.effects).find((e) => e.file === 'wal')!;
      step = q.onDiskDone(step.state, { op: 'sync', file: 'wal', tag: noop.tag, ok: true }, c);
      const write = q.onRequest(
        step.state,
        { id: 7, client: 'c1', seq: 1, op: { f: 'append', key: 'k', value: 'v1' } },
        c,
      );
      const walSync = syncs(write.effects).find((e) => e.file === 'wal')!;
      const own = q.onDiskDone(
        write.state,
        { op: 'sync', file: 'wal', tag: walSync.tag, ok: true },
        c,
      );
      // No backup has acknowledged anything: only the bug answers now.
      expect(replies(own.effects).length > 0, `${[...bugs]}`).toBe(answeredAlone);
    }
  });

  it('recovers the valid prefix of a WAL whose tail was torn, and marks it', () => {
    const c = testContext('n2', nodes);
    let s = boot(p, c);
    const e1 = { epoch: 1, index: 1, cmd: { f: 'append' as const, key: 'k', value: 'a' } };
    const step = p.onMessage(
      s,
      'n1',
      { type: 'Replicate', epoch: 1, prevIndex: 0, prevEpoch: 0, entries: [e1], commitIndex: 0 },
      c,
    );
    persist(c, step.effects);
    s = step.state;
    // Garbage after the valid record, as a torn append leaves.
    const size = c.disk.size('wal')!;
    c.disk.write('wal', size, new Uint8Array([0, 0, 0, 40, 1, 2, 3, 4, 5, 6]));
    c.disk.sync('wal');
    const rec = p.onRecover(c);
    expect(rec.state.log).toEqual([e1]);
    // New records go behind the fence written where the valid prefix ends (record-log.ts).
    const fence = rec.effects.find((e) => e.type === 'diskWrite');
    expect(fence?.type === 'diskWrite' && [fence.offset, fence.data.length]).toEqual([size, 16]);
    expect(rec.state.wal.bytes).toBe(size + 16);
    expect(marks(rec.effects)).toContain('pb.torn-tail-truncated');
  });

  it('stands above its epoch floor, and for the next epoch without one', () => {
    const floored = createPrimaryBackup(
      { mode: 'sync', heartbeatMs: 20, electionTimeoutMs: 150, batchMax: 64, epochFloor: 1000 },
      new Set(),
      nodes,
    );
    const standFor = (q: typeof p) => {
      const c = testContext('n2', nodes);
      const s = boot(q, c);
      c.now = 1_000_000;
      const stood = q.onTimer(s, 'election', c);
      return stood.state.epoch;
    };
    expect(standFor(p)).toBe(1);
    expect(standFor(floored)).toBe(1001);
  });
});
