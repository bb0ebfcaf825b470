/**
 * Paxos's rules, driven through the step functions directly (no world): an acceptor promises and
 * accepts only what no higher promise forbids, raises its promise on accept, and answers only
 * once that is durable; a proposer's ballot comes from a durable round counter and never repeats
 * after a restart; a proposer that sees an accepted proposal in progress finishes it, reads and
 * failed cas included; and each named bug breaking exactly its rule.
 */
import { describe, expect, it } from 'vitest';
import type { ClientRequest } from '../../../../src/core/protocol.js';
import { ballotOf } from '../../../../src/protocols/paxos/ballot.js';
import type { CasOp, PaxosMessage, Proposal } from '../../../../src/protocols/paxos/messages.js';
import { createPaxos } from '../../../../src/protocols/paxos/paxos.js';
import type { PaxosOptions } from '../../../../src/protocols/paxos/paxos-config.js';
import type { PaxosState } from '../../../../src/protocols/paxos/paxos-state.js';
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
const OPTIONS: PaxosOptions = {
  roundTimeoutMs: 30,
  backoffMs: 5,
  attemptsMax: 12,
  timeoutMs: 300,
  registersMax: 10_000,
  walBytesMax: 67_108_864,
};
type Paxos = ReturnType<typeof createPaxos>;

const ctx = (node: string): TestContext => testContext(node, nodes);
const paxos = (...bugs: string[]) => createPaxos(OPTIONS, new Set(bugs), nodes);
const bounded = (limits: Partial<PaxosOptions>) =>
  createPaxos({ ...OPTIONS, ...limits }, new Set(), nodes);
const prepare = (ballot: number): PaxosMessage => ({ type: 'Prepare', key: 'k', ballot });
const accept = (ballot: number, instance: number, value: number): PaxosMessage => ({
  type: 'Accept',
  key: 'k',
  proposal: { ballot, instance, value },
  base: { instance: instance - 1, value: null },
});
const request = (id: number, op: CasOp['inner']): ClientRequest<CasOp> => ({
  id,
  client: 'c1',
  seq: id,
  op: { key: 'k', inner: op },
});
const promise = (ballot: number, accepted: Proposal | null): PaxosMessage => ({
  type: 'Promise',
  key: 'k',
  ballot,
  committed: { instance: 0, value: null },
  accepted,
});

/** Every message of one type among a step's sends. */
const ofType = (effects: Parameters<typeof sent>[0], type: PaxosMessage['type']) =>
  sent(effects as never).filter((m) => (m as unknown as PaxosMessage).type === type) as ({
    to: string;
  } & PaxosMessage)[];

describe('paxos: the acceptor', () => {
  it('promises only once the promise is fsynced', () => {
    const p = paxos();
    const c = ctx('n2');
    const s = boot(p, c);
    const held = settle(p, c, p.onMessage(s, 'n1', prepare(ballotOf(1, 0)), c), { syncs: false });
    expect(ofType(held.effects, 'Promise')).toEqual([]);
    expect(held.pending.length).toBe(1);
    const done = settle(p, c, p.onDiskDone(held.state, held.pending[0]!, c));
    expect(ofType(done.effects, 'Promise').map((m) => m.to)).toEqual(['n1']);
  });

  it('with reply-before-durable, promises before the fsync', () => {
    const p = paxos('paxos.reply-before-durable');
    const c = ctx('n2');
    const s = boot(p, c);
    const held = settle(p, c, p.onMessage(s, 'n1', prepare(ballotOf(1, 0)), c), { syncs: false });
    expect(ofType(held.effects, 'Promise').map((m) => m.to)).toEqual(['n1']);
  });

  it('refuses a Prepare below its promise with a Nack naming the promise', () => {
    const p = paxos();
    const c = ctx('n2');
    let s = boot(p, c);
    s = settle(p, c, p.onMessage(s, 'n3', prepare(ballotOf(2, 2)), c)).state;
    const r = settle(p, c, p.onMessage(s, 'n1', prepare(ballotOf(1, 0)), c));
    expect(ofType(r.effects, 'Nack')).toEqual([
      { to: 'n1', type: 'Nack', key: 'k', ballot: ballotOf(1, 0), promised: ballotOf(2, 2) },
    ]);
  });

  it('raises its promise on accept, so it refuses a lower ballot afterwards (Scylla #6139)', () => {
    const run = (p: Paxos) => {
      const c = ctx('n3');
      let s = boot(p, c);
      s = settle(p, c, p.onMessage(s, 'n2', accept(ballotOf(2, 1), 1, 2000001), c)).state;
      const r = settle(p, c, p.onMessage(s, 'n1', accept(ballotOf(1, 0), 1, 1000001), c));
      return { effects: r.effects, s: r.state };
    };
    const good = run(paxos());
    expect(ofType(good.effects, 'Nack').length).toBe(1);
    expect(good.s.registers.get('k')?.accepted?.value).toBe(2000001);
    const bad = run(paxos('paxos.accept-does-not-raise-promise'));
    expect(ofType(bad.effects, 'Accepted').length).toBe(1);
    expect(bad.s.registers.get('k')?.accepted?.value).toBe(1000001);
  });
});

