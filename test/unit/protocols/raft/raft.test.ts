/**
 * Raft's paper rules, driven through the step functions directly (no world): persist before
 * replying, vote by (last term, last index), re-arm the election timer on every AppendEntries,
 * truncate only on conflict, commit only an entry of the current term by counting, answer reads
 * only after ReadIndex's heartbeat round, recover a torn WAL, and each named bug breaking
 * exactly its rule.
 */
import { describe, expect, it } from 'vitest';
import type { DiskCompletion } from '../../../../src/core/protocol.js';
import type { Entry, RaftMessage } from '../../../../src/protocols/raft/messages.js';
import { createRaft } from '../../../../src/protocols/raft/raft.js';
import type { RaftOptions } from '../../../../src/protocols/raft/raft-config.js';
import type { RaftState } from '../../../../src/protocols/raft/raft-state.js';
import { SessionKv } from '../../../../src/protocols/raft/session-kv.js';
import {
  boot,
  marks,
  replies,
  sent,
  settle,
  type TestContext,
  testContext,
} from '../../../support/step-harness.js';

const nodes = ['n1', 'n2', 'n3'];
const OPTIONS: RaftOptions = {
  heartbeatMs: 20,
  electionTimeoutMs: 150,
  batchMax: 64,
  preVote: true,
  checkQuorum: true,
  snapshotEvery: 1000,
};
type Raft = ReturnType<typeof createRaft>;

const ctx = (node: string): TestContext => testContext(node, nodes);

const entry = (term: number, index: number, value = `v${index}`): Entry => ({
  term,
  index,
  digest: term * 1000 + index,
  cmd: { f: 'append', key: 'k', value },
  client: 'c1',
  seq: index,
});
const ae = (
  term: number,
  prevLogIndex: number,
  prevLogTerm: number,
  entries: Entry[],
  leaderCommit = 0,
): RaftMessage => ({
  type: 'AppendEntries',
  term,
  prevLogIndex,
  prevLogTerm,
  entries,
  leaderCommit,
  probe: 1,
});

/** n1 wins term 1 with n2's vote and everything settled. */
function leader(p: Raft, c: TestContext): RaftState {
  let s = boot(p, c);
  s = settle(p, c, p.onTimer(s, 'election', c)).state; // pre-vote
  s = settle(p, c, p.onMessage(s, 'n2', { type: 'PreVoteReply', term: 1, granted: true }, c)).state;
  const won = settle(
    p,
    c,
    p.onMessage(s, 'n2', { type: 'RequestVoteReply', term: 1, granted: true }, c),
  );
  expect(won.state.role.kind).toBe('leader');
  return won.state;
}

describe('raft: persistence before replies', () => {
  const p = createRaft(OPTIONS, new Set(), nodes);

  it('a vote leaves only once term and vote are fsynced (a write completing is not enough)', () => {
    const c = ctx('n3');
    const s = boot(p, c);
    const step = p.onMessage(
      s,
      'n1',
      { type: 'RequestVote', term: 1, lastLogIndex: 0, lastLogTerm: 0 },
      c,
    );
    expect(sent(step.effects)).toEqual([]);
    const { state, effects, pending } = settle(p, c, step, { syncs: false });
    expect(sent(effects)).toEqual([]);
    expect(pending.map((d) => d.file)).toEqual(['meta']);
    const sync = pending[0] as DiskCompletion;
    // The meta write is quiet, so the host reports no completion; one delivered anyway must
    // not release the vote either.
    const written = p.onDiskDone(state, { ...sync, op: 'write' }, c);
    expect(sent(written.effects)).toEqual([]);
    const done = p.onDiskDone(written.state, sync, c);
    expect(sent(done.effects)).toEqual([
      { to: 'n1', type: 'RequestVoteReply', term: 1, granted: true },
    ]);
  });

  it('with raft.vote-before-persist the vote leaves before its fsync', () => {
    const bad = createRaft(OPTIONS, new Set(['raft.vote-before-persist']), nodes);
    const c = ctx('n3');
    const step = bad.onMessage(
      boot(bad, c),
      'n1',
      { type: 'RequestVote', term: 1, lastLogIndex: 0, lastLogTerm: 0 },
      c,
    );
    expect(sent(step.effects)).toEqual([
      { to: 'n1', type: 'RequestVoteReply', term: 1, granted: true },
    ]);
  });

  it('a follower reports entries as matched only once they are durable', () => {
    const c = ctx('n2');
    // Already a follower of n1 in term 1, with term and vote durable.
    const s = settle(p, c, p.onMessage(boot(p, c), 'n1', ae(1, 0, 0, []), c)).state;
    const step = p.onMessage(s, 'n1', ae(1, 0, 0, [entry(1, 1), entry(1, 2)]), c);
    const { state, effects, pending } = settle(p, c, step, { syncs: false });
    const matched = (list: readonly (typeof effects)[number][]) =>
      sent(list).flatMap((m) => (m.type === 'AppendEntriesReply' ? [m.matchIndex] : []));
    expect(matched([...step.effects, ...effects]).filter((i) => i > 0)).toEqual([]);
    expect(pending.map((d) => d.file)).toEqual(['wal']);
    const done = p.onDiskDone(state, pending[0] as DiskCompletion, c);
    expect(matched(done.effects)).toEqual([2]);
  });

  it('the leader counts itself only after its own fsync (unlike raft.ack-before-fsync)', () => {
    for (const [bugs, committedEarly] of [
      [new Set<string>(), false],
      [new Set(['raft.ack-before-fsync']), true],
    ] as const) {
      const q = createRaft(OPTIONS, bugs, nodes);
      const c = ctx('n1');
      let s = leader(q, c);
      // The follower confirms the no-op, so only client entries remain.
      s = q.onMessage(
        s,
        'n2',
        {
          type: 'AppendEntriesReply',
          term: 1,
          success: true,
          matchIndex: 1,
          conflictIndex: 0,
          probe: 0,
        },
        c,
      ).state;
      const write = q.onRequest(
        s,
        { id: 9, client: 'c1', seq: 1, op: { f: 'append', key: 'k', value: 'x' } },
        c,
      );
      const acked = q.onMessage(
        write.state,
        'n2',
        {
          type: 'AppendEntriesReply',
          term: 1,
          success: true,
          matchIndex: 2,
          conflictIndex: 0,
          probe: 0,
        },
        c,
      );
      expect(replies(acked.effects).length > 0).toBe(committedEarly);
    }
  });
});

