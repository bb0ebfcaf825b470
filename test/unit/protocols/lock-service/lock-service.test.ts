/**
 * The lock service's rules, driven through the step functions directly (no world): the server
 * grants a free lock with a fencing token that only grows, refuses a held one until its lease
 * expires on the server's clock, renews and releases only for the owner, answers a grant only
 * once its token is durable, and after a restart continues past every token it logged and grants
 * nothing for ttlMaxMs; the fenced store refuses a token below the highest it took, and takes it
 * without fencing; a client judges its lease on its own clock and writes with its token after
 * its work. Each named bug breaks exactly its rule.
 */
import { describe, expect, it } from 'vitest';
import type { LockInput } from '../../../../src/core/lock-ops.js';
import type { ClientRequest } from '../../../../src/core/protocol.js';
import { createLockService } from '../../../../src/protocols/lock-service/lock-service.js';
import type { LockState } from '../../../../src/protocols/lock-service/lock-state.js';
import type { LockMessage } from '../../../../src/protocols/lock-service/messages.js';
import {
  boot,
  marks,
  replies,
  sent,
  settle,
  type TestContext,
  testContext,
} from '../../../support/step-harness.js';

const nodes = ['n1', 'n2', 'n3', 'n4'];
const ctx = (node: string, now = 0): TestContext => testContext(node, nodes, { now });
const service = (options = {}, ...bugs: string[]) =>
  createLockService({ fencing: true, ttlMaxMs: 1000, ...options }, new Set(bugs), nodes);
type Service = ReturnType<typeof service>;
type Fx = Parameters<typeof sent>[0];
const msgs = (effects: Fx) => sent(effects as never) as unknown as ({ to: string } & LockMessage)[];

const acquire = (rid: number, owner: string, ttlUs = 100_000): LockMessage => ({
  type: 'Acquire',
  rid,
  lock: 'lock0',
  owner,
  ttlUs,
});

/** A message delivered and every disk operation it caused completed. */
function deliver(p: Service, c: TestContext, s: LockState, from: string, m: LockMessage) {
  return settle(p, c, p.onMessage(s, from, m, c));
}

