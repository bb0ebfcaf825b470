/**
 * Two-phase commit's rules, driven through the step functions directly (no world): a participant
 * votes YES only once PREPARED is durable, refuses conflicting locks (no-wait), stays in doubt
 * holding its locks until the decision and asks for it; the coordinator logs COMMIT before
 * anyone hears it, aborts on a missing vote, and after a restart re-sends the commits it logged
 * and presumes abort for anything else; a participant that restarts in doubt stays in doubt.
 * Each named bug breaks exactly its rule.
 */
import { describe, expect, it } from 'vitest';
import type { BankInput, BankLayout } from '../../../../src/core/bank-ops.js';
import { PPM, Prng } from '../../../../src/core/prng.js';
import { DEFAULT_DISK_CONFIG } from '../../../../src/disk/disk-config.js';
import { encodeRecords } from '../../../../src/protocols/shared/record-log.js';
import { SimDisk } from '../../../../src/disk/sim-disk.js';
import type { ClientRequest } from '../../../../src/core/protocol.js';
import type { TwoPcMessage } from '../../../../src/protocols/two-phase-commit/messages.js';
import { createTwoPhaseCommit } from '../../../../src/protocols/two-phase-commit/two-phase-commit.js';
import type { TwoPcState } from '../../../../src/protocols/two-phase-commit/twopc-state.js';
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
const OPTIONS = { voteTimeoutMs: 50, resendMs: 20, askMs: 30, cooperativeTermination: false };
const bank: BankLayout = { accounts: 4, balance: 100, sharding: 'modulo' };
type TwoPc = ReturnType<typeof createTwoPhaseCommit>;
type Fx = Parameters<typeof sent>[0];

const ctx = (node: string): TestContext => testContext(node, nodes);
const twoPc = (...bugs: string[]) => createTwoPhaseCommit(OPTIONS, new Set(bugs), nodes);
const cooperative = () =>
  createTwoPhaseCommit({ ...OPTIONS, cooperativeTermination: true }, new Set(), nodes);
const msgs = (effects: Fx, type: TwoPcMessage['type']) =>
  sent(effects as never).filter((m) => (m as unknown as TwoPcMessage).type === type) as ({
    to: string;
  } & TwoPcMessage)[];

/** a0 and a2 are on shard 0 (n2), a1 and a3 on shard 1 (n3). */
const transferReq = (id: number, from = 'a0', to = 'a1'): ClientRequest<BankInput> => ({
  id,
  client: 'c1',
  seq: id,
  op: { f: 'transfer', id: `t${id}`, from, to, amount: 5, bank },
});
const prepareWrite = (txn: number, account: string, delta: number): TwoPcMessage => ({
  type: 'Prepare',
  txn,
  reads: [],
  balance: 100,
  writes: [[account, delta, `t${txn}`]],
  participants: ['n2', 'n3'],
});
const prepareRead = (txn: number, accounts: string[]): TwoPcMessage => ({
  type: 'Prepare',
  txn,
  reads: accounts,
  balance: 100,
  writes: [],
  participants: ['n2', 'n3'],
});
const decision = (txn: number, commit: boolean): TwoPcMessage => ({
  type: 'Decision',
  txn,
  commit,
});
const vote = (txn: number, yes: boolean): TwoPcMessage => ({ type: 'Vote', txn, yes, reads: {} });

/** A participant that prepared txn 1 (a write of a0) and voted YES. */
function preparedParticipant(p: TwoPc, c: TestContext) {
  const s = boot(p, c);
  return settle(p, c, p.onMessage(s, 'n1', prepareWrite(1, 'a0', -5), c));
}