describe('raft: elections', () => {
  it('votes go to logs as up to date by (last term, last index), not by index alone', () => {
    for (const [bugs, granted] of [
      [new Set<string>(), false],
      [new Set(['raft.vote-index-only']), true],
    ] as const) {
      const p = createRaft(OPTIONS, bugs, nodes);
      const c = ctx('n2');
      // n2 holds an entry of term 2 at index 1; the candidate has three entries of term 1.
      let s = settle(p, c, p.onMessage(boot(p, c), 'n1', ae(2, 0, 0, [entry(2, 1)]), c)).state;
      c.now = 10_000_000; // long after the leader went quiet, so stickiness does not refuse
      const r = settle(
        p,
        c,
        p.onMessage(s, 'n3', { type: 'RequestVote', term: 3, lastLogIndex: 3, lastLogTerm: 1 }, c),
      );
      s = r.state;
      expect(sent(r.effects).find((m) => m.type === 'RequestVoteReply')).toMatchObject({ granted });
    }
  });

  it('stickiness: a follower hearing its leader refuses a higher PreVote and RequestVote', () => {
    const p = createRaft(OPTIONS, new Set(), nodes);
    const c = ctx('n2');
    const s = settle(p, c, p.onMessage(boot(p, c), 'n1', ae(1, 0, 0, []), c)).state;
    const pre = settle(
      p,
      c,
      p.onMessage(s, 'n3', { type: 'PreVote', term: 2, lastLogIndex: 5, lastLogTerm: 1 }, c),
    );
    expect(sent(pre.effects)).toEqual([
      { to: 'n3', type: 'PreVoteReply', term: 1, granted: false },
    ]);
    const vote = settle(
      p,
      c,
      p.onMessage(
        pre.state,
        'n3',
        { type: 'RequestVote', term: 2, lastLogIndex: 5, lastLogTerm: 1 },
        c,
      ),
    );
    expect(vote.state.term).toBe(1);
  });

  it('a follower re-arms its election timer on every AppendEntries from its leader', () => {
    for (const [bugs, rearmed] of [
      [new Set<string>(), true],
      [new Set(['raft.timer-not-reset-on-append']), false],
    ] as const) {
      const p = createRaft(OPTIONS, bugs, nodes);
      const c = ctx('n2');
      let s = settle(p, c, p.onMessage(boot(p, c), 'n1', ae(1, 0, 0, []), c)).state;
      // A heartbeat from the same leader, 20 ms later: the timeout starts again from now.
      c.now += 20_000;
      const beat = p.onMessage(s, 'n1', ae(1, 0, 0, []), c);
      s = beat.state;
      const timers = beat.effects.filter((e) => e.type === 'setTimer' && e.name === 'election');
      expect(timers.length > 0, `${[...bugs]}`).toBe(rearmed);
    }
  });

  it('check-quorum: a leader hearing no majority for an election timeout steps down', () => {
    const p = createRaft(OPTIONS, new Set(), nodes);
    const c = ctx('n1');
    const s = leader(p, c);
    c.now = 400_000;
    const r = p.onTimer(s, 'heartbeat', c);
    expect(r.state.role.kind).toBe('follower');
    expect(marks(r.effects)).toContain('raft.check-quorum-step-down');
  });
});