/** n1 serving `op`: its Prepare's ballot once the round counter is durable. */
function proposing(p: Paxos, c: TestContext, op: CasOp['inner']): { s: PaxosState; b: number } {
  const s = boot(p, c);
  const r = settle(p, c, p.onRequest(s, request(7, op), c));
  const prepares = ofType(r.effects, 'Prepare');
  expect(prepares.map((m) => m.to)).toEqual(nodes);
  return { s: r.state, b: (prepares[0] as { ballot: number }).ballot };
}

/** The Accepts and replies after promises from n2 and n3, n3's reporting `accepted`. */
function afterPromises(p: Paxos, op: CasOp['inner'], accepted: Proposal | null) {
  const c = ctx('n1');
  const { s, b } = proposing(p, c, op);
  const one = settle(p, c, p.onMessage(s, 'n2', promise(b, null), c));
  const two = settle(p, c, p.onMessage(one.state, 'n3', promise(b, accepted), c));
  const accepts = ofType(two.effects, 'Accept') as { proposal: Proposal }[];
  return { values: accepts.map((a) => a.proposal.value), replies: replies(two.effects), b };
}

describe('paxos: the proposer', () => {
  const inProgress: Proposal = { ballot: ballotOf(1, 2), instance: 1, value: 3000001 };

  it('sends Prepare only once its round counter is fsynced', () => {
    const p = paxos();
    const c = ctx('n1');
    const s = boot(p, c);
    const held = settle(p, c, p.onRequest(s, request(7, { f: 'read' }), c), { syncs: false });
    expect(ofType(held.effects, 'Prepare')).toEqual([]);
    const done = settle(p, c, p.onDiskDone(held.state, held.pending[0]!, c));
    expect(ofType(done.effects, 'Prepare').length).toBe(3);
  });

  it('proposes its own value when no promise reports an accepted one', () => {
    const r = afterPromises(paxos(), { f: 'write', value: 1000001 }, null);
    expect(r.values).toEqual([1000001, 1000001, 1000001]);
  });

  it('finishes an accepted proposal it sees before its own write (P2c)', () => {
    const r = afterPromises(paxos(), { f: 'write', value: 1000001 }, inProgress);
    expect(r.values).toEqual([3000001, 3000001, 3000001]);
    const bad = afterPromises(
      paxos('paxos.ignore-accepted-value'),
      {
        f: 'write',
        value: 1000001,
      },
      inProgress,
    );
    expect(bad.values).toEqual([1000001, 1000001, 1000001]);
  });

  it('finishes it before a read answers, too (CASSANDRA-12126)', () => {
    const r = afterPromises(paxos(), { f: 'read' }, inProgress);
    expect(r.replies).toEqual([]);
    expect(r.values).toEqual([3000001, 3000001, 3000001]);
    const bad = afterPromises(paxos('paxos.read-skips-in-progress'), { f: 'read' }, inProgress);
    expect(bad.values).toEqual([]);
    expect(bad.replies.map((x) => x.outcome)).toEqual([{ type: 'ok', value: { value: null } }]);
  });

  it('answers a read from the newest committed value when nothing is in progress', () => {
    const r = afterPromises(paxos(), { f: 'read' }, null);
    expect(r.replies.map((x) => x.outcome)).toEqual([{ type: 'ok', value: { value: null } }]);
    expect(r.values).toEqual([]);
  });

  it('answers a cas that does not hold with ok: false, writing nothing', () => {
    const r = afterPromises(paxos(), { f: 'cas', from: 5, to: 1000001 }, null);
    expect(r.replies.map((x) => x.outcome)).toEqual([{ type: 'ok', value: { ok: false } }]);
  });

  it('acknowledges a write once a majority accepted it, and tells every node', () => {
    const p = paxos();
    const c = ctx('n1');
    const { s, b } = proposing(p, c, { f: 'write', value: 1000001 });
    let st = settle(p, c, p.onMessage(s, 'n2', promise(b, null), c)).state;
    st = settle(p, c, p.onMessage(st, 'n3', promise(b, null), c)).state;
    const acc: PaxosMessage = { type: 'Accepted', key: 'k', ballot: b };
    st = settle(p, c, p.onMessage(st, 'n2', acc, c)).state;
    const r = settle(p, c, p.onMessage(st, 'n3', acc, c));
    expect(replies(r.effects).map((x) => x.outcome)).toEqual([{ type: 'ok', value: {} }]);
    expect(ofType(r.effects, 'Commit').map((m) => m.to)).toEqual(nodes);
  });
});