describe('two-phase commit: the participant', () => {
  it('votes YES only once its PREPARED record is fsynced', () => {
    const p = twoPc();
    const c = ctx('n2');
    const s = boot(p, c);
    const held = settle(p, c, p.onMessage(s, 'n1', prepareWrite(1, 'a0', -5), c), {
      syncs: false,
    });
    expect(msgs(held.effects, 'Vote')).toEqual([]);
    const done = settle(p, c, p.onDiskDone(held.state, held.pending[0]!, c));
    expect(msgs(done.effects, 'Vote')).toMatchObject([{ to: 'n1', txn: 1, yes: true }]);
  });

  it('votes NO on a lock another transaction holds (no-wait), and holds it while in doubt', () => {
    const p = twoPc();
    const c = ctx('n2');
    const first = preparedParticipant(p, c);
    const read = settle(p, c, p.onMessage(first.state, 'n1', prepareRead(2, ['a0', 'a2']), c));
    expect(msgs(read.effects, 'Vote')).toMatchObject([{ txn: 2, yes: false }]);
    expect(marks(read.effects as never)).toContain('twopc.lock-conflict');
  });

  it('applies a COMMIT, releases its locks and acknowledges once COMMIT is durable', () => {
    const p = twoPc();
    const c = ctx('n2');
    const first = preparedParticipant(p, c);
    const held = settle(p, c, p.onMessage(first.state, 'n1', decision(1, true), c), {
      syncs: false,
    });
    expect(msgs(held.effects, 'Ack')).toEqual([]);
    const early = settle(p, c, p.onMessage(held.state, 'n1', prepareRead(2, ['a0']), c));
    expect(msgs(early.effects, 'Vote')).toMatchObject([{ txn: 2, yes: false }]);
    const done = settle(p, c, p.onDiskDone(early.state, held.pending[0]!, c));
    expect(msgs(done.effects, 'Ack')).toMatchObject([{ to: 'n1', txn: 1 }]);
    const read = settle(p, c, p.onMessage(done.state, 'n1', prepareRead(3, ['a0']), c));
    expect(msgs(read.effects, 'Vote')).toMatchObject([
      { txn: 3, yes: true, reads: { a0: { balance: 95, applied: ['t1'] } } },
    ]);
  });

  it('in doubt for askMs, asks the coordinator for the decision, and again until it learns it', () => {
    const p = twoPc();
    const c = ctx('n2');
    const first = preparedParticipant(p, c);
    c.now = 30_000;
    const ask = p.onTimer(first.state, 'ask', c);
    expect(msgs(ask.effects as Fx, 'DecisionRequest')).toMatchObject([{ to: 'n1', txn: 1 }]);
    expect(ask.effects).toContainEqual({ type: 'setTimer', name: 'ask', afterUs: 30_000 });
  });

  it('after a restart in doubt, stays in doubt: takes its locks again and asks at once', () => {
    const p = twoPc();
    const c = ctx('n2');
    preparedParticipant(p, c);
    const r = settle(p, c, p.onRecover(c));
    expect(marks(r.effects as never)).toContain('twopc.in-doubt-recovered');
    expect(msgs(r.effects, 'DecisionRequest')).toMatchObject([{ txn: 1 }]);
    const write = settle(p, c, p.onMessage(r.state, 'n1', prepareWrite(2, 'a0', 3), c));
    expect(msgs(write.effects, 'Vote')).toMatchObject([{ txn: 2, yes: false }]);
    const commit = settle(p, c, p.onMessage(write.state, 'n1', decision(1, true), c));
    expect(msgs(commit.effects, 'Ack')).toMatchObject([{ txn: 1 }]);
  });

  it('with participant-forgets-prepared, rolls back what it had prepared when it restarts', () => {
    const p = twoPc('two-phase-commit.participant-forgets-prepared');
    const c = ctx('n2');
    preparedParticipant(p, c);
    const r = settle(p, c, p.onRecover(c));
    expect(msgs(r.effects, 'DecisionRequest')).toEqual([]);
    const commit = settle(p, c, p.onMessage(r.state, 'n1', decision(1, true), c));
    expect(marks(commit.effects as never)).toContain('twopc.commit-not-prepared');
    expect((commit.state as Extract<TwoPcState, { role: 'participant' }>).decided).toEqual([
      { txn: 1, commit: false },
      { txn: 1, commit: false },
    ]);
  });

  it('holds a read’s shared locks until the decision; early-read-lock-release drops them at YES', () => {
    for (const [bugs, yes] of [
      [[], false],
      [['two-phase-commit.early-read-lock-release'], true],
    ] as const) {
      const p = twoPc(...bugs);
      const c = ctx('n2');
      const s = boot(p, c);
      const read = settle(p, c, p.onMessage(s, 'n1', prepareRead(1, ['a0', 'a2']), c));
      const write = settle(p, c, p.onMessage(read.state, 'n1', prepareWrite(2, 'a0', 5), c));
      expect(msgs(write.effects, 'Vote')).toMatchObject([{ txn: 2, yes }]);
    }
  });
});