describe('lock server', () => {
  it('grants a free lock, refuses a held one, and passes it on once the lease expires', () => {
    const p = service();
    const c = ctx('n1');
    let s = boot(p, c);
    const first = deliver(p, c, s, 'n3', acquire(1, 'c1.1'));
    expect(msgs(first.effects)).toEqual([
      { to: 'n3', type: 'Granted', rid: 1, token: 1, ttlUs: 100_000 },
    ]);
    s = first.state;
    c.now = 99_999;
    const busy = deliver(p, c, s, 'n4', acquire(2, 'c2.1'));
    expect(msgs(busy.effects)).toEqual([{ to: 'n4', type: 'Refused', rid: 2, reason: 'held' }]);
    c.now = 100_000;
    const next = deliver(p, c, busy.state, 'n4', acquire(3, 'c2.1'));
    expect(msgs(next.effects)).toEqual([
      { to: 'n4', type: 'Granted', rid: 3, token: 2, ttlUs: 100_000 },
    ]);
    expect(marks(next.effects)).toContain('lock.expired-lease-taken');
  });

  it('answers a grant only once its token is durable', () => {
    const p = service();
    const c = ctx('n1');
    const s = boot(p, c);
    const held = settle(p, c, p.onMessage(s, 'n3', acquire(1, 'c1.1'), c), { syncs: false });
    expect(msgs(held.effects)).toEqual([]);
    expect(held.pending.length).toBe(1);
    // A duplicate of the acquire, while the token is not yet durable, is not answered either.
    const again = p.onMessage(held.state, 'n3', acquire(1, 'c1.1'), c);
    expect(msgs(again.effects as Fx)).toEqual([]);
    const done = p.onDiskDone(again.state, held.pending[0] as never, c);
    expect(msgs(done.effects as Fx)).toEqual([
      { to: 'n3', type: 'Granted', rid: 1, token: 1, ttlUs: 100_000 },
    ]);
    const late = p.onMessage(done.state, 'n3', acquire(1, 'c1.1'), c);
    expect(msgs(late.effects as Fx)[0]).toMatchObject({ type: 'Granted', token: 1 });
  });

  it('renews and releases only for the owner', () => {
    const p = service();
    const c = ctx('n1');
    let s = deliver(p, c, boot(p, c), 'n3', acquire(1, 'c1.1')).state;
    const renew = { type: 'Renew', rid: 2, lock: 'lock0', ttlUs: 100_000 } as const;
    const stranger = deliver(p, c, s, 'n4', { ...renew, owner: 'c2.1' });
    expect(msgs(stranger.effects)[0]).toMatchObject({ type: 'Refused', reason: 'not-holder' });
    c.now = 90_000;
    s = deliver(p, c, s, 'n3', { ...renew, owner: 'c1.1' }).state;
    c.now = 150_000;
    const busy = deliver(p, c, s, 'n4', acquire(3, 'c2.1'));
    expect(msgs(busy.effects)[0]).toMatchObject({ type: 'Refused', reason: 'held' });
    const release = { type: 'Release', rid: 4, lock: 'lock0' } as const;
    s = deliver(p, c, busy.state, 'n4', { ...release, owner: 'c2.1' }).state;
    expect(msgs(deliver(p, c, s, 'n4', acquire(5, 'c2.1')).effects)[0]).toMatchObject({
      type: 'Refused',
    });
    s = deliver(p, c, s, 'n3', { ...release, owner: 'c1.1' }).state;
    expect(msgs(deliver(p, c, s, 'n4', acquire(6, 'c2.1')).effects)[0]).toMatchObject({
      type: 'Granted',
      token: 2,
    });
  });

  it('after a restart, continues past its logged tokens and grants nothing for ttlMaxMs', () => {
    const p = service({ ttlMaxMs: 200 });
    const c = ctx('n1');
    let s = boot(p, c);
    for (let i = 1; i <= 3; i++) {
      c.now += 200_000;
      s = deliver(p, c, s, 'n3', acquire(i, `c1.${i}`)).state;
    }
    c.disk.crash();
    c.now += 10_000;
    const back = settle(p, c, p.onRecover(c));
    expect(marks(back.effects)).toContain('lock.server-recovered');
    const early = deliver(p, c, back.state, 'n4', acquire(9, 'c2.1'));
    expect(msgs(early.effects)[0]).toMatchObject({ type: 'Refused', reason: 'recovering' });
    c.now += 200_000;
    const later = deliver(p, c, back.state, 'n4', acquire(10, 'c2.1'));
    expect(msgs(later.effects)[0]).toMatchObject({ type: 'Granted', token: 4 });
  });

  it('with lock-service.volatile-fencing-token, a restart hands out token 1 again', () => {
    const p = service({ ttlMaxMs: 200 }, 'lock-service.volatile-fencing-token');
    const c = ctx('n1');
    const s = deliver(p, c, boot(p, c), 'n3', acquire(1, 'c1.1')).state;
    c.disk.crash();
    c.now += 300_000;
    const back = settle(p, c, p.onRecover(c)).state;
    c.now += 300_000;
    expect(s).toBeDefined();
    expect(msgs(deliver(p, c, back, 'n4', acquire(2, 'c2.1')).effects)[0]).toMatchObject({
      type: 'Granted',
      token: 1,
    });
  });
});