describe('raft: log replication', () => {
  it('a stale AppendEntries truncates nothing (it does with raft.truncate-on-stale-append)', () => {
    for (const [bugs, last] of [
      [new Set<string>(), 3],
      [new Set(['raft.truncate-on-stale-append']), 2],
    ] as const) {
      const p = createRaft(OPTIONS, bugs, nodes);
      const c = ctx('n2');
      let s = settle(
        p,
        c,
        p.onMessage(boot(p, c), 'n1', ae(1, 0, 0, [entry(1, 1), entry(1, 2), entry(1, 3)]), c),
      ).state;
      s = settle(p, c, p.onMessage(s, 'n1', ae(1, 0, 0, [entry(1, 1), entry(1, 2)]), c)).state;
      expect(s.log.lastIndex).toBe(last);
    }
  });

  it('a conflicting entry truncates the suffix from the first conflict', () => {
    const p = createRaft(OPTIONS, new Set(), nodes);
    const c = ctx('n2');
    let s = settle(
      p,
      c,
      p.onMessage(boot(p, c), 'n1', ae(1, 0, 0, [entry(1, 1), entry(1, 2), entry(1, 3)]), c),
    ).state;
    s = settle(p, c, p.onMessage(s, 'n3', ae(2, 1, 1, [entry(2, 2)]), c)).state;
    expect([s.log.lastIndex, s.log.termAt(2)]).toEqual([2, 2]);
  });

  it('a follower commits only the prefix it verified (more with raft.commit-past-verified)', () => {
    for (const [bugs, commit] of [
      [new Set<string>(), 1],
      [new Set(['raft.commit-past-verified']), 3],
    ] as const) {
      const p = createRaft(OPTIONS, bugs, nodes);
      const c = ctx('n2');
      let s = settle(
        p,
        c,
        p.onMessage(boot(p, c), 'n1', ae(1, 0, 0, [entry(1, 1), entry(1, 2), entry(1, 3)]), c),
      ).state;
      // A new leader of term 2 says commit 5, but verified only the prefix up to index 1.
      s = settle(p, c, p.onMessage(s, 'n3', ae(2, 1, 1, [], 5), c)).state;
      expect(s.commitIndex).toBe(commit);
    }
  });

  it('no older-term entry commits by counting (one does with raft.commit-previous-term)', () => {
    for (const [bugs, commit] of [
      [new Set<string>(), 0],
      [new Set(['raft.commit-previous-term']), 1],
    ] as const) {
      const p = createRaft(OPTIONS, bugs, nodes);
      const c = ctx('n1');
      // n1 holds an uncommitted entry of term 1, then wins term 2.
      let s = settle(p, c, p.onMessage(boot(p, c), 'n3', ae(1, 0, 0, [entry(1, 1)]), c)).state;
      c.now = 10_000_000;
      s = settle(p, c, p.onTimer(s, 'election', c)).state;
      s = settle(
        p,
        c,
        p.onMessage(s, 'n2', { type: 'PreVoteReply', term: 2, granted: true }, c),
      ).state;
      s = settle(
        p,
        c,
        p.onMessage(s, 'n2', { type: 'RequestVoteReply', term: 2, granted: true }, c),
      ).state;
      expect([s.role.kind, s.term]).toEqual(['leader', 2]);
      // n2 confirms index 1 (the term-1 entry) but not yet the no-op of term 2.
      s = p.onMessage(
        s,
        'n2',
        {
          type: 'AppendEntriesReply',
          term: 2,
          success: true,
          matchIndex: 1,
          conflictIndex: 0,
          probe: 0,
        },
        c,
      ).state;
      expect(s.commitIndex).toBe(commit);
    }
  });
});