describe('two-phase commit: cooperative termination', () => {
  it('a participant in doubt asks the other participants too', () => {
    const p = cooperative();
    const c = ctx('n2');
    const first = preparedParticipant(p, c);
    c.now = 30_000;
    const ask = p.onTimer(first.state, 'ask', c);
    expect(msgs(ask.effects as Fx, 'DecisionRequest').map((m) => m.to)).toEqual(['n1', 'n3']);
  });

  it('one that never saw the transaction aborts it durably, answers ABORT, and refuses it', () => {
    const p = cooperative();
    const c = ctx('n3');
    const s = boot(p, c);
    const held = settle(p, c, p.onMessage(s, 'n2', { type: 'DecisionRequest', txn: 1 }, c), {
      syncs: false,
    });
    expect(msgs(held.effects, 'Decision')).toEqual([]);
    const done = settle(p, c, p.onDiskDone(held.state, held.pending[0]!, c));
    expect(msgs(done.effects, 'Decision')).toMatchObject([{ to: 'n2', txn: 1, commit: false }]);
    const r = settle(p, c, p.onRecover(c));
    const late = settle(p, c, p.onMessage(r.state, 'n1', prepareWrite(1, 'a1', 5), c));
    expect(msgs(late.effects, 'Vote')).toMatchObject([{ txn: 1, yes: false }]);
  });

  it('one that committed answers COMMIT; one in doubt itself stays silent', () => {
    const p = cooperative();
    const c = ctx('n2');
    const first = preparedParticipant(p, c);
    const silent = p.onMessage(first.state, 'n3', { type: 'DecisionRequest', txn: 1 }, c);
    expect(msgs(silent.effects as Fx, 'Decision')).toEqual([]);
    const done = settle(p, c, p.onMessage(first.state, 'n1', decision(1, true), c));
    const ask = p.onMessage(done.state, 'n3', { type: 'DecisionRequest', txn: 1 }, c);
    expect(msgs(ask.effects as Fx, 'Decision')).toMatchObject([{ to: 'n3', txn: 1, commit: true }]);
  });

  it('is off by default: a participant ignores another’s DecisionRequest', () => {
    const p = twoPc();
    const c = ctx('n3');
    const s = boot(p, c);
    expect(p.onMessage(s, 'n2', { type: 'DecisionRequest', txn: 1 }, c).effects).toEqual([]);
  });
});