describe('protected store', () => {
  const write = (rid: number, owner: string, token: number): LockMessage => ({
    type: 'Write',
    rid,
    key: 'lock0',
    owner,
    token,
    value: `${owner}.w${rid}`,
  });
  const verdicts = (options: object, ...bugs: string[]) => {
    const p = service(options, ...bugs);
    const c = ctx('n2');
    let s = boot(p, c);
    const out: string[] = [];
    for (const [rid, owner, token] of [
      [1, 'c1.1', 1],
      [2, 'c2.1', 2],
      [3, 'c1.1', 1],
      [4, 'c2.1', 2],
    ] as const) {
      const r = deliver(p, c, s, 'n3', write(rid, owner, token));
      s = r.state;
      out.push(msgs(r.effects)[0]?.type ?? 'none');
    }
    return out;
  };

  it('with fencing, refuses a token below the highest it took', () => {
    expect(verdicts({})).toEqual(['Accepted', 'Accepted', 'Rejected', 'Accepted']);
  });

  it('without fencing, or with lock-service.no-fencing-check, takes every write', () => {
    const all = ['Accepted', 'Accepted', 'Accepted', 'Accepted'];
    expect(verdicts({ fencing: false })).toEqual(all);
    expect(verdicts({}, 'lock-service.no-fencing-check')).toEqual(all);
  });

  it('keeps its verdicts and highest token across a restart, and the audit lists them', () => {
    const p = service();
    const c = ctx('n2');
    let s = deliver(p, c, boot(p, c), 'n3', write(1, 'c2.1', 2)).state;
    c.disk.crash();
    s = settle(p, c, p.onRecover(c)).state;
    const r = deliver(p, c, s, 'n4', write(2, 'c1.1', 1));
    expect(msgs(r.effects)[0]).toMatchObject({ type: 'Rejected', highest: 2 });
    const req: ClientRequest<LockInput> = { id: 9, client: 'c1', seq: 9, op: { f: 'audit' } };
    const audit = replies(p.onRequest(r.state, req, c).effects as Fx)[0];
    expect(audit?.outcome).toEqual({
      type: 'ok',
      value: {
        entries: [
          { key: 'lock0', owner: 'c2.1', token: 2, value: 'c2.1.w1', accepted: true },
          { key: 'lock0', owner: 'c1.1', token: 1, value: 'c1.1.w2', accepted: false },
        ],
      },
    });
  });
});

describe('lock client', () => {
  const req = (id: number, op: LockInput): ClientRequest<LockInput> => ({
    id,
    client: 'c1',
    seq: id,
    op,
  });

  it('judges its lease on its own clock, from when it asked, and writes with its token', () => {
    const p = service();
    const c = ctx('n3', 1_000);
    let s = boot(p, c);
    const ask = p.onRequest(
      s,
      req(1, { f: 'acquire', lock: 'lock0', owner: 'c1.1', ttlMs: 100 }),
      c,
    );
    expect(msgs(ask.effects as Fx)[0]).toMatchObject({ to: 'n1', type: 'Acquire', ttlUs: 100_000 });
    c.now = 5_000;
    const granted = p.onMessage(
      ask.state,
      'n1',
      { type: 'Granted', rid: 1, token: 7, ttlUs: 100_000 },
      c,
    );
    expect(replies(granted.effects as Fx)[0]?.outcome).toEqual({ type: 'ok', value: { token: 7 } });
    s = granted.state;
    const w = (id: number) =>
      req(id, { f: 'write', lock: 'lock0', owner: 'c1.1', value: 'v', workMs: 3 });
    c.now = 100_999;
    const ok = p.onRequest(s, w(2), c);
    expect(ok.effects).toContainEqual({ type: 'setTimer', name: 'work:2', afterUs: 3_000 });
    // The pause: the work timer fires long after the lease ended, and the client writes anyway.
    c.now = 900_000;
    const done = p.onTimer(ok.state, 'work:2', c);
    expect(msgs(done.effects as Fx)).toEqual([
      { to: 'n2', type: 'Write', rid: 2, key: 'lock0', owner: 'c1.1', token: 7, value: 'v' },
    ]);
    c.now = 101_000;
    const late = p.onRequest(done.state, w(3), c);
    expect(replies(late.effects as Fx)[0]?.outcome).toEqual({
      type: 'fail',
      code: 'lease-expired',
      hint: 'n3',
    });
  });
});