describe('paxos: ballots across a restart', () => {
  /** n1's first ballot, a crash, and its first ballot after recovery. */
  function ballots(p: Paxos): [number, number] {
    const c = ctx('n1');
    const { b } = proposing(p, c, { f: 'read' });
    c.disk.crash();
    const rec = settle(p, c, p.onRecover(c));
    expect(marks(rec.effects)).not.toContain('paxos.torn-tail-truncated');
    const r = settle(p, c, p.onRequest(rec.state, request(8, { f: 'read' }), c));
    const again = ofType(r.effects, 'Prepare')[0] as { ballot: number };
    return [b, again.ballot];
  }

  it('resumes above the durable round counter', () => {
    const [before, after] = ballots(paxos());
    expect(after).toBeGreaterThan(before);
  });
});

describe('paxos: named bounds', () => {
  it('keeps registersMax registers: a new key past it fails, and its acceptor stays out', () => {
    const p = bounded({ registersMax: 1 });
    const c = ctx('n2');
    let s = boot(p, c);
    s = settle(p, c, p.onMessage(s, 'n1', prepare(ballotOf(1, 0)), c)).state;
    const other = { type: 'Prepare', key: 'other', ballot: ballotOf(2, 0) } as const;
    const r = settle(p, c, p.onMessage(s, 'n1', other, c));
    expect(sent(r.effects as never)).toEqual([]);
    expect(marks(r.effects)).toEqual(['paxos.registers-full']);
    expect(r.state.registers.has('other')).toBe(false);
    const req = {
      ...request(8, { f: 'read' }),
      op: { key: 'other', inner: { f: 'read' } },
    } as const;
    const refused = settle(p, c, p.onRequest(r.state, req, c));
    expect(replies(refused.effects).map((x) => x.outcome)).toEqual([
      { type: 'fail', code: 'registers-full' },
    ]);
  });

  it('grows the WAL to walBytesMax, then writes and answers no more, as a full disk', () => {
    const p = bounded({ walBytesMax: 4096 });
    const c = ctx('n2');
    let s = boot(p, c);
    let answered = 0;
    let full = 0;
    for (let round = 1; round <= 200; round++) {
      const r = settle(p, c, p.onMessage(s, 'n1', prepare(ballotOf(round, 0)), c));
      s = r.state;
      answered += ofType(r.effects, 'Promise').length;
      full += marks(r.effects).filter((m) => m === 'paxos.wal-full').length;
    }
    expect(answered).toBeGreaterThan(10);
    expect(full).toBe(200 - answered);
    expect(s.wal.bytes).toBeGreaterThanOrEqual(4096);
    expect(s.wal.bytes).toBeLessThan(4096 + 200);
    expect(c.disk.size('wal')).toBe(s.wal.bytes);
  });
});