describe('two-phase commit: the coordinator', () => {
  /** The coordinator with transfer 7 (a0 on n2 → a1 on n3) prepared and both votes in. */
  function voted(p: TwoPc, c: TestContext) {
    const s = boot(p, c);
    const start = settle(p, c, p.onRequest(s, transferReq(7), c));
    expect(msgs(start.effects, 'Prepare').map((m) => m.to)).toEqual(['n2', 'n3']);
    const one = settle(p, c, p.onMessage(start.state, 'n2', vote(7, true), c));
    return settle(p, c, p.onMessage(one.state, 'n3', vote(7, true), c), { syncs: false });
  }

  it('logs COMMIT before it tells the participants or the client', () => {
    const p = twoPc();
    const c = ctx('n1');
    const held = voted(p, c);
    expect(msgs(held.effects, 'Decision')).toEqual([]);
    expect(replies(held.effects as never)).toEqual([]);
    const done = settle(p, c, p.onDiskDone(held.state, held.pending[0]!, c));
    expect(msgs(done.effects, 'Decision')).toMatchObject([
      { to: 'n2', txn: 7, commit: true },
      { to: 'n3', txn: 7, commit: true },
    ]);
    expect(replies(done.effects as never)[0]?.outcome).toEqual({ type: 'ok', value: {} });
  });

  it('with send-before-logging-decision, sends COMMIT before the record is durable', () => {
    const p = twoPc('two-phase-commit.send-before-logging-decision');
    const held = voted(p, ctx('n1'));
    expect(msgs(held.effects, 'Decision')).toHaveLength(2);
  });

  it('aborts on a vote missing at the timeout; commit-on-vote-timeout commits', () => {
    for (const [bugs, commit] of [
      [[], false],
      [['two-phase-commit.commit-on-vote-timeout'], true],
    ] as const) {
      const p = twoPc(...bugs);
      const c = ctx('n1');
      const s = boot(p, c);
      const start = settle(p, c, p.onRequest(s, transferReq(7), c));
      const one = settle(p, c, p.onMessage(start.state, 'n2', vote(7, true), c));
      const out = settle(p, c, p.onTimer(one.state, 'vote:7', c));
      expect(msgs(out.effects, 'Decision').map((m) => (m as { commit: boolean }).commit)).toEqual([
        commit,
        commit,
      ]);
    }
  });

  it('after a restart, re-sends every COMMIT it logged and presumes abort for the rest', () => {
    const p = twoPc();
    const c = ctx('n1');
    const held = voted(p, c);
    settle(p, c, p.onDiskDone(held.state, held.pending[0]!, c));
    const r = settle(p, c, p.onRecover(c));
    expect(msgs(r.effects, 'Decision')).toMatchObject([
      { to: 'n2', txn: 7, commit: true },
      { to: 'n3', txn: 7, commit: true },
    ]);
    const known = settle(p, c, p.onMessage(r.state, 'n3', { type: 'DecisionRequest', txn: 7 }, c));
    expect(msgs(known.effects, 'Decision')).toMatchObject([{ to: 'n3', txn: 7, commit: true }]);
    const unknown = settle(
      p,
      c,
      p.onMessage(known.state, 'n3', { type: 'DecisionRequest', txn: 8 }, c),
    );
    expect(msgs(unknown.effects, 'Decision')).toMatchObject([{ to: 'n3', txn: 8, commit: false }]);
  });

  it('forgets a commit once every participant acknowledged it, and then presumes abort', () => {
    const p = twoPc();
    const c = ctx('n1');
    const held = voted(p, c);
    const done = settle(p, c, p.onDiskDone(held.state, held.pending[0]!, c));
    const a = settle(p, c, p.onMessage(done.state, 'n2', { type: 'Ack', txn: 7 }, c));
    const b = settle(p, c, p.onMessage(a.state, 'n3', { type: 'Ack', txn: 7 }, c));
    const r = settle(p, c, p.onRecover(c));
    expect(msgs(r.effects, 'Decision')).toEqual([]);
    expect((b.state as Extract<TwoPcState, { role: 'coordinator' }>).txns.size).toBe(0);
  });

  it('an undecided transaction is lost in a crash: the restarted coordinator presumes abort', () => {
    const p = twoPc();
    const root = Prng.root(1);
    const crash = { keepUnsyncedPpm: 0, tornPpm: 0, dirOpsKeepPpm: PPM };
    const disk = new SimDisk({ ...DEFAULT_DISK_CONFIG, crash }, root.fork('disk:n1'));
    const c = testContext('n1', nodes, { disk });
    voted(p, c); // COMMIT written but its fsync never completed: the crash drops it
    c.disk.crash();
    const r = settle(p, c, p.onRecover(c));
    const ask = settle(p, c, p.onMessage(r.state, 'n2', { type: 'DecisionRequest', txn: 7 }, c));
    expect(msgs(ask.effects, 'Decision')).toMatchObject([{ txn: 7, commit: false }]);
  });

  it('erases a torn tail before it serves, so a COMMIT that was never durable cannot come back', () => {
    // 2pc-power-loss seed 599: END 1 and COMMIT 2 were written, unsynced; the power loss tore
    // END 1's sector and kept COMMIT 2's. Recovery stops at END 1 and presumes 2 aborted; the
    // same END 1 written again has the same bytes, and made COMMIT 2's chained checksum hold.
    const p = twoPc();
    const c = ctx('n1');
    const commit1 = encodeRecords([['C', 1, ['n2', 'n3']]], 0);
    const end1 = encodeRecords([['E', 1]], commit1.crc);
    const commit2 = encodeRecords([['C', 2, ['n2', 'n3']]], end1.crc);
    const torn = end1.data.slice();
    torn[0] = 0xff; // the torn sector: END 1's header is garbage
    c.disk.write('wal', 0, commit1.data);
    c.disk.write('wal', commit1.data.length, torn);
    c.disk.write('wal', commit1.data.length + torn.length, commit2.data);
    c.disk.sync('wal');
    c.disk.syncDir();
    const held = settle(p, c, p.onRecover(c), { syncs: false });
    expect(marks(held.effects as never)).toContain('twopc.torn-tail-truncated');
    const early = p.onMessage(held.state, 'n2', { type: 'DecisionRequest', txn: 2 }, c);
    expect(msgs(early.effects as Fx, 'Decision')).toEqual([]); // not ready: the erase is pending
    let s = settle(p, c, p.onDiskDone(held.state, held.pending[0]!, c)).state;
    s = settle(p, c, p.onMessage(s, 'n2', { type: 'Ack', txn: 1 }, c)).state;
    settle(p, c, p.onMessage(s, 'n3', { type: 'Ack', txn: 1 }, c)); // END 1, the same bytes
    const again = settle(p, c, p.onRecover(c));
    expect(msgs(again.effects, 'Decision')).toEqual([]);
    const ask = settle(
      p,
      c,
      p.onMessage(again.state, 'n2', { type: 'DecisionRequest', txn: 2 }, c),
    );
    expect(msgs(ask.effects, 'Decision')).toMatchObject([{ txn: 2, commit: false }]);
  });
});
