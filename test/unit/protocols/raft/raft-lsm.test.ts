/**
 * Raft with `storage: lsm`, driven step by step: the state machine is in the engine, a restart
 * resumes at the engine's applied mark (not at the snapshot, not at zero), a log compaction cuts
 * no further than the mark, and the named bug's second batch is what a crash can lose.
 */
import { describe, expect, it } from 'vitest';
import type { Entry, RaftMessage } from '../../../../src/protocols/raft/messages.js';
import { createRaft } from '../../../../src/protocols/raft/raft.js';
import type { RaftOptions } from '../../../../src/protocols/raft/raft-config.js';
import { DEFAULT_LSM_OPTIONS } from '../../../../src/storage/lsm/lsm-options.js';
import { boot, settle, type TestContext, testContext } from '../../../support/step-harness.js';

const nodes = ['n1', 'n2', 'n3'];
const OPTIONS: RaftOptions = {
  heartbeatMs: 20,
  electionTimeoutMs: 150,
  batchMax: 64,
  preVote: true,
  checkQuorum: true,
  snapshotEvery: 1000,
  storage: 'lsm',
  lsm: DEFAULT_LSM_OPTIONS,
};
const ctx = (node: string): TestContext => testContext(node, nodes);

const entry = (index: number): Entry => ({
  term: 1,
  index,
  digest: 1000 + index,
  cmd: { f: 'append', key: 'k', value: `v${index}` },
  client: 'c1',
  seq: index,
});
const ae = (prev: number, entries: Entry[], leaderCommit: number): RaftMessage => ({
  type: 'AppendEntries',
  term: 1,
  prevLogIndex: prev,
  prevLogTerm: prev === 0 ? 0 : 1,
  entries,
  leaderCommit,
  probe: 1,
});

describe('raft: storage lsm', () => {
  it('a restart resumes at the engine mark: the state is on disk, not replayed', () => {
    const p = createRaft(OPTIONS, new Set(), nodes);
    const c = ctx('n2');
    const s = settle(p, c, p.onMessage(boot(p, c), 'n1', ae(0, [1, 2, 3].map(entry), 3), c)).state;
    expect(s.store?.get('k')).toBe('v1 v2 v3');
    const back = p.onRecover(c).state;
    expect([back.lastApplied, back.commitIndex, back.log.lastIndex]).toEqual([3, 3, 3]);
    expect(back.store?.get('k')).toBe('v1 v2 v3');
    expect(back.store?.answered('c1', 3)).toEqual({ output: 'v1 v2 v3' });
    // The in-memory state machine was never used.
    expect(back.sm.get('k')).toBeNull();
  });

  it('a log compaction cuts at the engine mark and a restart keeps the entries after it', () => {
    const p = createRaft({ ...OPTIONS, snapshotEvery: 2 }, new Set(), nodes);
    const c = ctx('n2');
    let s = settle(p, c, p.onMessage(boot(p, c), 'n1', ae(0, [1, 2].map(entry), 2), c)).state;
    s = settle(p, c, p.onMessage(s, 'n1', ae(2, [3, 4].map(entry), 4), c)).state;
    expect(s.log.snapshotIndex).toBeGreaterThanOrEqual(2);
    const back = p.onRecover(c).state;
    expect([back.lastApplied, back.log.lastIndex]).toEqual([4, 4]);
    expect(back.store?.get('k')).toBe('v1 v2 v3 v4');
  });

  it('the named bug: the mark behind the data after the second batch is lost', () => {
    const p = createRaft(OPTIONS, new Set(['raft.applied-index-apart']), nodes);
    const c = ctx('n2');
    let s = settle(p, c, p.onMessage(boot(p, c), 'n1', ae(0, [entry(1)], 0), c)).state;
    // Entry 1 commits: its data batch is written and fsynced, and its mark's batch waits for
    // that fsync. Deliver only the first fsync; the mark's write is never synced.
    const step = p.onMessage(s, 'n1', ae(1, [], 1), c);
    const held = settle(p, c, step, { syncs: false });
    s = held.state;
    const first = held.pending[0];
    if (first === undefined) throw new Error('no fsync pending');
    c.disk.sync(first.file);
    s = p.onDiskDone(s, first, c).state;
    c.disk.crash();
    const back = p.onRecover(c).state;
    expect(back.lastApplied).toBe(0);
    expect(back.store?.get('k')).toBe('v1');
  });
});