describe('raft: reads and sessions', () => {
  it('ReadIndex: a read waits for this term to commit and a majority to confirm leadership', () => {
    const p = createRaft(OPTIONS, new Set(), nodes);
    const c = ctx('n1');
    let s = leader(p, c);
    const read = p.onRequest(s, { id: 5, client: 'c1', seq: 1, op: { f: 'get', key: 'k' } }, c);
    expect(replies(read.effects)).toEqual([]);
    s = read.state;
    // The no-op commits with n2's reply for probe 0: the read is admitted and a probe goes out.
    const commit = p.onMessage(
      s,
      'n2',
      {
        type: 'AppendEntriesReply',
        term: 1,
        success: true,
        matchIndex: 1,
        conflictIndex: 0,
        probe: 0,
      },
      c,
    );
    expect(replies(commit.effects)).toEqual([]);
    const probe = (
      sent(commit.effects).find((m) => m.type === 'AppendEntries') as { probe: number }
    ).probe;
    const confirmed = p.onMessage(
      commit.state,
      'n3',
      {
        type: 'AppendEntriesReply',
        term: 1,
        success: true,
        matchIndex: 1,
        conflictIndex: 0,
        probe,
      },
      c,
    );
    expect(replies(confirmed.effects)).toEqual([
      { type: 'reply', requestId: 5, outcome: { type: 'ok', value: null } },
    ]);
  });

  it('ReadIndex: even with this term committed, a read waits for its own heartbeat round', () => {
    for (const [bugs, answeredAtCommit] of [
      [new Set<string>(), false],
      [new Set(['raft.read-without-heartbeat']), true],
    ] as const) {
      const p = createRaft(OPTIONS, bugs, nodes);
      const c = ctx('n1');
      const read = p.onRequest(
        leader(p, c),
        { id: 5, client: 'c1', seq: 1, op: { f: 'get', key: 'k' } },
        c,
      );
      // n2 confirms the no-op with an answer to an earlier round (probe 0): this term has
      // committed, but nobody has answered a round sent after the read arrived.
      const commit = p.onMessage(
        read.state,
        'n2',
        {
          type: 'AppendEntriesReply',
          term: 1,
          success: true,
          matchIndex: 1,
          conflictIndex: 0,
          probe: 0,
        },
        c,
      );
      expect(commit.state.commitIndex).toBe(1);
      expect(replies(commit.effects).length > 0, `${[...bugs]}`).toBe(answeredAtCommit);
    }
  });

  it('with raft.stale-read a leader answers at once from its own state', () => {
    const p = createRaft(OPTIONS, new Set(['raft.stale-read']), nodes);
    const c = ctx('n1');
    const read = p.onRequest(
      leader(p, c),
      { id: 5, client: 'c1', seq: 1, op: { f: 'get', key: 'k' } },
      c,
    );
    expect(replies(read.effects)).toHaveLength(1);
  });

  it('a client session applies a retried command once and answers it from the session', () => {
    const kv = new SessionKv();
    const cmd = { cmd: { f: 'append' as const, key: 'k', value: 'a' }, client: 'c1', seq: 7 };
    expect(kv.apply(cmd)).toBe('a');
    expect(kv.apply(cmd)).toBe('a');
    expect(kv.get('k')).toBe('a');
    expect(kv.answered('c1', 7)).toEqual({ output: 'a' });
    const back = SessionKv.fromSnapshot(kv.toSnapshot(1, 1, 0));
    expect(back.apply(cmd)).toBe('a');
    expect(back.get('k')).toBe('a');
  });
});

describe('raft: recovery', () => {
  it('recovers term, vote and the durable log, dropping a torn tail', () => {
    const p = createRaft(OPTIONS, new Set(), nodes);
    const c = ctx('n2');
    let s = settle(
      p,
      c,
      p.onMessage(boot(p, c), 'n1', ae(1, 0, 0, [entry(1, 1), entry(1, 2)]), c),
    ).state;
    // A third entry is written but never fsynced; garbage lands after it as a torn append would.
    const step = p.onMessage(s, 'n1', ae(1, 2, 1, [entry(1, 3)], 2), c);
    s = settle(p, c, step, { syncs: false }).state;
    const size = c.disk.size('wal') as number;
    c.disk.write('wal', size - 3, new Uint8Array([0xff, 0xff, 0xff]));
    c.disk.sync('wal');
    const back = p.onRecover(c);
    expect([back.state.term, back.state.log.lastIndex, back.state.commitIndex]).toEqual([1, 2, 0]);
    expect(marks(back.effects)).toContain('raft.torn-tail-truncated');
  });

  it('compacts the log into a snapshot on disk and recovers from it', () => {
    const p = createRaft({ ...OPTIONS, snapshotEvery: 2 }, new Set(), nodes);
    const c = ctx('n2');
    const s = settle(
      p,
      c,
      p.onMessage(boot(p, c), 'n1', ae(1, 0, 0, [entry(1, 1), entry(1, 2), entry(1, 3)], 3), c),
    ).state;
    expect(s.log.snapshotIndex).toBe(3);
    expect(c.disk.list()).not.toContain('wal.next');
    const back = p.onRecover(c).state;
    expect([back.log.snapshotIndex, back.commitIndex, back.sm.get('k')]).toEqual([
      3,
      3,
      'v1 v2 v3',
    ]);
  });
});
